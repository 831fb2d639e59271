"""HTML fragments for the web app. Every piece of document or user text is escaped here:
nothing from a proposal or a corpus file becomes live markup."""

from __future__ import annotations

import html
import re

from ..corpus import text as segment
from ..corpus.formats import scanned_note
from ..letter.model import SOURCE_ROLE_LABELS

ROLE_LABELS = {**SOURCE_ROLE_LABELS, "条文": "政策条文"}


def citations_panel(draft) -> str:
    if not draft.citations:
        return "<p class='muted'>本稿没有引用先例。</p>"
    items = []
    for c in draft.citations:
        meta = " · ".join(html.escape(x) for x in (c.doc_number or "", c.date or "", c.article, c.source) if x)
        items.append(
            f"<details class='citation'><summary><b>[^{html.escape(c.id)}]</b> "
            f"<span class='source-role role-{'policy' if c.doc_type == 'policy' else 'reply'}'>{html.escape(c.kind_label)}</span> "
            f"{html.escape(c.title)}</summary>"
            f"<div class='meta'>{meta} · 段落#{c.chunk_id}</div><blockquote>{html.escape(c.excerpt)}</blockquote></details>"
        )
    return "<div class='citations'>" + "".join(items) + "</div>"


def flags_panel(draft) -> str:
    """Placeholders first (a section with nothing in it matters most), then one entry per reused
    paragraph with its figures marked, then defects the source already had."""
    flags = draft.flags
    if not flags:
        return "<p class='muted'>没有需要核实的内容。</p>"
    rows = []
    for f in flags:
        if f.kind == "figure":
            marked = "、".join(f"<mark>{html.escape(x)}</mark>" for x in f.figures or [f.text])
            rows.append(f"<li class='flag-figure'>{html.escape(f.message)}：{marked}</li>")
        else:
            rows.append(f"<li class='flag-{html.escape(f.kind)}'><mark>{html.escape(f.text)}</mark> {html.escape(f.message)}</li>")
    gaps = f"，其中 {len(draft.gaps)} 条建议未找到答复先例（可在下方一键检索）" if draft.gaps else ""
    return f"<p><b>需核实 {len(flags)} 处</b>{gaps}</p><ul class='flags'>" + "".join(rows) + "</ul>"


def highlight(text: str, query: str, words: list[str] | None = None) -> str:
    """Escaped text with the query's words marked: ``words`` as the index cut them (its learned
    terms), else the packaged dictionary's."""
    words = words if words is not None else segment.tokenize(query)
    terms = sorted({t for t in words if len(t) > 1} | {query.strip()} - {""}, key=len, reverse=True)
    escaped = html.escape(text)
    if not terms:
        return escaped
    pattern = re.compile("|".join(re.escape(html.escape(t)) for t in terms))
    return pattern.sub(lambda m: f"<mark>{m.group(0)}</mark>", escaped)


def search_results(response) -> str:
    # warnings first (a shortened query, a rebuilt index): said in the tab that caused them
    warnings = "".join(f"<p class='warning'>⚠ {html.escape(w)}</p>" for w in response.warnings)
    notes = ""
    if response.expansions:
        notes += f"<p class='meta'>同时检索：{html.escape('、'.join(response.expansions))}</p>"
    if response.hidden:
        notes += f"<p class='meta'>另有 {response.hidden} 条相关度较低的结果未显示（勾选“显示更多”查看）。</p>"
    if not response.results:
        return warnings + "<p>未找到相关先例。</p>" + notes
    groups: dict[str, list] = {}
    for result in response.results:
        groups.setdefault(result.source, []).append(result)
    parts = []
    for source, results in groups.items():
        first = results[0]
        kind = "答复函" if first.doc_type == "reply" else "政策文件"
        # the roles of the units in these passages: 答复函·成效 / 答复函·计划 / 政策条文 …
        date = first.metadata.get("date", "")
        scanned = scanned_note(first.metadata)
        scanned = f" <span class='scanned' title='文字由扫描件识别得到，数字请对照原件'>{html.escape(scanned)}</span>" if scanned else ""
        parts.append(
            f"<div class='doc'><h4>{html.escape(first.title)} <small>{kind} {html.escape(str(date))}</small>{scanned}</h4>"
            f"<div class='meta'>{html.escape(source)}</div>"
        )
        for r in results:
            where = f"<div class='meta'>{html.escape(r.heading)}</div>" if r.heading else ""
            roles = " · ".join(html.escape(ROLE_LABELS.get(role, role)) for role in r.roles if role in ROLE_LABELS)
            parts.append(
                f"<div class='passage'>{where}<p>{highlight(r.text, response.query, response.words)}</p>"
                f"<div class='meta'>段落#{r.chunk_id}{' · ' + roles if roles else ''} · {'+'.join(r.retrievers)} · "
                f"{r.score:.3f} · 相关度 {r.match:.2f}</div></div>"
            )
        parts.append("</div>")
    return warnings + notes + "".join(parts)


def import_summary(result, draft_id: int) -> str:
    """What importing a Word letter did (version, tracked changes, citations, comments left out)
    and what lint and review found in it."""
    head = f"<p><b>已导入为草稿 #{draft_id} 第 {result.version} 版</b>（已载入“起草答复”）</p>"
    notes = "".join(f"<li>{html.escape(n)}</li>" for n in result.notes)
    if not result.findings:
        return head + f"<ul>{notes}</ul><p class='muted'>格式检查与审核未发现问题。</p>"
    rows = "".join(
        f"<li><b>{html.escape(f['check'])}</b> {'第 ' + str(f['line']) + ' 行 ' if f.get('line') else ''}"
        f"{html.escape(f['message'])}{'<br><span class=muted>建议：' + html.escape(f['fix']) + '</span>' if f.get('fix') else ''}</li>"
        for f in result.findings
    )
    return head + f"<ul>{notes}</ul><p><b>检查发现 {len(result.findings)} 处</b></p><ul class='flags'>{rows}</ul>"


CSS = """
.muted {color: #888}
.warning {color: #92400e; background: #fef3c7; padding: 4px 8px; border-radius: 4px}
.citations details {margin: 4px 0; padding: 4px 8px; border-left: 3px solid #3b82f6; background: #f8fafc}
.citations blockquote {margin: 4px 0; color: #333; white-space: pre-wrap}
.meta {color: #666; font-size: 0.85em}
ul.flags li {margin: 2px 0}
mark {background: #fde68a; padding: 0 2px}
.flag-placeholder mark {background: #fecaca}
.flag-defect mark {background: #fca5a5}
.source-role {font-size: 0.8em; padding: 0 4px; border-radius: 3px; background: #e0f2fe; color: #075985}
.source-role.role-policy {background: #f3e8ff; color: #6b21a8}
.doc {border: 1px solid #e5e7eb; border-radius: 6px; padding: 8px 12px; margin: 8px 0}
.passage {border-top: 1px dashed #e5e7eb; padding-top: 6px}
.diff-add {background: #dcfce7; white-space: pre-wrap; font-family: monospace}
.diff-del {background: #fee2e2; white-space: pre-wrap; font-family: monospace}
.diff-ctx {white-space: pre-wrap; font-family: monospace}
"""
