"""Title lines as LibreOffice renders them (issue 26, GB/T 9704 7.3.3): a 人大建议 title whose long 届次 would
wrap (“关于市第十四届人民代表大会第四次会议88 / 号建议的 / 答复函”) is set in the short form on whole lines; 政协提案
titles and a 会办意见 of several lengths break only between words, never inside a number, 答复函 on its own line."""

from __future__ import annotations

import os
import re
import subprocess

import pytest

from assistant.letter.export import export_docx, title_lines
from assistant.letter.model import Draft, Paragraph

from .common import ARTIFACTS, FONTS_CONF, SOFFICE

if SOFFICE is None and os.environ.get("CI"):
    pytest.fail("LibreOffice (soffice) is required in CI: .ci/run installs libreoffice-writer-nogui", pytrace=False)
pytestmark = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice not installed (apt-get install libreoffice-writer-nogui)")

TITLES = {
    "renda-long": "关于市第十四届人民代表大会第四次会议88号建议的答复函",
    "zhengxie": "关于市政协十二届三次会议370号提案的答复函",
    "zhengxie-long": "关于市政协第十二届委员会第四次会议第1288号提案的答复函",
    "huiban": "关于市政协十二届四次会议第56号提案的会办意见",
    "free": "关于进一步完善我市科技成果转化激励机制加快建设区域科技创新中心的建议的答复函",
    "short": "关于加快发展的答复函",
}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    import pdfplumber

    work = tmp_path_factory.mktemp("titles")
    paths = []
    for name, title in TITLES.items():
        draft = Draft(
            proposal={},
            paragraphs=[
                Paragraph(role="title", text=title),
                Paragraph(role="salutation", text="王丽委员："),
                Paragraph(role="body", text="您提出的提案收悉。"),
            ],
        )
        paths.append(str(export_docx(draft, work / f"{name}.docx")))
    env = {**os.environ, "FONTCONFIG_FILE": str(FONTS_CONF), "HOME": str(work)}
    subprocess.run(
        [SOFFICE, "--headless", f"-env:UserInstallation=file://{work}/profile", "--convert-to", "pdf", "--outdir", str(work), *paths],
        check=True,
        env=env,
        capture_output=True,
        timeout=300,
    )
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    lines = {}
    for name in TITLES:
        (ARTIFACTS / f"title-{name}.pdf").write_bytes((work / f"{name}.pdf").read_bytes())
        with pdfplumber.open(str(work / f"{name}.pdf")) as pdf:
            text = pdf.pages[0].extract_text() or ""
        lines[name] = [re.sub(r"\s+", "", line) for line in text.split("\n") if line.strip()]
    return lines


@pytest.mark.parametrize("name", list(TITLES))
def test_each_title_line_is_rendered_whole(rendered, name):
    expected = title_lines(TITLES[name])
    assert rendered[name][: len(expected)] == expected  # no line wrapped by the renderer on top of ours
    assert rendered[name][len(expected)] == "王丽委员："


def test_the_long_session_is_shortened_and_numbers_are_never_cut(rendered):
    assert rendered["renda-long"][:2] == ["关于市十四届人大四次会议第88号建议的", "答复函"]
    assert rendered["zhengxie"][:2] == ["关于市政协十二届三次会议370号提案的", "答复函"]  # the seed letters' own setting
    for name, title in TITLES.items():
        for line, following in zip(title_lines(title), title_lines(title)[1:]):
            assert not (line[-1:].isdigit() and following[:1] in "0123456789号届次"), (name, line, following)
    assert title_lines(TITLES["short"]) == [TITLES["short"]]
