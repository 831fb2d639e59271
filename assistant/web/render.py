"""HTML fragments for the web app. Every piece of document or user text is escaped here:
nothing from a proposal or a corpus file becomes live markup."""

from __future__ import annotations

import html
import re

from ..cases.service import DUE_SOON_DAYS
from ..cases.similar import entry_label
from ..corpus import text as segment
from ..corpus.duplicates import file_name
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


RETRIEVER_LABELS = {"bm25": "关键词", "dense": "语义"}  # what found a passage, in a 承办人's words


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
            # the file's name, its full path on hover: where the original lies matters less than which file it is
            f"<div class='meta' title='{html.escape(source, quote=True)}'>文件：{html.escape(file_name(source))}</div>"
        )
        for r in results:
            where = f"<div class='meta'>{html.escape(r.heading)}</div>" if r.heading else ""
            roles = " · ".join(html.escape(ROLE_LABELS.get(role, role)) for role in r.roles if role in ROLE_LABELS)
            found_by = "、".join(RETRIEVER_LABELS.get(name, name) for name in r.retrievers)
            parts.append(
                f"<div class='passage'>{where}<p>{highlight(r.text, response.query, response.words)}</p>"
                f"<div class='meta'>段落#{r.chunk_id}{' · ' + roles if roles else ''} · {found_by}命中 · "
                f"<span title='检索分 {r.score:.3f}，契合度 {r.match:.2f}（本次阈值 {response.floor:.2f}）'>相关度 {response.relevance(r)}</span></div></div>"
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


def _marked(text: str, figures: list[str]) -> str:
    """A paragraph's text, escaped, its placeholders in red and its figures to check highlighted."""
    from ..genre.patterns import PLACEHOLDER

    spans = [(m.start(), m.end(), "placeholder") for m in PLACEHOLDER.finditer(text)]
    for figure in dict.fromkeys(f for f in figures if f):
        start = 0
        while (at := text.find(figure, start)) >= 0:
            spans.append((at, at + len(figure), "figure"))
            start = at + len(figure)
    out, position = [], 0
    for start, end, kind in sorted(spans):
        if start < position:
            continue  # overlapping: the earlier mark wins
        out.append(html.escape(text[position:start]))
        tag = ("<span class='placeholder'>", "</span>") if kind == "placeholder" else ("<mark class='figure'>", "</mark>")
        out.append(tag[0] + html.escape(text[start:end]) + tag[1])
        position = end
    out.append(html.escape(text[position:]))
    return "".join(out)


def letter_preview(draft, lines) -> str:
    """The draft as the letter it will be: 公文 faces (title, 一、 and （一） headings, indented paragraphs), each
    borrowed paragraph with its source's role as a badge that opens the source, figures to check marked,
    placeholders in red; each paragraph carries its line in the text pane (``lines``), for findings to point at."""
    if draft is None:
        return "<p class='muted'>生成或打开草稿后，这里按公文版式显示。</p>"
    from ..letter.export import title_lines

    citations = {c.id: c for c in draft.citations}
    parts = []
    for index, paragraph in enumerate(draft.paragraphs):
        figures = [f for flag in paragraph.flags if flag.kind == "figure" for f in (flag.figures or [flag.text])]
        badges = []
        for cid in paragraph.citations:
            if (c := citations.get(cid)) is None:
                continue
            meta = " · ".join(html.escape(x) for x in (c.doc_number or "", c.date or "", c.article, c.title) if x)
            badges.append(
                f"<details class='source'><summary class='source-role role-{'policy' if c.doc_type == 'policy' else 'reply'}'>"
                f"{html.escape(c.kind_label)}</summary><span class='meta'>{meta}</span><blockquote>{html.escape(c.excerpt)}</blockquote></details>"
            )
        line = lines[index] if index < len(lines) and lines[index] else ""
        if paragraph.role == "title":  # as the Word file sets it: whole lines, the short 届次 form where it would wrap
            shown = "<br>".join(_marked(part, figures) for part in title_lines(paragraph.text))
        else:
            shown = _marked(paragraph.text, figures)
        parts.append(
            f"<div class='lp lp-{html.escape(paragraph.role)}' data-line='{line}' title='第 {line} 行'>"
            f"<span class='ln'>{line}</span>{shown}{''.join(badges)}</div>"
        )
    if not parts:
        return "<p class='muted'>生成或打开草稿后，这里按公文版式显示。</p>"
    return f"<div class='letter-preview'>{''.join(parts)}</div>"


NO_LOGIN = "（未启用登录）"  # who made a draft or version where the app runs without accounts: not a blank or a dash


def user_label(user: str) -> str:
    return user or NO_LOGIN


def version_diff(result, local) -> str:
    """Two versions side by side, paragraphs aligned, the changed characters marked within a paragraph; above
    each side, which version, who saved it and when (``local``: a stored time as the office reads it)."""

    def side(pieces, mark: str) -> str:
        return "".join(f"<{mark}>{html.escape(text)}</{mark}>" if changed else html.escape(text) for text, changed in pieces)

    def head(version) -> str:
        who, when = user_label(version["created_by"]), local(version["created_at"])
        return f"第 {version['number']} 版 · {html.escape(version['note'])} · {html.escape(who)} · {html.escape(when)}"

    rows = result["rows"]
    changed = [r for r in rows if r.kind != "相同"]
    if not changed:
        return f"<p class='muted'>两个版本内容相同（{head(result['old'])}；{head(result['new'])}）</p>"
    body = []
    for row in rows:
        css = {"相同": "diff-ctx", "修改": "diff-mod", "新增": "diff-add", "删除": "diff-del"}[row.kind]
        body.append(
            f"<tr class='{css}'><td class='diff-kind'>{row.kind if row.kind != '相同' else ''}</td>"
            f"<td>{side(row.old, 'del')}</td><td>{side(row.new, 'ins')}</td></tr>"
        )
    summary = "，".join(f"{kind} {sum(r.kind == kind for r in rows)} 段" for kind in ("修改", "新增", "删除") if any(r.kind == kind for r in rows))
    return (
        f"<p><b>{summary}</b></p><table class='version-diff'><thead><tr><th></th><th>{head(result['old'])}</th><th>{head(result['new'])}</th></tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table>"
    )


CASE_HEADERS = ["#", "编号", "案由", "提案人/代表", "角色", "交办", "期限", "状态", "承办人", "答复文号"]


def cases_table(cases, as_of) -> str:
    """The 办理台账 as a table; 期限 coloured by days left (late: red, within a week: amber) and said in words,
    so it reads without colour too."""
    if not cases:
        return "<p class='muted'>没有符合条件的办理事项。</p>"
    head = "".join(f"<th>{h}</th>" for h in CASE_HEADERS)
    rows = []
    for c in cases:
        left = c.days_left(as_of)
        if left is None:
            due, css = html.escape(c.due or "—"), ""
        else:
            css = "due-late" if left < 0 else ("due-soon" if left <= DUE_SOON_DAYS else "due-ok")
            said = f"逾期 {-left} 天" if left < 0 else f"剩 {left} 天"
            due = f"{html.escape(c.due)}<br><span class='due-days'>{said}</span>"
        similar = (
            f"<br><span class='muted'>相似：{html.escape('、'.join(s.get('doc_number') or entry_label(s) for s in c.similar))}</span>" if c.similar else ""
        )
        cells = [
            str(c.id),
            html.escape(c.label()),
            html.escape(c.title) + similar,
            html.escape("、".join(c.proposers)),
            html.escape(c.role + (f"（主办：{c.lead_unit}）" if c.role == "会办" and c.lead_unit else "")),
            html.escape(c.assigned or "—"),
            f"<span class='{css}'>{due}</span>" if css else due,
            html.escape(c.status),
            html.escape(c.assignee or "未分派"),
            html.escape(c.reply_doc_number or ""),
        ]
        rows.append(f"<tr data-case='{c.id}'>" + "".join(f"<td>{x}</td>" for x in cells) + "</tr>")
    return f"<table class='cases'><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def case_stats(stats) -> str:
    """The year-end figures a 办理工作总结 needs, in sentences."""
    rate = f"{stats['on_time_rate']:.0%}" if stats["on_time_rate"] is not None else "—"
    which = f"{stats['year']}年" if stats["year"] else "全部年份"
    parts = "，".join(f"{k} {v} 件" for k, v in stats["by_kind_and_role"].items()) or "无"
    lines = [
        f"<b>{which}</b>：共 {stats['cases']} 件（{html.escape(parts)}）",
        f"已答复 {stats['answered']} 件，按期答复 {stats['on_time']} 件（{rate}）；在办 {stats['open']} 件，逾期 {stats['late']} 件",
        "办理结果类别：" + html.escape("，".join(f"{k}类 {v} 件" for k, v in stats["classes"].items()) or "未登记"),
        "提案人/代表反馈：" + html.escape("，".join(f"{k} {v} 件" for k, v in stats["feedback"].items()) or "未登记"),
    ]
    return "<div class='case-stats'>" + "".join(f"<p>{line}</p>" for line in lines) + "</div>"


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
table.version-diff {border-collapse: collapse; width: 100%; table-layout: fixed; font-size: 14px; line-height: 1.7}
table.version-diff th, table.version-diff td {border: 1px solid #e5e7eb; padding: 4px 8px; vertical-align: top; white-space: pre-wrap}
table.version-diff th {background: #f3f4f6; font-weight: normal; text-align: left}
table.version-diff td.diff-kind, table.version-diff th:first-child {width: 3em; color: #6b7280; font-size: 12px}
table.version-diff tr.diff-ctx td {color: #6b7280}
table.version-diff tr.diff-add td:last-child {background: #f0fdf4}
table.version-diff tr.diff-del td:nth-child(2) {background: #fef2f2}
table.version-diff ins {background: #bbf7d0; text-decoration: none}
table.version-diff del {background: #fecaca}
.letter-preview {font-family: "FangSong", "STFangsong", "Noto Serif CJK SC", serif; font-size: 16px; line-height: 1.9;
  background: #fff; color: #111; padding: 20px 28px 20px 44px; border: 1px solid #d1d5db; border-radius: 4px; max-height: 70em; overflow-y: auto}
.lp {position: relative; margin: 0; text-indent: 2em; cursor: pointer}
.lp .ln {position: absolute; left: -3.2em; width: 2.6em; text-align: right; text-indent: 0; color: #9ca3af; font-size: 11px; font-family: monospace}
.lp-title {text-align: center; text-indent: 0; font-family: "Noto Serif CJK SC", "SimSun", serif; font-weight: bold; font-size: 21px; margin: 10px 0 14px}
.lp-doc_number {text-align: center; text-indent: 0}
.lp-salutation, .lp-cc {text-indent: 0}
.lp-heading1 {font-family: "Noto Sans CJK SC", "SimHei", sans-serif}
.lp-heading2 {font-family: "KaiTi", "STKaiti", "Noto Serif CJK SC", serif; font-weight: bold}
.lp-signature, .lp-date {text-align: right; text-indent: 0; padding-right: 2em}
.lp .placeholder {color: #dc2626; font-weight: bold}
.lp mark.figure {background: #fde68a}
.lp details.source {display: inline; text-indent: 0; margin-left: 4px}
.lp details.source summary {display: inline; cursor: pointer}
.lp details.source[open] {display: block; border-left: 3px solid #3b82f6; background: #f8fafc; padding: 2px 8px; font-size: 13px; line-height: 1.6}
.lp.marked {background: #fef3c7; outline: 2px solid #f59e0b}
table.cases {border-collapse: collapse; width: 100%; font-size: 0.92em}
table.cases th, table.cases td {border: 1px solid #e5e7eb; padding: 4px 6px; text-align: left; vertical-align: top}
table.cases th {background: #f3f4f6}
.due-late {color: #b91c1c; font-weight: bold}
.due-soon {color: #b45309; font-weight: bold}
.due-ok {color: #166534}
.due-days {font-size: 0.85em}
"""
