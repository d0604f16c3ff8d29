"""The interactive map page: self-contained, every cell's answer in it, drawn by a browser
(headless Chromium, skipped without one) with its legend, and colours told apart with
colour-vision deficiencies (the Okabe-Ito palette)."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess

import pytest

from coop_logic.practice import cooperation_map as cm

STATES = ["FR", "DE", "US", "CH", "RU", "JP", "BR", "SN"]
BROWSER = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> tuple[cm.CooperationMap, str]:
    cmap = cm.build_map("stored_data_access", STATES, date=dt.date(2026, 6, 1),
                        category="fraud", closed_world=True)
    path = tmp_path_factory.mktemp("map") / "map.html"
    cm.write_html(cmap, path)
    return cmap, path.read_text(encoding="utf-8")


def test_the_page_is_self_contained(page):
    _, html = page
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert "<script>" in html and "<style>" in html


def test_every_cell_of_the_map_is_in_the_page_with_state_names(page):
    cmap, html = page
    data = json.loads(re.search(r"const D = (\{.*?\});\n", html, re.S).group(1))
    assert data["states"] == list(cmap.order)
    assert "France" in data["names"] and "United States of America" in data["names"]
    for i, a in enumerate(data["states"]):
        for j, b in enumerate(data["states"]):
            cell = data["cells"][i][j]
            if a == b:
                assert cell is None
                continue
            expected = cmap.cell(a, b)
            assert data["texts"][cell[1]] == expected.status
            assert data["texts"][cell[2]] == ", ".join(expected.basis)
            assert data["texts"][cell[3]] == ", ".join(expected.depends_on)


def test_the_palette_is_okabe_ito():
    assert cm.COLOURS["mandatory"] == "#009e73"
    assert cm.COLOURS["refusable"] == "#d55e00"
    assert cm.COLOURS["discretionary"] == "#0072b2"


@pytest.mark.skipif(BROWSER is None, reason="no chromium on PATH (apt-get install -y chromium)")
def test_a_browser_draws_the_map_and_its_legend(page, tmp_path):
    cmap, html = page
    path = tmp_path / "map.html"
    path.write_text(html, encoding="utf-8")
    dom = subprocess.run([BROWSER, "--headless", "--no-sandbox", "--disable-gpu",
                          "--dump-dom", path.as_uri()], capture_output=True, text=True,
                         timeout=120, check=True).stdout
    items = re.findall(r"<li>.*?</li>", dom)
    counts = cmap.counts()
    assert len(items) == len({cm.colour_key(c) for c in cmap.cells.values()})
    assert any(f"({counts['mandatory']:,})" in item for item in items)
