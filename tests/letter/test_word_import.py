"""The Word round trip (issue 14): a letter exported, edited in Word (here with python-docx and
hand-written revision XML), read back into the Markdown draft form — text, roles, citations
from the export's comments, tracked changes accepted, other comments ignored — and the class
mark on page 1."""

from __future__ import annotations

import copy
import re

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from typer.testing import CliRunner

from assistant.cli import app
from assistant.errors import AssistantError, LoadError
from assistant.letter.export import ExportOptions, export_docx
from assistant.letter.markdown import draft_to_markdown, letter_body
from assistant.letter.model import Citation, Draft
from assistant.letter.word_import import import_docx

from ..conftest import SEED_110
from .samples import cited_letter, normal

runner = CliRunner()
EDITED = "全市高新技术企业总数超4500家，数量稳居全省第3。"
ADDED = "同时，我局将会同市金融办建立科技金融联席会议制度。"


def paragraph_with(document, text: str):
    return next(p for p in document.paragraphs if p.text.replace("\n", "") == text)


@pytest.fixture
def exported(tmp_path):
    draft = cited_letter()
    return draft, export_docx(draft, tmp_path / "reply.docx")


# -- lossless round trip ------------------------------------------------------------------------
def test_export_then_import_gives_the_draft_back(exported):
    draft, path = exported
    imported = import_docx(path)  # no base: everything from the file
    assert imported.markdown == normal(draft)
    assert [p.role for p in imported.draft.paragraphs] == [p.role for p in draft.paragraphs]
    by_id = {c.id: c for c in imported.draft.citations}
    for original in draft.citations:  # id, chunk, source, title, number, date and kind back from the comment
        got = by_id[original.id]
        assert (got.chunk_id, got.source, got.title, got.doc_number, got.date, got.role, got.doc_type) == (
            original.chunk_id,
            original.source,
            original.title,
            original.doc_number,
            original.date,
            original.role,
            original.doc_type,
        )
    assert [p.citations for p in imported.draft.paragraphs] == [p.citations for p in draft.paragraphs]
    # with the draft it came from, the citations are the draft's own, in full
    with_base = import_docx(path, base=draft)
    assert with_base.draft.citations == draft.citations and with_base.markdown == normal(draft)


def test_export_import_export_import_is_stable(tmp_path, exported):
    draft, path = exported
    for base in (None, draft):
        first = import_docx(path, base=base)
        again = export_docx(first.draft, tmp_path / "again.docx")
        second = import_docx(again, base=base)
        assert second.markdown == first.markdown
        assert [p.text for p in Document(str(again)).paragraphs] == [p.text for p in Document(str(path)).paragraphs]
        comments = lambda p: sorted(c.text for c in Document(str(p)).comments)  # noqa: E731
        assert comments(again) == comments(path)  # citations (a cut excerpt too) and checks, as written the first time


def test_contact_note_goes_back_above_the_issuer(exported):
    draft, path = exported
    document = Document(str(path))
    texts = [p.text for p in document.paragraphs if p.text]
    assert texts.index("（联系人：项秋霞，联系电话：88962072）") == texts.index("2025年6月27日") + 1  # the export's 附注
    roles = [(p.role, p.text) for p in import_docx(path).draft.paragraphs]
    assert roles[-5:] == [
        ("closing", "最后感谢您对我市科技创新工作的关心和支持。"),
        ("contact", "联系人：项秋霞，联系电话：88962072。"),
        ("signature", "温州市科学技术局"),
        ("date", "2025年6月27日"),
        ("cc", "抄送：市府办，市政协提案委。"),
    ]


def test_letterhead_is_not_letter_text(tmp_path):
    draft = cited_letter()
    path = export_docx(draft, tmp_path / "head.docx", ExportOptions(letterhead="温州市科学技术局"))
    imported = import_docx(path)
    assert imported.markdown == normal(draft)
    assert [p.text for p in imported.draft.paragraphs].count("温州市科学技术局") == 1  # the signature only


# -- edited in Word -------------------------------------------------------------------------------
def edit_in_word(path, out):
    """Change a sentence of a cited paragraph, and add a paragraph after it, as Word would."""
    document = Document(str(path))
    cited = paragraph_with(document, "全市高新技术企业总数超4000家，数量居全省第3。")
    runs = [r for r in cited.runs if r.text]
    runs[0].text = "全市高新技术企业总数"
    runs[1].text = "超4500家"
    runs[2].text = "，数量稳居"
    after = paragraph_with(document, "全面推广“科创指数贷”融资模式。")
    new = copy.deepcopy(after._p)
    for element in list(new):
        if element.tag != qn("w:pPr"):
            new.remove(element)
    after._p.addnext(new)
    from docx.text.paragraph import Paragraph as DocxParagraph

    DocxParagraph(new, after._parent).add_run(ADDED)
    document.save(str(out))
    return out


def saved_draft(assistant, draft: Draft, user: str = "") -> int:
    return assistant.drafts.create("答复函", "提案", draft.model_dump(), draft_to_markdown(draft), user=user)


def test_edit_in_word_becomes_a_new_version_with_citations_intact(assistant, exported, tmp_path):
    draft, path = exported
    draft_id = saved_draft(assistant, draft)
    edited = edit_in_word(path, tmp_path / "edited.docx")
    result = assistant.import_docx(edited, draft_id=draft_id)
    assert result.version == 2
    version = assistant.drafts.version_text(draft_id, 2)
    assert version == letter_body(result.markdown) == assistant.drafts.get(draft_id).working_text  # the letter; sources in the panels
    assert f"{EDITED} [^c1]" in version  # the changed sentence keeps its citation
    assert "全面推广“科创指数贷”融资模式。 [^c2][^c3]" in version
    assert f"\n{ADDED}\n" in version  # the new paragraph, no citation
    assert "超4000家" not in version.split("---")[0]
    again = assistant.edited_draft(draft_id, version)
    assert again.citations == draft.citations  # full details from the saved draft, none lost
    # the figure check follows the edit: the new figures are the ones to verify
    assert any(f.figures == ["超4500家", "全省第3"] for f in again.flags)
    assert assistant.drafts.versions(draft_id)[-1]["note"] == "导入 Word"
    assert any(a["action"] == "import_docx" and a["target"] == f"draft#{draft_id}" for a in assistant.drafts.audit_log())
    assert isinstance(result.findings, list) and any("审核" in n for n in result.notes)  # lint and review ran


def test_tracked_changes_are_accepted(exported, tmp_path):
    _, path = exported
    document = Document(str(path))
    cited = paragraph_with(document, "全市高新技术企业总数超4000家，数量居全省第3。")
    w = nsdecls("w")
    # "超4000家" deleted and "超4500家" inserted in its place; a sentence inserted at the end
    target = next(r for r in cited.runs if r.text == "超4000家")
    target._r.addprevious(parse_xml(f'<w:del {w} w:id="901" w:author="李四" w:date="2025-07-01T09:00:00Z"><w:r><w:delText>超4000家</w:delText></w:r></w:del>'))
    target._r.addprevious(parse_xml(f'<w:ins {w} w:id="902" w:author="李四" w:date="2025-07-01T09:00:00Z"><w:r><w:t>超4500家</w:t></w:r></w:ins>'))
    target._r.getparent().remove(target._r)
    cited._p.append(parse_xml(f'<w:ins {w} w:id="903" w:author="李四" w:date="2025-07-01T09:00:00Z"><w:r><w:t>增速居全省前列。</w:t></w:r></w:ins>'))
    # a deleted paragraph mark joins a paragraph with the next one
    plan = paragraph_with(document, "全面推广“科创指数贷”融资模式。")
    half = copy.deepcopy(plan._p)
    for t in half.iter(qn("w:t")):
        t.text = ""
    next(half.iter(qn("w:t"))).text = "并扩大覆盖面。"
    for element in list(half):
        if element.tag in (qn("w:commentRangeStart"), qn("w:commentRangeEnd")) or element.find(qn("w:commentReference")) is not None:
            half.remove(element)
    plan._p.addnext(half)
    ppr = plan._p.get_or_add_pPr()
    ppr.append(parse_xml(f'<w:rPr {w}><w:del w:id="904" w:author="李四" w:date="2025-07-01T09:00:00Z"/></w:rPr>'))
    # a whole paragraph deleted, mark and all
    closing = paragraph_with(document, "最后感谢您对我市科技创新工作的关心和支持。")
    for run in list(closing._p.iter(qn("w:r"))):
        wrapper = parse_xml(f'<w:del {w} w:id="905" w:author="李四" w:date="2025-07-01T09:00:00Z"/>')
        run.addprevious(wrapper)
        wrapper.append(run)
        for t in run.iter(qn("w:t")):
            t.tag = qn("w:delText")
    document.save(str(tmp_path / "tracked.docx"))
    imported = import_docx(tmp_path / "tracked.docx")
    texts = [p.text for p in imported.draft.paragraphs]
    assert "全市高新技术企业总数超4500家，数量居全省第3。增速居全省前列。" in texts
    assert not any("超4000家" in t for t in texts)
    assert "全面推广“科创指数贷”融资模式。并扩大覆盖面。" in texts
    assert not any(t.startswith("最后感谢") for t in texts)
    assert imported.tracked_changes == 5
    cited_paragraph = next(p for p in imported.draft.paragraphs if p.text.startswith("全市高新技术企业总数超4500家"))
    assert cited_paragraph.citations == ["c1"]


def test_comments_a_person_added_in_word_are_ignored(exported, tmp_path):
    draft, path = exported
    document = Document(str(path))
    body = paragraph_with(document, "全面推广“科创指数贷”融资模式。")
    document.add_comment(body.runs[0], text="[^c9] 此处请补充数据。文件：x.txt（段落#5）", author="张三", initials="ZS")
    opening = next(p for p in document.paragraphs if p.text.startswith("您在市政协"))
    document.add_comment(opening.runs, text="请处长审阅", author="王处长", initials="W")
    document.save(str(tmp_path / "commented.docx"))
    imported = import_docx(tmp_path / "commented.docx")
    assert imported.markdown == normal(draft)  # nothing of the two comments, no extra citation
    assert "请处长审阅" not in imported.markdown and "[^c9]" not in imported.markdown
    assert any("忽略 2 条他人批注" in n for n in imported.notes)


def test_a_deleted_comment_drops_its_citation(exported, tmp_path):
    _, path = exported
    document = Document(str(path))
    cited = paragraph_with(document, "全市高新技术企业总数超4000家，数量居全省第3。")
    for tag in ("w:commentRangeStart", "w:commentRangeEnd"):
        for element in list(cited._p.iter(qn(tag))):
            if element.get(qn("w:id")) == "0":
                element.getparent().remove(element)
    for reference in list(cited._p.iter(qn("w:commentReference"))):
        if reference.get(qn("w:id")) == "0":
            run = reference.getparent()
            run.getparent().remove(run)
    document.save(str(tmp_path / "uncited.docx"))
    imported = import_docx(tmp_path / "uncited.docx")
    paragraph = next(p for p in imported.draft.paragraphs if p.text.startswith("全市高新技术企业总数"))
    assert paragraph.citations == [] and [c.id for c in imported.draft.citations] == ["c2", "c3"]


def test_ids_that_clash_with_the_base_are_matched_by_chunk(exported):
    """A letter exported from another draft: its c1 is another passage than the saved draft's c1."""
    draft, path = exported
    other = Draft(
        proposal={},
        paragraphs=[],
        citations=[
            Citation(id="c1", chunk_id=999, source="x.txt", title="另一份", doc_type="reply", excerpt="……"),
            Citation(
                id="c5",
                chunk_id=42,
                source="corpus/温科提复〔2024〕106号.txt",
                title="温科提复〔2024〕106号 关于……的答复函",
                doc_type="reply",
                excerpt="……",
                role="计划",
            ),
        ],
    )
    imported = import_docx(path, base=other)
    by_id = {c.id: c.chunk_id for c in imported.draft.citations}
    assert by_id["c5"] == 42  # chunk 42 is the base's c5
    assert "c1" not in by_id  # the base's c1 (chunk 999) is not what the letter's c1 cited
    cited = next(p for p in imported.draft.paragraphs if p.text.startswith("全市高新技术企业总数"))
    assert cited.citations == ["c6"] and by_id["c6"] == 10  # chunk 10 is new to the base: numbered anew


def test_two_citations_of_one_chunk_survive_the_round_trip(tmp_path):
    """c2 and c4 cite the same passage (段落#42) with different excerpts: both come back, ids and excerpts."""
    draft = cited_letter()
    again = Citation(
        id="c4",
        chunk_id=42,
        source="corpus/温科提复〔2024〕106号.txt",
        title="温科提复〔2024〕106号 关于……的答复函",
        doc_type="reply",
        doc_number="温科提复〔2024〕106号",
        date="2024-06-20",
        role="成效",
        excerpt="累计发放“科创指数贷”100亿元。",
    )
    draft.citations.append(again)
    cited = next(p for p in draft.paragraphs if p.text.startswith("全市高新技术企业总数"))
    cited.citations.append("c4")
    path = export_docx(draft, tmp_path / "two.docx")
    for base in (None, draft):
        first = import_docx(path, base=base)
        assert [p.citations for p in first.draft.paragraphs] == [p.citations for p in draft.paragraphs]
        by_id = {c.id: c for c in first.draft.citations}
        assert (by_id["c2"].chunk_id, by_id["c4"].chunk_id) == (42, 42)
        assert by_id["c4"].excerpt == "累计发放“科创指数贷”100亿元。" and by_id["c2"].excerpt.startswith("全面推广")
        assert "[^c1][^c4]" in first.markdown
        again_path = export_docx(first.draft, tmp_path / "again.docx")
        second = import_docx(again_path, base=base)
        assert second.markdown == first.markdown
        comments = lambda p: sorted(c.text for c in Document(str(p)).comments)  # noqa: E731
        assert comments(again_path) == comments(path)


def test_the_class_survives_the_round_trip_without_a_mark(assistant, tmp_path):
    """Not printed (class_mark off), the class rides in the file's 类别 property: plain, clean and 公开版."""
    draft = cited_letter()
    draft.handling_class = "B"
    for kind in ({}, {"clean": True}, {"public": True}):
        path = assistant.export(draft, tmp_path / f"{'-'.join(kind) or 'plain'}.docx", **kind)
        document = Document(str(path))
        assert document.paragraphs[0].text == "温科提复〔2025〕12号"  # no mark printed
        assert document.core_properties.category == "办理结果类别：B"
        imported = import_docx(path)
        assert imported.handling_class == "B" and imported.markdown.startswith("办理结果类别：B\n")
    # the file's class wins over the saved draft's; a mark printed on page 1 wins over both
    assert import_docx(tmp_path / "plain.docx", handling_class="C").handling_class == "B"
    marked = export_docx(draft.model_copy(update={"handling_class": "A"}), tmp_path / "a.docx", ExportOptions(class_mark="A"))
    assert import_docx(marked).handling_class == "A"
    # no class: no property; a category someone typed in Word is not a class
    draft.handling_class = None
    plain = export_docx(draft, tmp_path / "none.docx")
    assert Document(str(plain)).core_properties.category == "" and import_docx(plain).handling_class is None
    document = Document(str(plain))
    document.core_properties.category = "B"
    document.save(str(tmp_path / "typed.docx"))
    assert import_docx(tmp_path / "typed.docx").handling_class is None


# -- a plain Word letter --------------------------------------------------------------------------
def test_a_plain_word_letter_reads_with_its_roles(tmp_path):
    """Seed 110 typed into Word: one paragraph a line, the title over two lines, no comments."""
    lines = SEED_110.read_text(encoding="utf-8").split("\n")
    document = Document()
    for line in lines:
        document.add_paragraph(line)
    document.save(str(tmp_path / "seed.docx"))
    imported = import_docx(tmp_path / "seed.docx")
    roles = {p.role: p.text for p in reversed(imported.draft.paragraphs)}
    assert roles["doc_number"] == "温科提复〔2024〕110号"
    assert roles["title"] == "关于市政协十二届三次会议370号提案的答复函"
    assert roles["salutation"] == "祝彬委员:"
    assert roles["opening"].startswith("您在市政协十二届三次会议期间所提的")
    assert roles["closing"].startswith("最后感谢您对我市民营企业科技创新工作")
    assert roles["contact"] == "联系人：项秋霞，联系电话：88962072。"
    assert (roles["signature"], roles["date"]) == ("温州市科学技术局", "2024年6月27日")
    body = "".join(line.strip() for line in lines).replace("答 复 函", "答复函")
    assert "".join(p.text for p in imported.draft.paragraphs) == body  # every character, nothing added
    assert imported.draft.citations == []
    # one paragraph per line of the letter, the two title lines as one
    assert len(imported.draft.paragraphs) == sum(1 for line in lines if line.strip()) - 1


def test_not_a_word_file_is_refused(tmp_path):
    bad = tmp_path / "letter.docx"
    bad.write_bytes(b"not a zip")
    with pytest.raises(LoadError, match="不是 .docx"):
        import_docx(bad)
    empty = tmp_path / "empty.docx"
    Document().save(str(empty))
    with pytest.raises(LoadError, match="没有正文"):
        import_docx(empty)


# -- class mark -----------------------------------------------------------------------------------
def test_class_mark_top_right_of_page_one(tmp_path):
    draft = cited_letter()
    path = export_docx(draft, tmp_path / "b.docx", ExportOptions(class_mark="B", letterhead="温州市科学技术局"))
    document = Document(str(path))
    body = list(document.element.body.iterchildren())
    first = body[0]  # the first line of page 1, above the letterhead
    assert "".join(t.text for t in first.iter(qn("w:t"))) == "B"
    mark = document.paragraphs[0]
    assert mark.alignment == WD_ALIGN_PARAGRAPH.RIGHT and mark.paragraph_format.first_line_indent == 0
    run = mark.runs[0]
    assert run.font.size.pt == 16 and run._element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "黑体"
    assert not any(True for _ in first.iter(qn("w:br")))  # no page break before it
    # read back: the mark is the class, not letter text; the letterhead is gone too
    imported = import_docx(path, class_codes=["A", "B", "C", "D"])
    assert imported.handling_class == "B" and imported.markdown.startswith("办理结果类别：B\n")
    assert imported.markdown.split("\n", 2)[2] == normal(draft)


def test_class_mark_follows_the_setting_and_the_draft(tmp_path):
    from assistant.service import Assistant
    from assistant.settings import Settings

    def first_line(path):
        return Document(str(path)).paragraphs[0].text

    draft = cited_letter()
    draft.handling_class = "A"
    marked = Assistant(Settings(index_dir=tmp_path / "i", class_mark=True, _env_file=None))
    plain = Assistant(Settings(index_dir=tmp_path / "i", _env_file=None))
    assert first_line(marked.export(draft, tmp_path / "on.docx")) == "A"
    assert first_line(plain.export(draft, tmp_path / "off.docx")) == "温科提复〔2025〕12号"
    assert first_line(marked.export(draft, tmp_path / "public.docx", public=True)) == "A"  # the 公开版 keeps it
    draft.handling_class = None
    assert first_line(marked.export(draft, tmp_path / "none.docx")) == "温科提复〔2025〕12号"


def test_the_saved_class_survives_an_import_without_a_mark(assistant, exported):
    draft, path = exported  # exported without a mark
    text = "办理结果类别：C\n\n" + draft_to_markdown(draft)
    draft_id = assistant.drafts.create("答复函", "提案", draft.model_dump(), text)
    result = assistant.import_docx(path, draft_id=draft_id)
    assert result.draft.handling_class == "C" and result.markdown.startswith("办理结果类别：C\n")


# -- access and the command line ----------------------------------------------------------------
def test_import_into_a_draft_checks_access(tmp_path, exported):
    from assistant.service import Assistant
    from assistant.settings import Settings
    from assistant.users import add_user

    _, path = exported
    users = tmp_path / "users.json"
    for name in ("甲", "乙"):
        add_user(users, name, f"password-{name}")
    assistant = Assistant(Settings(index_dir=tmp_path / "index", data_dir=tmp_path / "data", embedding_model="hash:64", users_file=users, _env_file=None))
    try:
        draft_id = saved_draft(assistant, cited_letter(), user="甲")
        with pytest.raises(AssistantError, match=f"无权访问草稿 #{draft_id}"):
            assistant.import_docx(path, draft_id=draft_id, user="乙")
        assert len(assistant.drafts.versions(draft_id)) == 1  # nothing versioned
        assert assistant.import_docx(path, draft_id=draft_id, user="甲").version == 2
    finally:
        assistant.close()


@pytest.fixture
def cli_env(tmp_path, monkeypatch):
    monkeypatch.setenv("REPLY_ASSISTANT_EMBEDDING_MODEL", "hash:64")
    monkeypatch.setenv("REPLY_ASSISTANT_INDEX_DIR", str(tmp_path / "index"))
    monkeypatch.setenv("REPLY_ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("REPLY_ASSISTANT_USERS_FILE", raising=False)


def test_cli_import_and_public_export(cli_env, exported, tmp_path):
    draft, path = exported
    out = tmp_path / "back.md"
    result = runner.invoke(app, ["import", str(path), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == normal(draft)
    assert "恢复 3 处引用" in result.output and "审核" in result.output
    # the command prints what lint finds in the imported text
    broken = Document(str(path))
    paragraph_with(broken, "林志远、郑晓雯委员：").runs[0].text = "林志远、郑晓雯委员:"
    broken.save(str(tmp_path / "colon.docx"))
    result = runner.invoke(app, ["import", str(tmp_path / "colon.docx")])
    assert "林志远、郑晓雯委员:" in result.output and "[格式·称呼冒号·问题]" in result.output  # the rule named in Chinese
    assert result.exit_code == 1 and "检查发现 1 处问题" in result.output  # a problem found: exit 1, as review and lint do
    # --public: the file name says so, and nothing in it reaches a person
    public_dir = tmp_path / "public"
    public_dir.mkdir()
    result = runner.invoke(app, ["export", str(out), "-o", str(public_dir / "x.docx")])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["export", str(out), "--public", "-o", str(public_dir / "x.docx")])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in public_dir.iterdir()) == ["x.docx", "x_公开版.docx"]  # the internal copy is not overwritten
    assert "x_公开版.docx" in result.output
    text = "\n".join(p.text for p in Document(str(public_dir / "x_公开版.docx")).paragraphs)
    assert "联系人" not in text and not re.search(r"\d{7,}", text) and "88962072" not in text
    assert len(list(Document(str(public_dir / "x_公开版.docx")).comments)) == 0
    assert "联系人" in "\n".join(p.text for p in Document(str(public_dir / "x.docx")).paragraphs)


def test_cli_import_counts_problems_and_notes_apart(cli_env, exported, monkeypatch):
    """Notes (提示) are not problems: they are counted apart and do not make the exit code 1."""
    from assistant.letter.review import ReviewFinding, ReviewReport
    from assistant.letter.service import LetterService

    _, path = exported
    note = ReviewFinding("copying", "本段 60% 与温科提复〔2024〕106号相同（已引用）", "保留必要内容", line=12, severity="提示")
    problem = ReviewFinding("specificity", "空泛：没有具体数据", "补充数据", line=14)
    found = {"findings": [note, note]}
    monkeypatch.setattr(LetterService, "review", lambda self, *a, **k: ReviewReport(list(found["findings"]), 2, 2, notes=["未检查逐条答复：没有提案"]))
    result = runner.invoke(app, ["import", str(path)])
    assert result.exit_code == 0, result.output
    assert "检查发现 0 处问题，2 条提示 / 0 problem(s), 2 note(s)" in result.output
    assert "[审核·重复·提示]" in result.output
    assert "未检查逐条答复：没有提案" in result.output  # review's notes are printed
    found["findings"] = [note, problem]
    result = runner.invoke(app, ["import", str(path)])
    assert result.exit_code == 1 and "检查发现 1 处问题，1 条提示" in result.output


def test_cli_import_says_the_index_has_no_letters_to_compare_with(cli_env, exported):
    _, path = exported
    result = runner.invoke(app, ["import", str(path)])
    assert result.exit_code == 0, result.output
    assert "索引中没有答复函" in result.output and "copying and promises were not checked" in result.output
    assert "未检查逐条答复" in result.output  # no proposal: coverage not checked, and said


@pytest.mark.parametrize("command", ["import", "review"])
def test_a_missing_index_folder_is_refused(cli_env, exported, tmp_path, command):
    _, path = exported
    missing = tmp_path / "no-such-index"
    result = runner.invoke(app, [command, str(path), "--index", str(missing)])
    assert result.exit_code == 2
    assert "索引目录不存在" in result.output and "index folder not found" in result.output
    assert not missing.exists()  # nothing created


def test_cli_review_reads_a_word_file(cli_env, tmp_path):
    """review 答复函.docx reads the letter with the importer (it used to say 二进制文件)."""
    import json

    draft = cited_letter()
    draft.handling_class = "B"
    path = export_docx(draft, tmp_path / "reply.docx")  # no class mark printed
    result = runner.invoke(app, ["review", str(path), "--json"])
    assert result.exit_code in (0, 1), result.output
    assert "二进制" not in result.output
    report = json.loads(result.stdout)
    assert report["handling_class"] == "B"  # the class kept in the file's properties
    assert report["paragraphs"] == 2 and report["specific"] == 2
    result = runner.invoke(app, ["review", str(path)])
    assert result.exit_code in (0, 1) and "具体段落 2/2" in result.output, result.output


def test_cli_import_into_a_saved_draft(cli_env, exported, tmp_path):
    from assistant.service import Assistant

    draft, path = exported
    assistant = Assistant()
    draft_id = saved_draft(assistant, draft)
    assistant.close()
    edited = edit_in_word(path, tmp_path / "edited.docx")
    result = runner.invoke(app, ["import", str(edited), "--draft", str(draft_id)])
    assert result.exit_code == 0, result.output
    assert f"已保存为草稿 #{draft_id} 第 2 版" in result.output
    assistant = Assistant()
    try:
        assert EDITED in assistant.drafts.version_text(draft_id, 2)
    finally:
        assistant.close()
    result = runner.invoke(app, ["import", str(edited), "--draft", "9999"])
    assert result.exit_code == 2 and "无权访问草稿 #9999" in result.output
