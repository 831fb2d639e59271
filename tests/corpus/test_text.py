"""Segmentation with the policy dictionary and terms learned from the corpus."""

from assistant.corpus import text


def test_packaged_policy_terms_stay_whole():
    tokens = text.tokenize("深入开展双清零一提升行动，推行揭榜挂帅、拨投联动和一院一器一基金模式")
    for term in ("双清零一提升", "揭榜挂帅", "拨投联动", "一院一器一基金"):
        assert term in tokens


def test_stopwords_and_punctuation_are_dropped():
    tokens = text.tokenize("关于的问题，“”。")
    assert tokens == []


def test_terms_are_learned_from_quotes_and_book_titles():
    found = text.learn_terms("实施“甬江科创券”政策，出台《温州市民营企业科技创新促进条例》，“好”字当头")
    assert "甬江科创券" in found
    assert "温州市民营企业科技创新促进条例" in found
    assert "好" not in found  # too short to be a term


def test_learned_term_changes_segmentation_of_its_corpus_only():
    one, other = text.Segmenter(), text.Segmenter()
    assert "瓯越英才贷" not in one.tokenize("推出瓯越英才贷产品")
    assert one.add_terms(["瓯越英才贷"]) == ["瓯越英才贷"] and one.add_terms(["瓯越英才贷"]) == []
    assert "瓯越英才贷" in one.tokenize("推出瓯越英才贷产品")
    # another corpus, and the packaged segmentation, never learned it
    assert "瓯越英才贷" not in other.tokenize("推出瓯越英才贷产品")
    assert "瓯越英才贷" not in text.tokenize("推出瓯越英才贷产品")


def test_a_segmenter_reads_the_users_dictionary(tmp_path):
    terms = tmp_path / "terms.txt"
    terms.write_text("温鹿科创走廊 10 n\n", encoding="utf-8")
    assert "温鹿科创走廊" in text.Segmenter(terms).tokenize("建设温鹿科创走廊")
    assert "温鹿科创走廊" not in text.tokenize("建设温鹿科创走廊")
