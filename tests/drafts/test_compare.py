"""Two versions compared for people (issue 26): paragraphs aligned side by side, the changed characters marked
within a changed sentence, additions and deletions as their own rows."""

from __future__ import annotations

from assistant.drafts.compare import compare

OLD = """# 关于市政协十二届四次会议128号提案的答复函

林志远、郑晓雯委员：

截至2024年底，全市高新技术企业总数超4000家，数量稳居全省第3。

下一步，我们将继续完善科技金融服务。

抄送：市府办，市政协提案委。
"""


def test_an_edited_sentence_is_one_row_with_its_changed_characters_marked():
    new = OLD.replace("超4000家，数量稳居全省第3", "超4500家，数量稳居全省第2")
    rows = compare(OLD, new)
    assert [r.kind for r in rows] == ["相同", "相同", "修改", "相同", "相同"]
    edited = rows[2]
    assert [t for t, changed in edited.old if changed] == ["0", "3"]  # 4000 → 4500, 第3 → 第2: the characters, not the sentence
    assert [t for t, changed in edited.new if changed] == ["5", "2"]
    assert "".join(t for t, _ in edited.new) == "截至2024年底，全市高新技术企业总数超4500家，数量稳居全省第2。"


def test_added_and_removed_paragraphs_stay_aligned():
    new = OLD.replace("下一步，我们将继续完善科技金融服务。\n\n", "").replace("抄送：", "同时，我局将会同市金融办建立科技金融联席会议制度。\n\n抄送：")
    kinds = [(r.kind, "".join(t for t, _ in r.old), "".join(t for t, _ in r.new)) for r in compare(OLD, new)]
    assert kinds[3:] == [
        ("删除", "下一步，我们将继续完善科技金融服务。", ""),  # unlike the new one: not paired with it
        ("新增", "", "同时，我局将会同市金融办建立科技金融联席会议制度。"),
        ("相同", "抄送：市府办，市政协提案委。", "抄送：市府办，市政协提案委。"),
    ]
    assert compare(OLD, OLD) and {r.kind for r in compare(OLD, OLD)} == {"相同"}


def test_the_rendered_comparison_escapes_markup_and_names_who_saved_each():
    from assistant.drafts.compare import compare as rows_of
    from assistant.web.render import version_diff

    old = {"number": 1, "note": "生成草稿", "created_by": "甲", "created_at": "2026-12-05T09:19:41+00:00"}
    new = {"number": 2, "note": "保存", "created_by": "乙", "created_at": "2026-12-05T10:00:00+00:00"}
    shown = version_diff({"old": old, "new": new, "rows": rows_of("<b>旧</b>", "<script>alert(1)</script>")}, lambda t: t[:16].replace("T", " "))
    assert "<script>" not in shown and "&lt;script&gt;" in shown
    assert "第 1 版 · 生成草稿 · 甲 · 2026-12-05 09:19" in shown and "第 2 版 · 保存 · 乙" in shown
