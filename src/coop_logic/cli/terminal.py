"""Text output for people: (style, text) lines printed to a terminal or written plain.

On a terminal, lines are wrapped to the terminal's width, at most 80 columns, with a
hanging indent (a continuation lines up under the text after its bullet, number or
checkbox); a line is broken only at spaces, so an id (`budapest.art29.3`,
`not_available_domestically`) or a link is never cut. Styles use the terminal's own 16
colours, which light and dark themes both map to readable shades; `NO_COLOR` turns them
off. Links (https://...) are clickable where the terminal supports hyperlinks. Written to
a pipe or a file (`-o`), the lines stay whole and plain, one item per line, for grep
and diff.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Sequence

from rich.style import Style
from rich.text import Text

from coop_logic.cli.shell import STYLES, emit, make_console

Line = tuple[str, str]

MAX_WIDTH = 80
_LEAD = re.compile(r"^(\s*)((?:[-*] |\d+\. |\[[ x]\] |\? )?)")
_URL = re.compile(r"https?://[^\s)>\]]+")


def wrap(text: str, width: int) -> list[str]:
    """`text` wrapped to `width` with a hanging indent, broken only at spaces."""
    if len(text) <= width or not text.strip():
        return [text]
    lead = _LEAD.match(text)
    assert lead is not None  # the pattern matches every string
    hanging = " " * (len(lead.group(1)) + len(lead.group(2)))
    return textwrap.wrap(text, width=width, subsequent_indent=hanging,
                         break_long_words=False, break_on_hyphens=False,
                         drop_whitespace=True) or [text]


def styled(text: str, style: str) -> Text:
    """One printed line, its links made clickable. `style` is a name of STYLES or a rich
    style itself ("bold red")."""
    out = Text(text, style=STYLES.get(style, style))
    for match in _URL.finditer(text):
        out.stylize(Style(link=match.group(0)), match.start(), match.end())
    return out


def show(lines: Sequence[Line], output: str | None = None) -> None:
    """Print `lines` for people: wrapped and styled on a terminal, plain otherwise."""
    console = make_console()
    if output is not None or not console.is_terminal:
        emit("\n".join(text for _, text in lines), output)
        return
    width = min(console.width, MAX_WIDTH)
    for style, text in lines:
        for part in wrap(text, width):
            console.print(styled(part, style), soft_wrap=True)
