"""Draft precision and recall on blind proposals (bench/eval/blind-*/proposals), one Markdown table.

    .venv/bin/python bench/blind_drafts.py bench/eval/blind-a/proposals [--index bench/.cache/dev-index] [--show NAME]

The proposals and their labels.json were written by a helper who saw only the corpus files (the
seed letters and the 410 regulations), never the code, the thesaurus or a draft: per suggestion,
the passages a 承办人 would accept (``acceptable``, [] where nothing fits), and per proposal the
reply paragraphs about its matter as a whole (``on_topic``). Each proposal is parsed and drafted
by the template drafter over the dev index (`make eval`) and judged:

- precision: borrowed paragraphs (any paragraph with a citation, 一、 and 二、, basis lines
  included) whose source is about the proposal's matter (any of its labels) / all borrowed;
- recall: suggestions with an acceptable passage whose （N） cites one of them / such suggestions;
  and the same over what the drafter may cite (``citable``): the labels also accept other cities'
  regulations (宁波市…条例), which no basis line of a 温州 bureau quotes (``basis_regions``);
- placeholders: suggestions labelled [] left with no borrowed reply paragraph;
- leads (``draft.leads``: passages a 【待补充】 names as worth a look, not quoted): of the suggestions with
  a citable acceptable passage that the draft leaves unanswered, those whose placeholder names one
  (pointed); and the leads whose passage is about the proposal's matter / all leads;
- parse: kind, proposers and the number of suggestions as labelled.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from assistant.letter.compose import in_jurisdiction
from assistant.letter.markdown import draft_to_markdown
from assistant.service import Assistant
from assistant.settings import Settings

_WS = re.compile(r"\s+")


def squeeze(text: str) -> str:
    return _WS.sub("", text or "")


@dataclass
class Judged:
    name: str
    parse_ok: dict = field(default_factory=dict)
    borrowed: int = 0
    on_matter: int = 0
    answerable: int = 0
    answered: int = 0
    citable: int = 0
    answered_citable: int = 0
    gaps: int = 0
    gaps_right: int = 0
    missed: int = 0  # suggestions with a citable acceptable passage, answered by none
    pointed: int = 0  # ... whose placeholder names one as worth a look
    leads: int = 0
    leads_on_matter: int = 0
    wrong: list[str] = field(default_factory=list)
    unanswered: list[str] = field(default_factory=list)


def matches(citation, texts: list[str], specs: list[dict]) -> bool:
    squeezed = [squeeze(t) for t in texts]
    return any(spec["source_contains"] in citation.source and any(squeeze(spec["text_contains"]) in t for t in squeezed) for spec in specs)


def citable(spec: dict, settings: Settings) -> bool:
    """A reply letter's passage, or a regulation of our jurisdiction (national, province, city)."""
    return in_jurisdiction(spec["source_contains"], settings.basis_region_names)


def judge(assistant: Assistant, name: str, draft, proposal, label: dict, strict: bool = False) -> Judged:
    judged = Judged(name)
    judged.parse_ok = {
        "kind": proposal.kind == label["kind"],
        # a 建议's 附议代表 follow its 领衔代表 (labels that list them apart say ``cosigners``)
        "proposers": list(proposal.proposers) == [*label["proposers"], *label.get("cosigners", [])],
        "suggestions": (len(proposal.suggestions), len(label["suggestions"])),
    }
    citations = {c.id: c for c in draft.citations}
    leads = [c for section in draft.leads.values() for c in section]
    chunks = assistant.corpus.store.get_chunks([c.chunk_id for c in [*draft.citations, *leads]])

    def texts_of(paragraph, citation) -> list[str]:
        # a letter's unit is judged on what was borrowed (paragraph, unit excerpt); an article on its whole text
        texts = [citation.excerpt] if paragraph is None else [paragraph.text, citation.excerpt]
        if citation.doc_type == "policy" and citation.chunk_id in chunks:
            texts.append(chunks[citation.chunk_id].text)
        return texts

    # on_topic: passages about the matter though no suggestion's answer; a bare name is a whole file (blind Z's labels)
    on_topic = [spec if isinstance(spec, dict) else {"source_contains": spec, "text_contains": ""} for spec in label.get("on_topic", [])]
    all_specs = [spec for s in label["suggestions"] for spec in s["acceptable"]] + ([] if strict else on_topic)
    sections = draft.sections
    for paragraph in draft.paragraphs:
        for cid in paragraph.citations:
            citation = citations.get(cid)
            if citation is None:
                continue
            judged.borrowed += 1
            if matches(citation, texts_of(paragraph, citation), all_specs):
                judged.on_matter += 1
            else:
                judged.wrong.append(f"{paragraph.section}: {citation.title} {citation.article} «{paragraph.text[:50]}»")
    for lead in leads:
        judged.leads += 1
        judged.leads_on_matter += matches(lead, texts_of(None, lead), all_specs)
    for suggestion in label["suggestions"]:
        paragraphs = [draft.paragraphs[i] for i in sections.get(f"plan:{suggestion['n']}", [])]
        cited = [(p, citations[c]) for p in paragraphs for c in p.citations if c in citations]
        if suggestion["acceptable"]:
            judged.answerable += 1
            answered = any(matches(c, texts_of(p, c), suggestion["acceptable"]) for p, c in cited)
            judged.answered += answered
            ours = [spec for spec in suggestion["acceptable"] if citable(spec, assistant.settings)]
            if ours:
                judged.citable += 1
                right = any(matches(c, texts_of(p, c), ours) for p, c in cited)
                judged.answered_citable += right
                if not right:
                    judged.missed += 1
                    got = "; ".join(f"{c.title} {c.article}".strip() for _, c in cited) or "nothing cited"
                    want = "; ".join(f"{spec['source_contains'][:16]} «{spec['text_contains']}»" for spec in ours[:2])
                    judged.unanswered.append(f"（{suggestion['n']}）{suggestion['gist']} — cited: {got} — acceptable: {want}")
                    judged.pointed += any(matches(c, texts_of(None, c), ours) for c in draft.leads.get(f"plan:{suggestion['n']}", []))
        else:
            judged.gaps += 1
            if not any(c.doc_type == "reply" for _, c in cited):
                judged.gaps_right += 1
    return judged


def share(a: int, b: int) -> str:
    return f"{a / b:.2f}" if b else "–"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", type=Path, help="a folder of proposals with labels.json")
    parser.add_argument("--index", type=Path, default=Path("bench/.cache/dev-index"))
    parser.add_argument("--show", help="print this proposal's draft and its judged paragraphs")
    parser.add_argument("--wrong", action="store_true", help="list the borrowed paragraphs judged off the matter")
    parser.add_argument("--strict", action="store_true", help="on the matter only where a suggestion's acceptable passages say so (not on_topic)")
    parser.add_argument("--missed", action="store_true", help="list the suggestions left without an acceptable passage that exists")
    args = parser.parse_args()
    if not (args.index / "store.db").exists():
        sys.exit(f"no index at {args.index}: build it with `make eval`")
    labels = json.loads((args.folder / "labels.json").read_text(encoding="utf-8"))
    assistant = Assistant(Settings(index_dir=args.index))
    rows = []
    print(
        "| proposal | kind | proposers | suggestions | borrowed | on the matter | precision | answered / answerable | of citable | placeholders right "
        "| missed, pointed by a lead | leads on the matter |"
    )
    print("|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, label in sorted(labels.items()):
        if args.show and name != args.show:
            continue
        path = args.folder / name if (args.folder / name).exists() else args.folder / f"{name}.txt"  # labels may name p01 for p01.txt
        proposal = assistant.parse_proposal(path.read_text(encoding="utf-8"))
        draft = assistant.draft(proposal, use_llm=False)
        judged = judge(assistant, name, draft, proposal, label, strict=args.strict)
        rows.append(judged)
        found, expected = judged.parse_ok["suggestions"]
        mark = lambda ok: "✓" if ok else "✗"  # noqa: E731
        print(
            f"| {name} | {mark(judged.parse_ok['kind'])} | {mark(judged.parse_ok['proposers'])} "
            f"| {mark(found == expected)} {found}/{expected} | {judged.borrowed} | {judged.on_matter} "
            f"| {share(judged.on_matter, judged.borrowed)} | {judged.answered}/{judged.answerable} "
            f"| {judged.answered_citable}/{judged.citable} | {judged.gaps_right}/{judged.gaps} "
            f"| {judged.pointed}/{judged.missed} | {judged.leads_on_matter}/{judged.leads} |"
        )
        if args.show:
            print("\n" + draft_to_markdown(draft))
        if args.wrong or args.show:
            for line in judged.wrong:
                print(f"  off the matter — {line}")
        if args.missed:
            for line in judged.unanswered:
                print(f"  missed — {line}")
    total = lambda key: sum(getattr(j, key) for j in rows)  # noqa: E731
    parsed = sum(1 for j in rows if j.parse_ok["suggestions"][0] == j.parse_ok["suggestions"][1])
    print(
        f"| **all {len(rows)}** | {sum(j.parse_ok['kind'] for j in rows)}/{len(rows)} "
        f"| {sum(j.parse_ok['proposers'] for j in rows)}/{len(rows)} | {parsed}/{len(rows)} | {total('borrowed')} "
        f"| {total('on_matter')} | **{share(total('on_matter'), total('borrowed'))}** "
        f"| **{total('answered')}/{total('answerable')} = {share(total('answered'), total('answerable'))}** "
        f"| **{total('answered_citable')}/{total('citable')} = {share(total('answered_citable'), total('citable'))}** "
        f"| {total('gaps_right')}/{total('gaps')} | **{total('pointed')}/{total('missed')}** | {total('leads_on_matter')}/{total('leads')} |"
    )


if __name__ == "__main__":
    main()
