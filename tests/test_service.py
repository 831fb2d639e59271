"""The door is composed, not inherited: each service is built from what it uses and works alone;
every door method is one service's, with its signature and docstring."""

from __future__ import annotations

import inspect

import pytest

from assistant.letter.service import LetterService
from assistant.service import Assistant, _Door


def never(what):
    def opener():
        raise AssertionError(f"{what} was opened")

    return opener


def test_the_letter_service_lints_and_exports_without_an_index_or_a_drafts_database(settings, tmp_path):
    audited = []
    letters = LetterService(settings, never("the index"), lambda *args, **kwargs: audited.append(args))
    findings = letters.lint("温科提复〔24〕106号\n张三委员\n")
    assert {f.rule for f in findings} >= {"salutation_colon"}
    draft = letters.load_draft(_write(tmp_path / "d.md", "张三委员：\n\n您提出的关于加强科技金融的提案收悉。\n"))
    path = letters.export(draft, tmp_path / "out.docx", user="甲")
    assert path.exists() and audited == [("export_file", str(path), "")]


def test_every_door_is_one_services_method_with_its_signature(settings):
    doors = {name: value for name, value in vars(Assistant).items() if isinstance(value, _Door)}
    assert len(doors) > 40
    assistant = Assistant(settings)
    try:
        for name, door in doors.items():
            service = getattr(assistant, door.service)
            assert callable(getattr(service, name)), name
            # on the class: the service's own function (help(), inspect and monkeypatch see it)
            assert getattr(Assistant, name) is getattr(type(service), name)
        assert "query" in inspect.signature(Assistant.search).parameters
        assert Assistant.search.__doc__ and "relevance floor" in Assistant.search.__doc__
    finally:
        assistant.close()


def test_nothing_is_opened_until_a_method_needs_it(settings):
    assistant = Assistant(settings)
    try:
        assert not assistant._corpus.opened and not assistant._book.opened
        assistant.lint("张三委员：\n")
        assert not assistant._corpus.opened and not assistant._book.opened
        assistant.stats()
        assert assistant._corpus.opened
    finally:
        assistant.close()
    assert not assistant._corpus.opened and not assistant._book.opened


def _write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def settings(tmp_path):
    from assistant.settings import Settings

    return Settings(index_dir=tmp_path / "index", data_dir=tmp_path / "data", embedding_model="hash:64", _env_file=None)
