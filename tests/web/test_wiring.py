"""What follows what in the page (the app's event graph, read from its config without a server or browser)."""

from __future__ import annotations


def test_saving_or_reviewing_a_draft_refreshes_what_is_left_to_check(assistant):
    """A probe filled the fields, saved, reviewed, and still read 需核实 10 处 with a deleted [^c4] listed: the
    panels follow a successful 保存 and 审核 as they follow 检查格式 / 刷新核实项."""
    from assistant.web.app import build_app

    config = build_app(assistant).config
    elem = {c["id"]: c.get("props", {}).get("elem_id") for c in config["components"]}
    events = config["dependencies"]
    refreshed = next(e for e in events if e.get("api_name") == "check_draft")
    for name in ("save_draft", "review_draft"):
        first = next(i for i, e in enumerate(events) if e.get("api_name") == name)
        after = [e for e in events if e.get("trigger_after") == first and e.get("trigger_only_on_success")]
        assert any({elem[o] for o in e["outputs"]} == {elem[o] for o in refreshed["outputs"]} for e in after), name
    assert {"flags", "citations", "letter-preview"} <= {elem[o] for o in refreshed["outputs"]}


def test_another_draft_picked_clears_the_comparison_shown(assistant):
    """A probe switched to a draft of one version and still read the first draft's 第1版→第3版 comparison."""
    from assistant.web.app import build_app

    config = build_app(assistant).config
    elem = {c["id"]: c.get("props", {}).get("elem_id") for c in config["components"]}
    pick = next(i for i, e in elem.items() if e == "draft-pick")
    on_pick = [e for e in config["dependencies"] if any(t[0] == pick and t[1] == "change" for t in e["targets"])]
    assert any("diff-view" in {elem[o] for o in e["outputs"]} for e in on_pick)
