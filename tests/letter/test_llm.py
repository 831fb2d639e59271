"""The optional LLM rewrite: plumbing with LangChain's fake chat model, and the guard."""

from __future__ import annotations

import importlib.util

import pytest
from langchain_core.language_models.fake_chat_models import FakeListChatModel

from assistant.corpus.ingest import run_all
from assistant.errors import AssistantError
from assistant.letter.llm import SectionRewriter, make_chat_model
from assistant.letter.proposal import load_proposal

from ..conftest import CORPUS, ROOT

FINANCING = ROOT / "examples" / "proposal-financing.txt"


@pytest.fixture
def template_draft(assistant):
    run_all(assistant.ingest([CORPUS]))
    return assistant.draft(load_proposal(FINANCING), use_llm=False)


def rewritable_sections(draft):
    return [
        [draft.paragraphs[i] for i in indexes if draft.paragraphs[i].role == "body" and draft.paragraphs[i].citations] for indexes in draft.sections.values()
    ]


def responses(draft, tamper=None):
    out = []
    for number, section in enumerate(s for s in rewritable_sections(draft) if s):
        lines = []
        for index, paragraph in enumerate(section, 1):
            text = "经研究，" + paragraph.text
            markers = "".join(f"[^{c}]" for c in paragraph.citations)
            line = f"[P{index}] {text}{markers}"
            if tamper and number == 0 and index == 1:
                line = tamper(line, markers)
            lines.append(line)
        out.append("\n".join(lines))
    return out


def test_accepted_rewrite_keeps_citations_and_recomputes_flags(assistant, template_draft):
    model = FakeListChatModel(responses=responses(template_draft))
    rewritten = assistant.draft(load_proposal(FINANCING), chat_model=model)
    bodies = [p for p in rewritten.paragraphs if p.role == "body" and p.citations]
    assert bodies and all(p.text.startswith("经研究，") for p in bodies)
    before = [p.citations for p in template_draft.paragraphs]
    assert [p.citations for p in rewritten.paragraphs] == before
    assert len(rewritten.flags) == len(template_draft.flags)
    assert not [w for w in rewritten.warnings if "大模型" in w]  # the rewrite kept (the template's own notes aside)


@pytest.mark.parametrize(
    "tamper, reason",
    [
        (lambda line, markers: line.replace(markers, ""), "引用标记"),
        (lambda line, markers: line.replace(markers, "累计投入98765.4亿元" + markers), "98765.4"),
        (lambda line, markers: line.replace(markers, "（见温科发〔2031〕7号）" + markers), "2031"),
        (lambda line, markers: "", "段落编号"),
    ],
)
def test_guard_rejects_back_to_the_template(assistant, template_draft, tamper, reason):
    model = FakeListChatModel(responses=responses(template_draft, tamper))
    result = assistant.draft(load_proposal(FINANCING), chat_model=model)
    first_section = next(s for s in rewritable_sections(result) if s)
    assert not first_section[0].text.startswith("经研究，")  # template text kept
    assert first_section[0].text == next(s for s in rewritable_sections(template_draft) if s)[0].text
    assert any(reason in w for w in result.warnings)


def test_unreachable_endpoint_keeps_the_template(assistant, template_draft):
    class Down(FakeListChatModel):
        def invoke(self, *args, **kwargs):
            raise ConnectionError("connection refused")

    result = assistant.draft(load_proposal(FINANCING), chat_model=Down(responses=[]))
    assert [p.text for p in result.paragraphs] == [p.text for p in template_draft.paragraphs]
    assert any("大模型不可用" in w for w in result.warnings)


def test_chat_model_is_off_by_default(settings):
    assert make_chat_model(settings) is None


@pytest.mark.skipif(importlib.util.find_spec("langchain_openai") is not None, reason="langchain-openai installed")
def test_configured_endpoint_without_the_package_says_what_to_install(settings):
    with pytest.raises(AssistantError, match="langchain-openai"):
        make_chat_model(settings.model_copy(update={"llm_base_url": "http://127.0.0.1:8000/v1"}))


def test_prompts_come_from_files(template_draft, tmp_path):
    """What the model is sent is the prompts folder's text: a 承办人's edit of system.j2 or of the
    section prompt reaches the model, with the section's paragraphs and their markers in it."""
    import shutil

    prompts = tmp_path / "prompts"
    shutil.copytree(ROOT / "prompts", prompts)
    system = prompts / "llm" / "system.j2"
    system.write_text(system.read_text(encoding="utf-8") + "\n只润色措辞，不增删事实。（本局测试用语）", encoding="utf-8")
    section = prompts / "llm" / "rewrite_section.j2"
    section.write_text("（本局测试用提示）\n" + section.read_text(encoding="utf-8"), encoding="utf-8")

    sent = []

    class Recording(FakeListChatModel):
        def invoke(self, messages, *args, **kwargs):
            sent.append(messages)
            return super().invoke(messages, *args, **kwargs)

    model = Recording(responses=responses(template_draft))
    SectionRewriter(model, prompts).rewrite(template_draft, FINANCING.read_text(encoding="utf-8"))
    assert sent, "no section was sent to the model"
    (role, system_text), (_, prompt) = sent[0]
    assert role == "system" and system_text.endswith("（本局测试用语）") and "[^c1]" in system_text
    assert prompt.startswith("（本局测试用提示）")
    first = next(s for s in rewritable_sections(template_draft) if s)[0]
    assert first.text[:20] in prompt and f"[^{first.citations[0]}]" in prompt
