"""The staff web app: 起草答复 / 办理台账 / 先例检索 / 语料库 / 草稿 — the page, and the server.

Each tab is its own module (components, handlers, its events); this one puts them on one page,
wires what crosses tabs (open a draft, search a gap, insert a passage), and starts the server.
The model and the index are loaded once per process and shared by all sessions; requests queue.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path

from ..service import Assistant
from .common import Context, gr


def build_app(assistant: Assistant, owners=None):
    """The Blocks. ``owners`` (security.FileOwners): who uploaded or exported each temp file."""
    from . import cases_tab, corpus_tab, draft_tab, drafts_tab, search_tab

    ctx = Context(assistant, owners)
    with gr.Blocks(title="答复函助手", analytics_enabled=False) as demo:
        with gr.Row():
            gr.Markdown("## 答复函助手 · 政协提案 / 人大建议答复起草")
            who = gr.HTML("", elem_id="current-user")  # 当前用户：张三 · 退出 (with login on)
        greeting = gr.Markdown("", elem_id="season-greeting")  # 办理台账：N 件 7 日内到期，M 件已逾期
        # A hidden field, not gr.State: API clients (and tests) must be able to read and pass it.
        draft_id = gr.Number(value=None, visible=False, precision=0, label="草稿编号")
        with gr.Tabs() as tabs:
            with gr.Tab("起草答复", id="draft"):
                draft = draft_tab.build(ctx, draft_id)
            with gr.Tab("办理台账", id="cases"):
                cases_area = gr.Column()
            with gr.Tab("先例检索", id="search"):
                search = search_tab.build(ctx)
            with gr.Tab("语料库", id="corpus"):
                corpus = corpus_tab.build(ctx)
            with gr.Tab("草稿", id="drafts"):
                drafts = drafts_tab.build(ctx, draft.handlers)
            with cases_area:  # built after 草稿: a case opens its draft through the drafts tab's handler
                cases = cases_tab.build(ctx, drafts.handlers)

        # across tabs
        draft.gap_button.click(search.handlers.search_gap, [draft.gap_pick], [search.query, *search.result_outputs, tabs], api_name="search_gap")
        search.insert_button.click(
            search.handlers.insert_passage,
            [search.passage_pick, draft_id, draft.draft_text, draft.draft_revision, search.insert_at, search.query],
            [draft.draft_text, search.insert_note, draft.draft_revision],
            api_name="insert_passage",
            js=search_tab.CARET_LINE_JS,
        )
        opened = [*draft.draft_outputs, draft.proposal_text, tabs, *draft.parsed_fields]  # a draft shown in 起草答复
        drafts.open_button.click(drafts.handlers.open_draft, [drafts.draft_pick], opened, api_name="open_draft")
        drafts.import_button.click(
            drafts.handlers.import_word,
            [drafts.draft_pick, drafts.word_upload],
            [drafts.import_note, *drafts.version_outputs, *draft.draft_outputs],
            api_name="import_word",
        )
        cases.open_button.click(cases.handlers.open_case, [cases.case_pick], opened, api_name="open_case")
        demo.load(None, None, None, js=draft_tab.LEAVE_GUARD_JS)
        demo.load(ctx.season_greeting, None, greeting, api_visibility="private")
        demo.load(ctx.current_user, None, who, api_visibility="private")
        demo.load(cases.handlers.table, cases.filters, cases.listing, api_visibility="private")
        demo.load(corpus.handlers.documents_table, None, corpus.list_outputs, api_visibility="private")
        demo.load(drafts.handlers.drafts_table, None, [drafts.drafts, drafts.draft_pick], api_visibility="private")
        gr.on([tabs.change], drafts.handlers.drafts_table, None, [drafts.drafts, drafts.draft_pick], api_name="list_drafts")
    demo.queue(default_concurrency_limit=4)
    return demo


def serving_environment(settings, temp_dir: Path) -> None:
    """The process environment Gradio and uvicorn are configured by, set in one place and only to
    serve (importing the web package changes nothing): no telemetry; Gradio's temp files in the
    app's private folder (each component reads GRADIO_TEMP_DIR when it is made); X-Forwarded-For
    believed only from the configured proxies (uvicorn trusts 127.0.0.1 otherwise, and every
    client of the default bind is 127.0.0.1)."""
    os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
    os.environ["GRADIO_TEMP_DIR"] = str(temp_dir)
    os.environ["FORWARDED_ALLOW_IPS"] = settings.trusted_proxies


def launch(assistant: Assistant, host: str | None = None, port: int | None = None, block: bool = True, on_ready=None):
    """Start the app (127.0.0.1 by default, no share link; login when the user source holds users:
    the users file, or with a database URL the database's users table — ``Assistant.user_source``).

    ``on_ready()`` is called once the server listens. Returns the Blocks; its ``close()`` also
    empties the app's temp dir. A busy port raises AssistantError before anything is built."""
    import time

    from starlette.middleware import Middleware

    from ..drafts import exports
    from ..users import authenticator
    from . import render
    from .security import FileOwners, Gate, Janitor, check_port, port_in_use, private_temp_dir

    settings = assistant.settings
    host, port = host or settings.host, port or settings.port
    check_port(host, port)
    auth = authenticator(
        assistant.user_source(),
        settings.login_max_failures,
        settings.login_lockout_seconds,
        audit=assistant.drafts.audit,
        address_max_failures=settings.login_address_max_failures or None,
    )
    temp_dir = private_temp_dir(settings.data_dir)
    serving_environment(settings, temp_dir)  # before build_app: components pick their temp dir when made
    janitor = Janitor(settings.data_dir, temp_dir, settings.export_keep_hours).start()
    owners = FileOwners(temp_dir)
    demo = build_app(assistant, owners)
    minutes = max(1, round(settings.login_lockout_seconds / 60))
    try:
        demo.launch(
            server_name=host,
            server_port=port,
            share=False,
            auth=auth,
            auth_message=f"答复函助手：请登录（连续输错 {settings.login_max_failures} 次将锁定 {minutes} 分钟）",
            max_file_size=f"{int(settings.upload_max_mb)}mb",
            prevent_thread_lock=True,
            ssr_mode=False,
            css=render.CSS,
            quiet=True,
            show_error=True,  # our own start line says where; no share-link hint
            run_history=False,  # the browser's run history would keep proposals and drafts in localStorage
            allowed_paths=[str(exports.exports_root(settings.data_dir))],  # exports outside the cwd; Gate checks the owner
            app_kwargs={
                "openapi_url": None,
                "middleware": [Middleware(Gate, data_dir=settings.data_dir, owners=owners, unit=settings.issuing_unit or settings.letterhead)],
            },
        )
    except OSError as exc:  # taken between check_port and the bind
        janitor.stop()
        raise port_in_use(port) from exc
    gradio_close = demo.close

    def close(verbose: bool = True) -> None:
        gradio_close(verbose)
        janitor.stop()
        exports.empty_dir(temp_dir)  # uploads and export copies do not outlive the server

    demo.close = close
    if not block:
        if on_ready is not None:
            on_ready()
        return demo
    previous = _stop_on_sigterm()  # before "serving on" is said: a stop right after it is caught too
    try:
        if on_ready is not None:
            on_ready()
        while demo.is_running:
            time.sleep(0.2)
    except KeyboardInterrupt:
        pass
    finally:
        demo.close(verbose=False)  # uploads and export copies go, however the server was stopped
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    return demo


def _stop_on_sigterm():
    """A service manager stops the server with SIGTERM: handled as Ctrl+C (the temp dir is emptied on the way
    out). Returns the handler it replaced (None off the main thread, where signals cannot be set)."""
    import threading

    if threading.current_thread() is not threading.main_thread():
        return None

    def stop(signum, frame):
        raise KeyboardInterrupt

    return signal.signal(signal.SIGTERM, stop)
