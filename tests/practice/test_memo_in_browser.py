"""The HTML memo in a real browser: headless Chromium renders it, fetches nothing from the
network, takes a screenshot, and prints it on one or two A4 pages.

Needs a `chromium` (or `chromium-browser`) binary on PATH, like tests/cli/test_html_in_browser.py
(whose browser helpers are reused); without one the tests are skipped.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from coop_logic.practice.memo import memo
from tests.cli.test_html_in_browser import BROWSER, chromium, load

from .test_memo import BR_PT, DE_US, FR_IT, NG_GH

pytestmark = pytest.mark.skipif(
    BROWSER is None,
    reason="no chromium or chromium-browser binary on PATH (apt-get install -y chromium)")

REQUESTS = {"br_pt": (BR_PT, False), "de_us": (DE_US, False), "ng_gh": (NG_GH, False),
            "fr_it": (FR_IT, True)}
A4_POINTS = (595.0, 842.0)  # 210 x 297 mm


@pytest.fixture(scope="module")
def pages(kb: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("memo")
    out = {}
    for name, (request, closed) in REQUESTS.items():
        path = folder / f"{name}.html"
        path.write_text(memo(kb, request, closed_world=closed).to_html(), encoding="utf-8")
        out[name] = path
    return out


def pdf_pages(pdf: bytes) -> list[tuple[float, float]]:
    """The (width, height) in points of each page of a PDF Chromium printed."""
    count = len(re.findall(rb"/Type\s*/Page\b", pdf))
    boxes = [(float(w), float(h)) for w, h in
             re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)]
    assert count and boxes, "no page found in the PDF"
    return boxes[:count] if len(boxes) >= count else boxes * count


def test_the_memo_renders_and_fetches_nothing(pages, tmp_path):
    dom, requests = load(pages["ng_gh"], tmp_path / "profile")
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", dom))
    assert "Nigeria asks Ghana to preserve stored computer data expeditiously" in text
    assert ("Budapest Convention (budapest): must assist unless one of: political offence, "
            "essential interests (Art. 29(5))") in text
    assert "24/7 Network of the Budapest Convention (Art. 35)" in text
    assert requests == set()


@pytest.mark.parametrize("name", sorted(REQUESTS))
def test_the_memo_prints_on_one_or_two_a4_pages(pages, tmp_path, name):
    pdf = tmp_path / f"{name}.pdf"
    chromium(pages[name], tmp_path / "profile", "--no-pdf-header-footer",
             f"--print-to-pdf={pdf}")
    sizes = pdf_pages(pdf.read_bytes())
    assert 1 <= len(sizes) <= 2, f"{name}: {len(sizes)} pages"
    for width, height in sizes:
        assert abs(width - A4_POINTS[0]) < 2 and abs(height - A4_POINTS[1]) < 2


def test_the_screenshot_is_a_page(pages, tmp_path):
    shot = tmp_path / "memo.png"
    chromium(pages["fr_it"], tmp_path / "profile", "--hide-scrollbars",
             "--window-size=900,1270", f"--screenshot={shot}")
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (900, 1270)
    assert len(data) > 20_000  # a blank page compresses to a few kB; text does not
