"""The samples of README.md and docs/*.md run as written, and show what the code gives.

Each fenced block of those files is one of:

- a command sample: a block without a language, or `console` / `shell`. A line starting with
  `$ ` is a command; the lines after it, up to the next `$ ` line, are the output it shows.
  A block without `$ ` lines runs its lines that start with `coop-logic `, output unshown.
  Other lines (set-up such as `pip install`, `python3 -m venv`) are not run. A command runs
  in bash through the installed entry points, must exit 0 (or the code its line states in a
  trailing `# exit N` comment), and each shown output line must be an output line (stdout,
  then stderr), in the order shown, whitespace runs read as one space and `...` standing
  for any text. Output shown as JSON (it starts with `{`) is compared as JSON: every key
  shown has the value shown, `"..."` is any value, a list ending in `...` may go on, and
  members not shown (`...`, `"...": "..."`) may be there.
- a Python sample (`python`): with `>>>` prompts, a doctest (ELLIPSIS, NORMALIZE_WHITESPACE);
  otherwise a script that must exit 0.
- a file (`yaml file=NAME`, `python file=NAME`, any language): written to NAME before the
  document's commands run, so that they can use it.
- data, formats and synopses (`yaml`, `json`, `ini`, `text`, `csv`): not run.

A block preceded by the line `<!-- sample: not run -->` (with an optional reason after
`not run`) is not run either: an illustration that cannot run as such. Every document's
samples run in a fresh folder where `examples/` and `specs/` are the repository's, as if
from the repository root, in the order of the document: a sample runs after the commands
before it (a `$ sed ... > mytreaties/...` that makes the copy a later command checks).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import attrs
import pytest

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
DOCUMENTS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
NOT_RUN_LANGUAGES = {"yaml", "json", "ini", "text", "csv", "toml"}
COMMAND_LANGUAGES = {"", "console", "shell"}
NOT_RUN_MARKER = re.compile(r"^<!-- sample: not run\b.*-->$")
FENCE = re.compile(r"^(?P<indent> *)```(?P<info>[^`]*)$")
EXIT = re.compile(r"#\s*exit (\d+)\s*$")
LINKED = ("examples", "specs")  # what the samples read from the repository


@attrs.frozen
class Block:
    document: Path
    line: int  # of the opening fence
    language: str
    file: str | None
    text: str
    not_run: bool

    @property
    def where(self) -> str:
        return f"{self.document.relative_to(REPO)}:{self.line}"


@attrs.frozen
class Sample:
    block: Block
    kind: str  # command | doctest | script
    source: str  # the command, or the Python text
    shown: tuple[str, ...] = ()  # the output shown after a command
    exit_code: int = 0

    @property
    def id(self) -> str:
        return f"{self.block.where}:{self.source.splitlines()[0][:60]}"


def blocks(document: Path) -> list[Block]:
    lines = document.read_text(encoding="utf-8").splitlines()
    out: list[Block] = []
    i = 0
    while i < len(lines):
        opening = FENCE.match(lines[i])
        if not opening:
            i += 1
            continue
        indent = len(opening["indent"])
        words = opening["info"].split()
        language = words[0] if words else ""
        file = next((w.removeprefix("file=") for w in words[1:] if w.startswith("file=")), None)
        previous = next((line.strip() for line in reversed(lines[:i]) if line.strip()), "")
        j = i + 1
        while not re.match(r"^ *```\s*$", lines[j]):
            j += 1
        text = "\n".join(line[indent:] for line in lines[i + 1:j]) + "\n"
        out.append(Block(document, i + 1, language, file, text,
                         bool(NOT_RUN_MARKER.match(previous))))
        i = j + 1
    return out


def samples(block: Block) -> list[Sample]:
    if block.not_run or block.file or block.language in NOT_RUN_LANGUAGES:
        return []
    if block.language == "python":
        kind = "doctest" if re.search(r"^>>> ", block.text, re.M) else "script"
        return [Sample(block, kind, block.text)]
    if block.language not in COMMAND_LANGUAGES:
        raise ValueError(f"{block.where}: unknown sample language '{block.language}'")
    lines = block.text.splitlines()
    if not any(line.startswith("$ ") for line in lines):
        return [Sample(block, "command", line) for line in lines if line.startswith("coop-logic ")]
    out = []
    for k, line in enumerate(lines):
        if not line.startswith("$ "):
            continue
        shown = []
        for after in lines[k + 1:]:
            if after.startswith("$ "):
                break
            shown.append(after)
        exit_code = EXIT.search(line)
        out.append(Sample(block, "command", line[2:], tuple(shown),
                          int(exit_code[1]) if exit_code else 0))
    return out


ALL_BLOCKS = [b for doc in DOCUMENTS for b in blocks(doc)]
ALL_SAMPLES = [s for b in ALL_BLOCKS for s in samples(b)]


@attrs.define
class Folder:
    """A document's folder, and how many of its samples have run there."""

    path: Path
    ran: int = 0


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> dict[Path, Folder]:
    """For each document, a folder holding its files and the repository's examples/specs."""
    out = {}
    for doc in DOCUMENTS:
        folder = tmp_path_factory.mktemp(doc.stem)
        for name in LINKED:
            (folder / name).symlink_to(REPO / name)
        for block in blocks(doc):
            if block.file:
                path = folder / block.file
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(block.text, encoding="utf-8")
        out[doc] = Folder(folder)
    return out


def environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("COOP_LOGIC", "PYTEST", "COV_"))
           and k not in ("CI", "BUILD_NUMBER")}  # pytest shortens its report off CI only
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    env["COLUMNS"] = "80"
    env["NO_COLOR"] = "1"
    return env


def run_sample(sample: Sample, folder: Path) -> subprocess.CompletedProcess[str]:
    if sample.kind == "command":
        args = ["bash", "-c", sample.source]
    elif sample.kind == "doctest":
        script = ("import doctest, sys\n"
                  "test = doctest.DocTestParser().get_doctest(sys.stdin.read(), {}, 'sample', "
                  "'sample', 0)\n"
                  "runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | "
                  "doctest.NORMALIZE_WHITESPACE)\n"
                  "sys.exit(1 if runner.run(test).failed else 0)\n")
        return subprocess.run([sys.executable, "-c", script], input=sample.source, text=True,
                              capture_output=True, cwd=folder, env=environment(), timeout=600,
                              check=False)
    else:
        args = [sys.executable, "-c", sample.source]
    return subprocess.run(args, text=True, capture_output=True, cwd=folder, env=environment(),
                          timeout=600, check=False)


# -- comparing what is shown with what is printed -------------------------------------------


def _pattern(shown: str) -> re.Pattern[str]:
    parts = [re.escape(p) for p in " ".join(shown.split()).split("...")]
    return re.compile(".*".join(parts))


def lines_match(shown: tuple[str, ...], printed: str) -> str | None:
    """None when every shown line is a printed line, in order; else what is missing."""
    actual = [" ".join(line.split()) for line in printed.splitlines()]
    k = 0
    for line in shown:
        if not line.strip() or line.strip() == "...":
            continue
        pattern = _pattern(line)
        while k < len(actual) and not pattern.fullmatch(actual[k]):
            k += 1
        if k == len(actual):
            return f"not printed (in this order): {line.strip()!r}"
        k += 1
    return None


_ANY = "\u2026any"
_MORE = "\u2026more"


def shown_json(text: str) -> Any:
    """The JSON shown in a document, with its elisions made explicit: `"..."` any value,
    a list ending in `...` open, a `...` or `"...": "..."` member or line left out."""
    text = re.sub(r',?\s*"\.\.\.":\s*"\.\.\."', "", text)  # members left out
    text = re.sub(r'"\.\.\."', f'"{_ANY}"', text)
    text = re.sub(r",\s*\.\.\.\s*\]", f', "{_MORE}"]', text)
    text = re.sub(r"\[\s*\.\.\.\s*\]", f'["{_MORE}"]', text)
    text = re.sub(r",\s*\.\.\.\s*(?=[}\n])", "", text)
    text = re.sub(r"^\s*\.\.\.,?\s*$", "", text, flags=re.M)
    text = re.sub(r",(\s*[}\]])", r"\1", text)
    return json.loads(text)


def json_match(shown: Any, actual: Any, path: str = "") -> str | None:
    """None when `actual` has everything `shown` shows; else where it differs."""
    if shown == _ANY:
        return None
    if isinstance(shown, dict):
        if not isinstance(actual, dict):
            return f"{path}: {actual!r} is not an object"
        for key, value in shown.items():
            if key not in actual:
                return f"{path}.{key}: missing"
            problem = json_match(value, actual[key], f"{path}.{key}")
            if problem:
                return problem
        return None
    if isinstance(shown, list):
        if not isinstance(actual, list):
            return f"{path}: {actual!r} is not a list"
        open_ended = bool(shown) and shown[-1] == _MORE
        items = shown[:-1] if open_ended else shown
        if not open_ended and len(items) != len(actual):
            return f"{path}: {actual!r} has not the {len(items)} items shown"
        k = 0
        for n, item in enumerate(items):  # the shown items, in order, among the actual ones
            while k < len(actual) and json_match(item, actual[k], f"{path}[{k}]"):
                if not open_ended:
                    return json_match(item, actual[k], f"{path}[{k}]")
                k += 1
            if k == len(actual):
                return f"{path}[{n}]: {item!r} not found in {actual!r}"
            k += 1
        return None
    if isinstance(shown, str) and "..." in shown and isinstance(actual, str):
        return None if _pattern(shown).fullmatch(" ".join(actual.split())) else (
            f"{path}: {actual!r} does not match {shown!r}")
    return None if shown == actual else f"{path}: {actual!r}, shown {shown!r}"


# -- the tests ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["README.md", "docs/contract.md", "docs/spec-language.md",
                                  "docs/writing-a-treaty.md", "docs/reference-testing.md",
                                  "docs/testing-your-expectations.md"])
def test_the_samples_of_the_guides_are_found(name):
    """Not vacuous: each guide has samples that run (a parser that found none would pass)."""
    assert any(s.block.document == REPO / name for s in ALL_SAMPLES), name


def test_the_readme_keeps_its_two_set_up_commands():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert ("python3 -m venv .venv && .venv/bin/pip install -q . && .venv/bin/coop-logic "
            "explain examples/requests/fr-us-preservation.yaml") in readme
    assert ("python3 -m venv .venv && .venv/bin/pip install -q '.[test]' && "
            ".venv/bin/python -m pytest") in readme


@pytest.mark.parametrize("sample", ALL_SAMPLES, ids=lambda s: s.id)
def test_the_sample_runs_and_shows_what_the_code_gives(sample, folders):
    folder = folders[sample.block.document]
    earlier = [s for s in ALL_SAMPLES if s.block.document == sample.block.document]
    position = earlier.index(sample)
    for before in earlier[folder.ran:position]:  # what the document did before this sample
        if before.kind == "command":
            run_sample(before, folder.path)
    folder.ran = position + 1
    done = run_sample(sample, folder.path)
    where = f"{sample.block.where}: {sample.source.strip()[:200]}"
    assert "..." not in sample.source or sample.kind != "command", (
        f"{where}: a command with '...' in it cannot run as written")
    assert done.returncode == sample.exit_code, (
        f"{where}: exit {done.returncode}, expected {sample.exit_code}\n"
        f"stdout:\n{done.stdout[-4000:]}\nstderr:\n{done.stderr[-4000:]}")
    shown = [line for line in sample.shown if line.strip()]
    if not shown:
        return
    if shown[0].strip() == "{":
        problem = json_match(shown_json("\n".join(sample.shown)), json.loads(done.stdout))
    else:
        problem = lines_match(sample.shown, done.stdout + done.stderr)
    assert problem is None, f"{where}: {problem}\nprinted:\n{done.stdout}{done.stderr}"
