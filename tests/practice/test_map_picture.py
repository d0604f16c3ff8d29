"""The map's picture (`practice.map_picture`): every cell drawn in its status's colour at
its place, every text inside the picture and clear of the others, the SVG well formed
with the same cells."""

from __future__ import annotations

import base64
import io
import itertools
import random
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest

from coop_logic.practice import map_picture
from coop_logic.practice.cooperation_map import COLOURS, LABELS, SAME_STATE_COLOUR

Image = pytest.importorskip("PIL.Image")
ImageFont = pytest.importorskip("PIL.ImageFont")

COLOURS_AND_SAME = {**COLOURS, "same": SAME_STATE_COLOUR}


def picture(n: int, seed: int = 0) -> map_picture.Picture:
    rng = random.Random(seed)
    codes = [f"{chr(65 + i // 26)}{chr(65 + i % 26)}" for i in range(n)]
    keys = [["same" if i == j else rng.choice(list(COLOURS)) for j in range(n)]
            for i in range(n)]
    counts = Counter(k for row in keys for k in row if k != "same")
    return map_picture.layout("Cooperation map: a test, 2026-06-01\nopen world", codes, keys,
                              COLOURS_AND_SAME, LABELS, counts, SAME_STATE_COLOUR)


def rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


@pytest.mark.parametrize("n", [2, 12, 60])
def test_each_cell_is_drawn_in_its_colour_at_its_place(tmp_path: Path, n: int):
    pic = picture(n)
    map_picture.write_png(pic, tmp_path / "m.png")
    image = Image.open(tmp_path / "m.png").convert("RGB")
    assert image.size == (pic.width, pic.height)
    left, top = pic.origin
    for i, j in itertools.product(range(n), repeat=2):
        x = left + j * pic.cell + pic.cell // 2
        y = top + i * pic.cell + pic.cell // 2
        assert image.getpixel((x, y)) == rgb(COLOURS_AND_SAME[pic.keys[i][j]]), (i, j)


def text_box(t: map_picture.Text) -> tuple[float, float, float, float]:
    font = ImageFont.load_default(size=max(1, round(t.size)))
    left, top, right, bottom = font.getbbox(t.text, anchor=t.anchor)
    if t.vertical:  # a quarter turn anticlockwise about the anchor
        return t.x + top, t.y - right, t.x + bottom, t.y - left
    return t.x + left, t.y + top, t.x + right, t.y + bottom


@pytest.mark.parametrize("n", [2, 12, 60, 193])
def test_every_text_is_inside_the_picture_and_clear_of_the_others(n: int):
    pic = picture(n)
    boxes = [text_box(t) for t in pic.texts]
    for x0, y0, x1, y1 in boxes:
        assert x0 >= 0 and x1 <= pic.width and y0 >= 0 and y1 <= pic.height
    grid = (pic.origin[0], pic.origin[1], pic.origin[0] + n * pic.cell,
            pic.origin[1] + n * pic.cell)
    for a, b in itertools.combinations([*boxes, grid], 2):
        overlap = min(a[2], b[2]) - max(a[0], b[0]), min(a[3], b[3]) - max(a[1], b[1])
        assert min(overlap) <= 0.5, (a, b)


def test_the_svg_is_well_formed_with_the_same_cells(tmp_path: Path):
    n = 12
    pic = picture(n, seed=3)
    map_picture.write_svg(pic, tmp_path / "m.svg")
    root = ET.parse(tmp_path / "m.svg").getroot()
    ns = "{http://www.w3.org/2000/svg}"
    texts = [t.text for t in root.iter(f"{ns}text")]
    assert texts.count("AA") == 3 and "requested State" in texts
    (image,) = root.iter(f"{ns}image")
    data = base64.b64decode(image.get("href").removeprefix("data:image/png;base64,"))
    cells = Image.open(io.BytesIO(data)).convert("RGB")
    assert cells.size == (n, n)
    for i, j in itertools.product(range(n), repeat=2):
        assert cells.getpixel((j, i)) == rgb(COLOURS_AND_SAME[pic.keys[i][j]])


@pytest.mark.parametrize("n", [3, 40])
def test_nothing_is_drawn_outside_the_texts_boxes_and_grid(tmp_path: Path, n: int):
    np = pytest.importorskip("numpy")
    pic = picture(n, seed=n)
    map_picture.write_png(pic, tmp_path / "m.png")
    ink = np.asarray(Image.open(tmp_path / "m.png").convert("L")) < 250
    allowed = np.zeros_like(ink)
    side = n * pic.cell
    regions = [text_box(t) for t in pic.texts]
    regions += [(b.x0, b.y0, b.x1, b.y1) for b in pic.boxes]
    regions.append((pic.origin[0], pic.origin[1], pic.origin[0] + side, pic.origin[1] + side))
    for x0, y0, x1, y1 in regions:
        allowed[max(0, int(y0) - 1):int(y1) + 2, max(0, int(x0) - 1):int(x1) + 2] = True
    assert ink.any() and not (ink & ~allowed).any()
    # and every text left some ink in its box
    for t in pic.texts:
        x0, y0, x1, y1 = (int(v) for v in text_box(t))
        assert ink[y0:y1 + 1, x0:x1 + 1].any(), t.text
