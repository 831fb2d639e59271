"""Bad input, case by case: each input → the clear error (Chinese / English) or the result
expected, and nothing already in the index or the drafts changes when an input is rejected."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest

from assistant.corpus.ingest import run_all
from assistant.corpus.uploads import safe_name, store_upload
from assistant.errors import AssistantError
from assistant.letter.markdown import markdown_to_draft
from assistant.letter.proposal import parse_proposal

from .conftest import CORPUS, SEED_110
from .corpus.samples import make_pdf

LETTER = SEED_110.read_text(encoding="utf-8")
# The seeded index holds LETTER itself: the same text again would be skipped as a copy (issue 22),
# so the encodings are tried on the same letter under another 文号.
OTHER_LETTER = LETTER.replace("〔2024〕110号", "〔2024〕118号")


def write(path: Path, data: bytes | str) -> Path:
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def docx_bytes(build) -> bytes:
    document = docx.Document()
    build(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def only_tables(document):
    table = document.add_table(rows=2, cols=2)
    for r, row in enumerate([["指标", "数值"], ["高新技术企业", "超4000家"]]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value


def bomb(path: Path) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", b"\0" * (210 * 1024 * 1024))
    return path


def encrypted_pdf(path: Path) -> Path:
    from pypdf import PdfReader, PdfWriter

    plain = make_pdf(path.with_name("plain.pdf"), ["secret policy text"]) or path.with_name("plain.pdf")
    writer = PdfWriter(clone_from=PdfReader(str(plain)))
    writer.encrypt("owner-and-user-password")
    with open(path, "wb") as handle:
        writer.write(handle)
    return path


def blank_pdf(path: Path) -> Path:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    with open(path, "wb") as handle:
        writer.write(handle)
    return path


# (case, how to make the file, expected: an error substring, or None = ingested fine, plus a text it must contain)
FILE_CASES = [
    ("empty .txt", lambda d: write(d / "empty.txt", b""), "空", None),
    ("whitespace-only .txt", lambda d: write(d / "blank.txt", " \n\t \n"), "空", None),
    ("binary garbage named .txt", lambda d: write(d / "garbage.txt", bytes(range(256)) * 64), "二进制", None),
    ("GBK letter", lambda d: write(d / "gbk.txt", OTHER_LETTER.encode("gbk")), None, "双清零一提升"),
    ("GB18030 with a rare character", lambda d: write(d / "gb18030.txt", ("𠀀" + OTHER_LETTER).encode("gb18030")), None, "𠀀"),
    ("UTF-16 letter", lambda d: write(d / "utf16.txt", OTHER_LETTER.encode("utf-16")), None, "揭榜挂帅"),
    ("UTF-8 with BOM", lambda d: write(d / "bom.txt", OTHER_LETTER.encode("utf-8-sig")), None, "温科提复〔2024〕118号"),
    ("truncated .docx", lambda d: write(d / "cut.docx", docx_bytes(lambda doc: doc.add_paragraph("正文"))[:900]), "损坏", None),
    ("docx zip bomb", lambda d: bomb(d / "bomb.docx"), "解压后体积异常", None),
    ("docx with only tables", lambda d: write(d / "tables.docx", docx_bytes(only_tables)), None, "高新技术企业 | 超4000家"),
    ("a blank scanned page", lambda d: blank_pdf(d / "scan.pdf"), "识别后没有文字", None),
    ("encrypted PDF", lambda d: encrypted_pdf(d / "locked.pdf"), "加密", None),
    ("HTML with scripts", lambda d: write(d / "page.html", "<html><body><p>推行揭榜挂帅。</p><script>alert(1)</script></body></html>"), None, "推行揭榜挂帅。"),
    ("unsupported type", lambda d: write(d / "tool.exe", b"MZ\x90\x00"), "不支持", None),
    ("jsonl with a broken line", lambda d: write(d / "bad.jsonl", '{"text": "好"}\n{broken\n'), "第 2 行", None),
    ("jsonl line without text", lambda d: write(d / "notext.jsonl", '{"title": "无正文"}\n'), "缺少 text", None),
    ("oversized file", lambda d: write(d / "huge.txt", "字" * (2 * 2**20)), "过大", None),
]


@pytest.fixture
def seeded(assistant):
    run_all(assistant.ingest([CORPUS]))
    draft_id, _, _ = assistant.start_draft(parse_proposal("关于科技创新的提案\n建议：一是加大投入。二是完善机制。"))
    return assistant, draft_id


def snapshot(assistant):
    stats = assistant.stats()
    return (
        {k: stats[k] for k in ("files", "documents", "chunks", "fts_rows")},
        [(d["id"], d["status"], d["versions"]) for d in assistant.drafts.list()],
        assistant.search("揭榜挂帅", k=3).to_dict()["results"],
    )


@pytest.mark.parametrize("case, make, error, contains", FILE_CASES, ids=[c[0] for c in FILE_CASES])
def test_ingesting_bad_files(seeded, tmp_path, case, make, error, contains):
    assistant, _ = seeded
    assistant.settings.max_file_mb = 1
    before = snapshot(assistant)
    path = make(tmp_path)
    report = run_all(assistant.ingest([path]))
    if error:
        assert len(report.errors) == 1, case
        message = report.errors[0][1]
        assert error in message and " / " in message  # Chinese, then English
        assert snapshot(assistant) == before
    else:
        assert not report.errors and report.added == 1
        document = next(d for d in assistant.documents() if Path(d["source"]).name == path.name)
        assert contains in assistant.document(document["source"])["text"]


PROPOSAL_CASES = [
    ("empty text", "", "提案内容为空"),
    ("whitespace only", " \n\t ", "提案内容为空"),
    ("a 5 MB proposal", "科技创新" * 1_300_000, "提案过长"),
    # a probe pasted a note that is no proposal: no title, proposer, number or ask — drafting it wrote a letter about nothing
    ("a weather note", "今天天气不错，我们去公园散步吧。晚上吃火锅。", "不像提案或建议"),
    ("a meeting notice", "会议通知：请各单位于下午三点到三楼会议室开会。", "不像提案或建议"),
    # the next probe's: its sign-up line reads as an ask, but nothing around it is a proposal's
    ("a canteen menu", "本周食堂菜单：周一红烧肉、清炒时蔬；周二糖醋排骨。\n请各位同事于周五前报名参加工会羽毛球比赛。", "不像提案或建议"),
]


@pytest.mark.parametrize("case, text, error", PROPOSAL_CASES, ids=[c[0] for c in PROPOSAL_CASES])
def test_rejected_proposals_change_nothing(seeded, case, text, error):
    assistant, _ = seeded
    before = snapshot(assistant)
    with pytest.raises(AssistantError, match=error):
        assistant.start_draft(text)
    assert snapshot(assistant) == before


def test_proposal_without_suggestions_still_drafts_with_a_placeholder(seeded):
    assistant, _ = seeded
    _, text, draft = assistant.start_draft(parse_proposal("关于某事的提案\n这是一段情况说明，没有提出具体意见。"))
    assert "【待填：下一步工作计划】" in text
    assert draft.proposal["suggestions"] == [] and "suggestions" in draft.proposal["missing"]


def test_traditional_characters_are_parsed():
    p = parse_proposal("關於加強科技創新的提案\n提案人：陳小明\n建議：一是加大研發投入力度。二是完善孵化載體建設。")
    assert p.title == "關於加強科技創新的提案"
    assert p.suggestions == ["加大研發投入力度", "完善孵化載體建設"]
    assert p.proposers == ["陳小明"]


def test_markup_in_a_proposal_stays_text_everywhere(seeded, tmp_path):
    from assistant.web.render import citations_panel, flags_panel, highlight

    assistant, _ = seeded
    evil = "关于<script>alert(1)</script>加强<img src=x onerror=alert(2)>的提案\n建议：一是推行“揭榜挂帅”<b>机制</b>。二是完善制度。"
    draft_id, text, draft = assistant.start_draft(parse_proposal(evil))
    assert "<script>alert(1)</script>" in text  # kept literally in the editable text
    html = citations_panel(draft) + flags_panel(draft) + highlight(evil, "揭榜挂帅")
    assert "<script>" not in html and "<img" not in html and "&lt;script&gt;" in html
    path = assistant.export_saved(draft_id, text, directory=tmp_path)
    texts = [p.text for p in docx.Document(str(path)).paragraphs]
    assert any("<script>alert(1)</script>" in t for t in texts)  # escaped by the docx writer, read back as text


def test_draft_with_every_heading_removed_still_exports(seeded, tmp_path):
    assistant, draft_id = seeded
    text = assistant.drafts.get(draft_id).working_text
    flat = "\n".join(line.lstrip("#").strip() for line in text.split("\n") if not line.startswith("#"))
    draft = markdown_to_draft(flat)
    assert not any(p.role.startswith("heading") for p in draft.paragraphs)
    path = assistant.export(draft, tmp_path / "flat.docx")
    assert "【待填：标题】" in [p.text for p in docx.Document(str(path)).paragraphs]


@pytest.mark.parametrize("text, error", [("", "草稿为空"), ("\n\n  \n", "草稿为空")])
def test_empty_drafts_are_refused_and_change_nothing(seeded, text, error, tmp_path):
    assistant, draft_id = seeded
    before = snapshot(assistant)
    with pytest.raises(AssistantError, match=error):
        assistant.export_saved(draft_id, text, directory=tmp_path)
    assert snapshot(assistant) == before and not list(tmp_path.glob("*.docx"))


def test_malformed_draft_json(seeded, tmp_path):
    assistant, _ = seeded
    path = write(tmp_path / "draft.json", "{not json")
    with pytest.raises(AssistantError, match="草稿 JSON 格式错误"):
        assistant.load_draft(path)


@pytest.mark.parametrize(
    "name, expected",
    [
        ("../../etc/passwd", "passwd"),
        ("/abs/path/政策.txt", "政策.txt"),
        ("C:\\Users\\x\\答复.docx", "答复.docx"),
        ("a\x00b.txt", "ab.txt"),
        (".hidden.txt", "hidden.txt"),
        ("名" * 300 + ".txt", None),
        ("<script>.html", "script.html"),
    ],
)
def test_upload_names_are_made_safe(name, expected):
    result = safe_name(name)
    assert "/" not in result and "\\" not in result and "\x00" not in result and not result.startswith(".")
    if expected:
        assert result == expected
    else:
        assert len(result) <= 100 and result.endswith(".txt")


@pytest.mark.parametrize(
    "name, data, error, suffix",
    [
        ("doc.docx", b"PK\x03\x04" + b"\0" * 64, "损坏", None),
        ("report.pdf.txt", b"%PDF-1.4\n%fake", None, ".pdf"),
        ("notes.html", "只是普通文字，没有标签。".encode("utf-8"), None, ".txt"),
        ("big.txt", b"x" * 2048, "过大", None),
        ("nothing.txt", b"   ", "空", None),
    ],
)
def test_uploads_are_typed_by_content(tmp_path, name, data, error, suffix):
    folder = tmp_path / "uploads"
    if error:
        with pytest.raises(AssistantError, match=error):
            store_upload(data, name, folder, max_bytes=1024)
        assert not folder.exists() or not list(folder.iterdir())
    else:
        path, existed, _ = store_upload(data, name, folder, max_bytes=1024)
        assert path.suffix == suffix and path.parent == folder and not existed
        assert store_upload(data, name, folder, max_bytes=1024) == (path, True, None)  # same content, same file


def test_zip_that_is_not_a_word_document(tmp_path):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("payload.exe", b"MZ")
    with pytest.raises(AssistantError, match="不是 Word 文档"):
        store_upload(out.getvalue(), "x.docx", tmp_path, max_bytes=2**20)


def test_queries(seeded):
    assistant, _ = seeded
    with pytest.raises(AssistantError, match="检索词不能为空"):
        assistant.search("\n \t")
    assert assistant.search("揭" * 2001, k=1).warnings


def test_eval_file_errors(seeded, tmp_path):
    assistant, _ = seeded
    for content, error in [("", "没有任何查询"), ('{"query": 1, "relevant": []}', "格式错误"), ("not json", "格式错误")]:
        path = write(tmp_path / "e.jsonl", content)
        with pytest.raises(AssistantError, match=error):
            assistant.evaluate(path)
    with pytest.raises(AssistantError, match="无法读取"):
        assistant.evaluate(tmp_path / "missing.jsonl")
