"""Optional rewrite of a draft's sections by a local chat model (off by default).

When ``settings.llm_base_url`` names an OpenAI-compatible endpoint (vLLM, Ollama, … serving
e.g. Qwen), each section with precedent paragraphs is rewritten so the letter reads as one,
from prompts in ``prompts/llm/``. The model sees only the proposal and the section's cited
paragraphs. Its output is accepted only if every paragraph and citation marker survives and it
adds no 文号 or number absent from the proposal and the sources; otherwise the template section
is kept and the draft says why.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import AssistantError
from ..genre.patterns import DOC_NUMBER
from .model import Citation, Draft, Paragraph, flag_paragraph

if TYPE_CHECKING:
    from ..settings import Settings

LINE = re.compile(r"^\s*\[P(\d+)\]\s*(.+?)\s*$")
MARKERS = re.compile(r"\s*\[\^(c\d+)\]")
NUMBER = re.compile(r"\d+(?:\.\d+)?")


def make_chat_model(settings: Settings) -> Any:
    """LangChain's ChatOpenAI for the configured endpoint, or None when none is configured."""
    if not settings.llm_base_url:
        return None
    try:
        from langchain_openai import ChatOpenAI
    except ImportError as exc:
        raise AssistantError(
            "已配置大模型地址，但未安装 langchain-openai：pip install 'reply-assistant[llm]'",
            "an LLM endpoint is configured but langchain-openai is missing: pip install 'reply-assistant[llm]'",
        ) from exc
    return ChatOpenAI(
        base_url=settings.llm_base_url,
        api_key=settings.llm_api_key or "not-needed",
        model=settings.llm_model,
        temperature=0.2,
        timeout=settings.llm_timeout,
        max_retries=1,
    )


class SectionRewriter:
    def __init__(self, chat_model: Any, templates_dir: Path) -> None:
        from jinja2 import Environment, FileSystemLoader, StrictUndefined

        self.model = chat_model
        self.env = Environment(loader=FileSystemLoader(str(templates_dir / "llm")), undefined=StrictUndefined)

    def rewrite(self, draft: Draft, proposal_text: str) -> Draft:
        """A new Draft: sections rewritten where the model's output passes the guard."""
        result = draft.model_copy(deep=True)
        citations = {c.id: c for c in result.citations}
        for section, indexes in result.sections.items():
            body = [i for i in indexes if result.paragraphs[i].role == "body" and result.paragraphs[i].citations]
            if not body:
                continue
            heading = next((result.paragraphs[i].text for i in indexes if result.paragraphs[i].role.startswith("heading")), "")
            paragraphs = [result.paragraphs[i] for i in body]
            prompt = self.env.get_template("rewrite_section.j2").render(
                proposal=result.proposal,
                proposal_text=proposal_text,
                heading=heading,
                suggestion=heading if section.startswith("plan:") else "",
                paragraphs=paragraphs,
                letter_kind=result.letter_kind,
            )
            try:
                system = self.env.get_template("system.j2").render(letter_kind=result.letter_kind)
                reply = self.model.invoke([("system", system), ("human", prompt)])
                rewritten = self._accept(str(reply.content), paragraphs, proposal_text, [citations[c] for p in paragraphs for c in p.citations])
            except RewriteRejected as exc:
                result.warnings.append(f"大模型改写“{heading or section}”未采用：{exc} / LLM rewrite of {section} rejected")
                continue
            except Exception as exc:  # endpoint down, timeout…: the template draft stands
                result.warnings.append(f"大模型不可用，保留模板草稿：{exc} / LLM unavailable, template draft kept")
                return result
            for index, text in zip(body, rewritten):
                paragraph = result.paragraphs[index]
                result.paragraphs[index] = Paragraph(**{**paragraph.model_dump(), "text": text, "flags": []})
                result.paragraphs[index].flags = flag_paragraph(result.paragraphs[index], citations)
        return result

    @staticmethod
    def _accept(output: str, originals: list[Paragraph], proposal_text: str, sources: list[Citation]) -> list[str]:
        lines = {int(m.group(1)): m.group(2) for m in map(LINE.match, output.splitlines()) if m}
        if sorted(lines) != list(range(1, len(originals) + 1)):
            raise RewriteRejected(f"段落编号不完整（应为 {len(originals)} 段，得到 {sorted(lines)}）")
        allowed_text = proposal_text + "".join(p.text for p in originals) + "".join(c.excerpt for c in sources)
        allowed_numbers = set(NUMBER.findall(allowed_text))
        allowed_doc_numbers = {m.group(1) for m in DOC_NUMBER.finditer(allowed_text)}
        texts = []
        for number, original in enumerate(originals, 1):
            text = lines[number]
            if MARKERS.findall(text) != original.citations:
                raise RewriteRejected(f"第 {number} 段的引用标记缺失或被改动")
            invented = set(NUMBER.findall(MARKERS.sub("", text))) - allowed_numbers
            if invented:
                raise RewriteRejected(f"第 {number} 段出现来源中没有的数字：{'、'.join(sorted(invented))}")
            new_doc_numbers = {m.group(1) for m in DOC_NUMBER.finditer(text)} - allowed_doc_numbers
            if new_doc_numbers:
                raise RewriteRejected(f"第 {number} 段出现来源中没有的文号：{'、'.join(sorted(new_doc_numbers))}")
            texts.append(MARKERS.sub("", text).strip())
        return texts


class RewriteRejected(Exception):
    pass
