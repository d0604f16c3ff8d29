"""The cooperation map as a picture: a PNG or an SVG heatmap, laid out once and drawn by
either writer.

`layout` places everything in pixels (120 to the inch): the title above, the State codes
on the four sides of the grid (rows: requesting State, columns: requested State), the axis
labels, the legend on the right with each status's count of pairs. The texts are measured
with Pillow's own scalable font, so the layout does not depend on the fonts installed.

`write_png` draws it with Pillow into an 8-bit palette image (the map's few colours and a
ramp of greys for the anti-aliased texts, which all stand on white): one byte a pixel, a
quarter of an RGBA canvas, and a palette PNG is quick to compress. `write_svg` writes the
same layout as SVG text, the cells one embedded bitmap of a pixel each, drawn without
smoothing (a few KB rather than one element per cell).

Pillow (with FreeType, as its wheels are built) is the optional extra `coop-logic[map]`.
"""

from __future__ import annotations

import base64
import functools
import importlib.util
import io
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import attrs

DPI = 120  # pixels to the inch
PAD = 0.2  # inches of margin around everything
INK = "#000000"
SWATCH_EDGE = "#999999"
GREYS = 240  # palette entries for the greys of anti-aliased text


def have_pillow() -> bool:
    return importlib.util.find_spec("PIL") is not None


@attrs.frozen
class Text:
    x: float
    y: float
    text: str
    size: float  # pixels
    anchor: str  # Pillow's anchor: horizontal l/m/r, vertical t/m/b (of the text as read)
    vertical: bool = False  # turned a quarter anticlockwise (read bottom to top)


@attrs.frozen
class Box:
    x0: float
    y0: float
    x1: float
    y1: float
    fill: str | None
    edge: str | None


@attrs.frozen
class Picture:
    """Everything to draw, in pixels: the cells (`keys[row][column]`, colour keys, at
    `origin` in squares of `cell` pixels), boxes, texts."""

    width: int
    height: int
    origin: tuple[int, int]
    cell: int
    keys: list[list[str]]
    colours: dict[str, str]
    boxes: list[Box]
    texts: list[Text]


@functools.cache
def _font(size: int) -> Any:
    """Pillow's own scalable font at `size` pixels."""
    from PIL import ImageFont

    return ImageFont.load_default(size=size)


def _pixels(size: float) -> int:
    return max(1, round(size))


def measure(text: str, size: float) -> tuple[float, float]:
    """The width of `text` at `size` pixels, and the height of its line (not its ink)."""
    left, _, right, _ = _font(_pixels(size)).getbbox(text)
    return right - left, _pixels(size) * 1.2


def layout(title: str, order: Sequence[str], keys: list[list[str]], colours: dict[str, str],
           labels: dict[str, str], counts: Counter[str], same_colour: str) -> Picture:
    """The picture of a map whose rows and columns are `order`, cell (i, j) drawn in the
    colour of `keys[i][j]`; the legend lists `labels` (with `counts`) in their order, then
    the diagonal's `same_colour`."""
    n = len(order)
    cell_in = min(0.5, max(0.13, 18.0 / max(n, 1)))  # inches per cell: labels stay legible
    cell = max(1, round(cell_in * DPI))
    side = n * cell
    points = DPI / 72
    code_size = min(9.0, cell_in * 72 * 0.62) * points
    title_size = (10 + side / DPI / 5) * points
    legend_size = (8 + side / DPI / 6) * points
    legend_title_size = (9 + side / DPI / 6) * points
    axis_size = 10 * points
    pad = PAD * DPI
    gap = points  # one point between the grid and its codes
    codes = max((measure(code, code_size)[0] for code in order), default=0.0) + 2 * gap
    axis_label = measure("requesting State", axis_size)[1] + 0.15 * DPI
    lines = title.splitlines()
    title_height = len(lines) * measure(title, title_size)[1]
    left = round(pad + axis_label + codes)
    top = round(pad + title_height + 0.1 * DPI + codes)

    texts: list[Text] = []
    for i, code in enumerate(order):
        middle = i * cell + cell / 2
        texts.append(Text(left + middle, top - gap, code, code_size, "lm", vertical=True))
        texts.append(Text(left + middle, top + side + gap, code, code_size, "rm", vertical=True))
        texts.append(Text(left - gap, top + middle, code, code_size, "rm"))
    clear = 0.05 * DPI  # between the codes and the axis labels
    texts.append(Text(left + side / 2, top + side + codes + clear, "requested State",
                      axis_size, "mt"))
    texts.append(Text(left - codes - clear, top + side / 2, "requesting State", axis_size,
                      "mb", vertical=True))
    boxes = [Box(left - 1, top - 1, left + side, top + side, None, INK)]

    # the legend, to the right of the grid, from its top
    x = left + side + max(0.02 * side, 0.15 * DPI)
    y = float(top)
    texts.append(Text(x, y, "overall status (pairs)", legend_title_size, "lt"))
    y += measure("overall status (pairs)", legend_title_size)[1] * 1.2
    swatch_w, swatch_h = 2.0 * legend_size, 0.7 * legend_size
    entries = [(colours[k], f"{labels[k]} ({counts[k]:,})") for k in labels if counts[k]]
    entries.append((same_colour, "the same State"))
    legend_width = measure("overall status (pairs)", legend_title_size)[0]
    for colour, label in entries:
        line = measure(label, legend_size)[1]
        boxes.append(Box(x, y + (line - swatch_h) / 2, x + swatch_w, y + (line + swatch_h) / 2,
                         colour, SWATCH_EDGE))
        texts.append(Text(x + swatch_w + 0.8 * legend_size, y + line / 2, label, legend_size,
                          "lm"))
        legend_width = max(legend_width,
                           swatch_w + 0.8 * legend_size + measure(label, legend_size)[0])
        y += line * 1.15
    width = x + legend_width + pad
    height = max(top + side + codes + axis_label + pad, y + pad)
    # the title centred over the grid, or as near it as it fits
    title_width = max(measure(line, title_size)[0] for line in lines)
    centre = max(left + side / 2, pad + title_width / 2)
    width = max(width, centre + title_width / 2 + pad)
    line = measure(title, title_size)[1]
    for k, text in enumerate(lines):
        texts.append(Text(centre, pad + k * line, text, title_size, "mt"))
    return Picture(round(width), round(height), (left, top), cell, keys, colours, boxes, texts)


# -- PNG ---------------------------------------------------------------------------------------


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def write_png(picture: Picture, path: str | Path) -> None:
    """The picture as an 8-bit palette PNG: white, the map's colours and the ink, then a
    ramp of greys that the texts' anti-aliasing is mapped onto."""
    import numpy as np
    from PIL import Image, ImageDraw

    named = ["#ffffff", INK, SWATCH_EDGE, *dict.fromkeys(picture.colours.values())]
    named += [b.fill for b in picture.boxes if b.fill and b.fill not in named]
    index = {c: i for i, c in enumerate(named)}
    first_grey = len(named)
    # a text pixel's coverage (0-255) -> the palette entry of its grey
    greys = first_grey + np.round(np.arange(256) * (GREYS - 1) / 255).astype(np.uint8)
    palette = [v for c in named for v in _rgb(c)]
    for k in range(GREYS):
        level = round(255 - 255 * k / (GREYS - 1))
        palette += [level, level, level]

    canvas = np.zeros((picture.height, picture.width), dtype=np.uint8)  # white
    left, top = picture.origin
    n = len(picture.keys)
    cells = np.array([[index[picture.colours[k]] for k in row] for row in picture.keys],
                     dtype=np.uint8).reshape(n, n)
    side = n * picture.cell
    canvas[top:top + side, left:left + side] = np.repeat(
        np.repeat(cells, picture.cell, axis=0), picture.cell, axis=1)
    for b in picture.boxes:
        x0, y0, x1, y1 = (round(v) for v in (b.x0, b.y0, b.x1, b.y1))
        if b.fill is not None:
            canvas[y0:y1 + 1, x0:x1 + 1] = index[b.fill]
        if b.edge is not None:
            edge = index[b.edge]
            canvas[y0, x0:x1 + 1] = canvas[y1, x0:x1 + 1] = edge
            canvas[y0:y1 + 1, x0] = canvas[y0:y1 + 1, x1] = edge
    for t in picture.texts:
        font = _font(_pixels(t.size))
        lf, tp, r, bt = font.getbbox(t.text, anchor=t.anchor)
        mask = Image.new("L", (max(1, r - lf), max(1, bt - tp)), 0)
        ImageDraw.Draw(mask).text((-lf, -tp), t.text, fill=255, font=font, anchor=t.anchor)
        ink = np.asarray(mask)
        if t.vertical:  # a quarter turn anticlockwise; the anchor turns with the text
            ink = np.rot90(ink)
            x0, y0 = round(t.x + tp), round(t.y - r)
        else:
            x0, y0 = round(t.x + lf), round(t.y + tp)
        h, w = ink.shape
        region = canvas[max(y0, 0):y0 + h, max(x0, 0):x0 + w]
        ink = ink[max(-y0, 0):max(-y0, 0) + region.shape[0],
                  max(-x0, 0):max(-x0, 0) + region.shape[1]]
        np.copyto(region, greys[ink], where=ink > 0)
    image = Image.frombuffer("P", (picture.width, picture.height), canvas, "raw", "P", 0, 1)
    image.putpalette(palette)
    # large areas of one colour: the fastest compression is about as small
    image.save(str(path), format="PNG", compress_level=1)


# -- SVG ---------------------------------------------------------------------------------------


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


_ANCHOR = {"l": "start", "m": "middle", "r": "end"}
_BASELINE = {"t": "text-before-edge", "m": "central", "b": "text-after-edge"}


def write_svg(picture: Picture, path: str | Path) -> None:
    """The picture as SVG: the texts as text, the cells one bitmap of a pixel each."""
    from PIL import Image

    n = len(picture.keys)
    cells = Image.new("RGB", (n, n))
    cells.putdata([_rgb(picture.colours[k]) for row in picture.keys for k in row])
    buffer = io.BytesIO()
    cells.save(buffer, format="PNG")
    href = base64.b64encode(buffer.getvalue()).decode("ascii")
    left, top = picture.origin
    side = n * picture.cell
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           f'<svg xmlns="http://www.w3.org/2000/svg" width="{picture.width}" '
           f'height="{picture.height}" viewBox="0 0 {picture.width} {picture.height}" '
           'font-family="Aileron, Helvetica, Arial, sans-serif">',
           f'<rect width="{picture.width}" height="{picture.height}" fill="#ffffff"/>',
           f'<image x="{left}" y="{top}" width="{side}" height="{side}" '
           'preserveAspectRatio="none" image-rendering="pixelated" '
           f'style="image-rendering:pixelated" href="data:image/png;base64,{href}"/>']
    for b in picture.boxes:
        out.append(f'<rect x="{b.x0:.1f}" y="{b.y0:.1f}" width="{b.x1 - b.x0:.1f}" '
                   f'height="{b.y1 - b.y0:.1f}" fill="{b.fill or "none"}" '
                   f'stroke="{b.edge or "none"}"/>')
    for t in picture.texts:
        turn = f' transform="rotate(-90 {t.x:.1f} {t.y:.1f})"' if t.vertical else ""
        out.append(f'<text x="{t.x:.1f}" y="{t.y:.1f}" font-size="{t.size:.1f}" '
                   f'text-anchor="{_ANCHOR[t.anchor[0]]}" '
                   f'dominant-baseline="{_BASELINE[t.anchor[1]]}"{turn}>'
                   f'{_escape(t.text)}</text>')
    out.append("</svg>")
    Path(path).write_text("\n".join(out) + "\n", encoding="utf-8")
