"""What is one document and what is two (corpus/duplicates.py): cases a cold review found."""

from __future__ import annotations

import shutil

from assistant.corpus import duplicates
from assistant.corpus.ingest import run_all

from ..conftest import SEED_106, SEED_110


def reply(number: int, proposer: str, body: str, cited: str = "") -> str:
    return (
        f"关于市政协十二届三次会议{number}号提案的答复函\n{proposer}委员：\n"
        f"您在市政协十二届三次会议期间所提的《关于城市更新的提案》（政协提案{number}号）收悉。{cited}现答复如下：\n{body}\n"
        "感谢您对我市科技创新工作的关心和支持。\n温州市科学技术局\n2024年6月27日\n"
    )


BODY_A = "一、关于绿地建设。我市已建成口袋公园120个，新增绿道58公里，2024年将再建30个，并完善养护机制。" * 4
BODY_B = "一、关于停车难。我市新增公共停车泊位8600个，推广错时共享停车，建设智慧停车平台，覆盖全部城区。" * 4


def test_figures_are_part_of_the_text():
    assert duplicates.fingerprint("总额3.5亿元，增长1.5%。") != duplicates.fingerprint("总额35亿元，增长15%。")
    assert duplicates.fingerprint("总额３．５亿元， 增长1.5％") == duplicates.fingerprint("总额3.5亿元，增长1.5%。")


def test_letters_that_only_cite_one_document_number_are_not_versions(assistant, tmp_path):
    cited = "根据浙政发〔2023〕12号文件精神，"
    (tmp_path / "绿地.txt").write_text(reply(74, "张三", BODY_A, cited), encoding="utf-8")
    (tmp_path / "停车.txt").write_text(reply(75, "李四", BODY_B, cited), encoding="utf-8")
    report = run_all(assistant.ingest([tmp_path]))
    assert report.added == 2 and report.duplicate == 0


def test_joint_replies_to_two_proposals_stay_two(assistant, tmp_path):
    """并案: one body answers proposals 74 and 75 — two letters, to two proposers."""
    (tmp_path / "74号.txt").write_text(reply(74, "张三", BODY_A), encoding="utf-8")
    (tmp_path / "75号.txt").write_text(reply(75, "李四", BODY_A), encoding="utf-8")
    assert run_all(assistant.ingest([tmp_path])).added == 2


def test_two_indexed_copies_read_again_keep_one(assistant, tmp_path, monkeypatch):
    """Both copies were indexed before duplicates were found (an older version of the program); a
    run that reads both again (here: after a change of chunking rules) must keep one, not drop both."""
    from assistant.corpus import ingest

    folder = tmp_path / "copies"
    folder.mkdir()
    for name in ("copy1.txt", "copy2.txt"):
        shutil.copy(SEED_110, folder / name)
    with monkeypatch.context() as old_program:  # indexed as a program without the register would have
        old_program.setattr(duplicates.Register, "judge", lambda self, *a, **k: (duplicates.Verdict("index"), None))
        run_all(assistant.ingest([folder]))
    assert len(assistant.documents()) == 2
    monkeypatch.setattr(ingest, "ALIASES_VERSION", ingest.ALIASES_VERSION + 1)  # every file is read again
    report = run_all(assistant.ingest([folder]))
    assert len(assistant.documents()) == 1 and report.duplicate == 1


def test_a_skipped_copy_comes_back_when_the_kept_one_changes(assistant, tmp_path):
    kept, copy = tmp_path / "A.txt", tmp_path / "B.txt"
    shutil.copy(SEED_106, kept)
    shutil.copy(SEED_106, copy)
    assert run_all(assistant.ingest([kept, copy])).duplicate == 1
    kept.write_text(SEED_106.read_text(encoding="utf-8").replace("〔2024〕106号", "〔2024〕107号"), encoding="utf-8")
    run_all(assistant.ingest([kept]))
    report = run_all(assistant.ingest([copy]))
    assert report.added == 1  # its text is nowhere else any more: indexed now
    assert {d["source"] for d in assistant.documents()} == {str(kept), str(copy)}
