"""A query that names a place: that place's, its province's and national documents before another city's."""

from __future__ import annotations

import pytest

from assistant.corpus.ingest import run_all
from assistant.errors import AssistantError
from assistant.search.places import load_places

# the same rule in three cities' words, and the province's: only the words "温州" and "浙江" tell them apart
RULES = {
    "衢州市市区电动自行车管理规定": "第十条 电动自行车所有人应当自购车之日起十五日内申领电动自行车号牌，逾期未申领号牌的不得上道路行驶。",
    "宁波市电动自行车管理规定": "第九条 电动自行车所有人应当自购车之日起十五日内办理电动自行车登记，申领号牌。",
    "浙江省电动自行车管理条例": "第十二条 电动自行车应当自购车之日起十五日内向公安机关交通管理部门申请登记。",
    "温州市养犬管理条例": "第十五条 养犬人应当自取得犬只免疫证明之日起十日内办理犬只登记。",
}


@pytest.fixture
def cities_dir(tmp_path):
    folder = tmp_path / "rules"
    folder.mkdir()
    for title, article in RULES.items():
        (folder / f"{title}.md").write_text(f"# {title}\n\n{article}\n", encoding="utf-8")
    return folder


def test_places_named_and_whose_documents_fit():
    places = load_places()
    assert places.named("在温州鹿城新买电动车多久内要上牌") == {"温州", "鹿城"}
    assert places.named("电动车多久内要上牌") == set() and places.named("江山如画") == set()
    # two characters inside other words name no place: 上城 in 县级以上城市, 路桥 in 道路桥梁, 浙江 in 浙江大学
    assert places.named("县级以上城市道路桥梁") == set() and places.named("浙江大学的专利能转让吗") == set()
    assert places.named("温瑞塘河边的古桥") == {"温瑞塘河"} and places.named("瓯海区") == {"瓯海"}
    assert not places.fits("上海市科技创新条例", {"温州"})  # a place the list does not know is no national law
    assert places.fits("浙江省电动自行车管理条例", {"鹿城"}) and places.fits("温州市养犬管理条例", {"鹿城"})
    assert places.fits("中华人民共和国道路交通安全法", {"温州"})  # national law binds everywhere
    assert not places.fits("衢州市市区电动自行车管理规定", {"温州"})
    assert not places.fits("温州市养犬管理条例", {"浙江"})  # a city's rule does not answer a question about the province


def test_a_user_file_adds_places_and_a_malformed_one_names_its_line(tmp_path):
    extra = tmp_path / "places.txt"
    extra.write_text("温州 = 七都岛\n", encoding="utf-8")
    assert load_places(extra).named("七都岛能养鸡吗") == {"七都岛"}
    extra.write_text("温州 七都岛\n", encoding="utf-8")
    with pytest.raises(AssistantError, match="第1行"):
        load_places(extra)
    from assistant.service import Assistant
    from assistant.settings import Settings

    with pytest.raises(AssistantError, match="地名表"):  # said when the app starts, not at every search
        Assistant(Settings(index_dir=tmp_path / "index", data_dir=tmp_path / "data", places_file=extra, _env_file=None))


def test_a_query_naming_wenzhou_ranks_its_own_and_the_provinces_rules_first(assistant, cities_dir):
    run_all(assistant.ingest([cities_dir]))
    plain = [r.title for r in assistant.search("新买电动自行车多久内要申领号牌", k=4, show_all=True).results]
    named = [r.title for r in assistant.search("在温州新买电动自行车多久内要申领号牌", k=4, show_all=True).results]
    assert named[0] == "浙江省电动自行车管理条例"
    assert named.index("衢州市市区电动自行车管理规定") > named.index("温州市养犬管理条例")  # after every Wenzhou and province passage
    assert len(named) == len(plain) == 4  # another city's rule is ranked after, never dropped
    off = assistant.settings.model_copy(update={"prefer_named_places": False})
    from assistant.search.retrieval import Retriever

    retriever = Retriever(assistant.corpus)
    retriever.settings = off
    # the words alone put another city's rule (申领号牌, as the query says) before the province's (申请登记)
    assert retriever.search("在温州新买电动自行车多久内要申领号牌", k=4).results[0].title in ("衢州市市区电动自行车管理规定", "宁波市电动自行车管理规定")
