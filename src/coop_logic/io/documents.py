"""Reading YAML and JSON files into plain values that remember their line numbers.

Every spec, party-data and request file goes through here, so that later validation can
name the line of a bad field. It refuses what no honest input needs: oversized files,
duplicate keys, alias explosions, documents that are not a mapping. It knows nothing of
what the values mean.
"""

from __future__ import annotations

import bisect
import json
import os
import re
import stat
from collections.abc import Callable
from json.decoder import scanstring
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from coop_logic.errors import InputError
from coop_logic.io import parse_cache

if TYPE_CHECKING:
    import yaml

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_NODES = 200_000
MAX_DEPTH = 64

FieldPath = tuple[str | int, ...]
# The tags a plain YAML document resolves to (an explicit `!!str` and the like included):
# any other tag (`!foo`, `!!python/object`) would be dropped silently, so it is refused.
_PLAIN_TAGS = frozenset(
    f"tag:yaml.org,2002:{t}"
    for t in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq"))


def render_path(path: FieldPath) -> str:
    """`('rules', 3, 'when')` -> `rules[3].when`."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += ("." if text else "") + str(part)
    return text


@attrs.frozen
class Document:
    """A parsed file: its values, and the line (1-based) and raw text of each node."""

    name: str
    data: Any
    lines: dict[FieldPath, int] = attrs.field(factory=dict)
    raw: dict[FieldPath, str] = attrs.field(factory=dict)

    def line(self, path: FieldPath) -> int | None:
        """The line of the node at `path`, or of its nearest ancestor that has one."""
        while True:
            if path in self.lines:
                return self.lines[path]
            if not path:
                return None
            path = path[:-1]


class _Builder:
    def __init__(self, name: str, error: Callable[..., InputError]) -> None:
        self.name = name
        self.error = error
        import yaml  # imported when a file is parsed (a start-up from the parse cache needs none)

        self.yaml = yaml
        self.constructor = yaml.constructor.SafeConstructor()
        self.lines: dict[FieldPath, int] = {}
        self.raw: dict[FieldPath, str] = {}
        self.count = 0

    def build(self, node: yaml.Node, path: FieldPath, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise self.error(
                f"the document has more than {MAX_NODES} values (aliases expanded)",
                file=self.name, expected="a small document",
            )
        if depth > MAX_DEPTH:
            raise self.error(
                f"the document nests deeper than {MAX_DEPTH} levels",
                file=self.name, line=node.start_mark.line + 1, field=render_path(path),
            )
        self.lines[path] = node.start_mark.line + 1
        if node.tag not in _PLAIN_TAGS:
            raise self.error(
                f"unknown YAML tag '{node.tag}'",
                file=self.name, line=node.start_mark.line + 1, field=render_path(path) or None,
                expected="plain YAML values (no tags)",
            )
        yaml = self.yaml
        if isinstance(node, yaml.MappingNode):
            result: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    raise self.error(
                        "a mapping key must be a plain name",
                        file=self.name, line=key_node.start_mark.line + 1,
                        field=render_path(path),
                    )
                key = key_node.value
                if key in result:
                    raise self.error(
                        f"duplicate key '{key}'",
                        file=self.name, line=key_node.start_mark.line + 1,
                        field=render_path((*path, key)),
                    )
                result[key] = self.build(value_node, (*path, key), depth + 1)
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        self.raw[path] = node.value
        try:
            return self.constructor.construct_object(node)
        except (yaml.YAMLError, ValueError, OverflowError):
            # e.g. an impossible date such as 2026-13-01: kept as text, so that the
            # field's own check reports it with what was expected
            return node.value


def read_text(path: Path, error: Callable[..., InputError]) -> str:
    """The file's text, refusing missing, unreadable, binary or oversized files, and what
    is not a regular file (a FIFO or a device would block or never end). At most
    MAX_FILE_BYTES + 1 bytes are read, whatever the file system says its size is."""
    name = str(path)
    try:
        mode = path.stat().st_mode
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else str(exc)
        raise error(f"cannot read the file: {reason}", file=name) from None
    if stat.S_ISDIR(mode):
        raise error("is a folder, not a file", file=name, expected="a file")
    if not stat.S_ISREG(mode):
        raise error("is not a regular file (a FIFO, socket or device)", file=name,
                    expected="a regular file")
    try:
        # O_NONBLOCK: should the path have become a FIFO since the check, open does not wait
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as stream:
            if not stat.S_ISREG(os.fstat(stream.fileno()).st_mode):
                raise error("is not a regular file (a FIFO, socket or device)", file=name,
                            expected="a regular file")
            data = stream.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise error(f"cannot read the file: {exc.strerror}", file=name) from None
    if len(data) > MAX_FILE_BYTES:
        raise error(
            f"the file is more than the limit of {MAX_FILE_BYTES} bytes",
            file=name, expected="a smaller file",
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise error("the file is not UTF-8 text", file=name) from None


def parse_text(
    text: str, name: str, error: Callable[..., InputError], *, json_syntax: bool = False
) -> Document:
    """Parse YAML (or JSON when `json_syntax`) text whose top level must be a mapping."""
    if len(text.encode("utf-8", errors="replace")) > MAX_FILE_BYTES:
        raise error(
            f"the input is larger than the limit of {MAX_FILE_BYTES} bytes",
            file=name, expected="a smaller input",
        )
    doc = _parse_json(text, name, error) if json_syntax else _parse_yaml(text, name, error)
    if not isinstance(doc.data, dict):
        kind = "empty" if doc.data is None else type(doc.data).__name__
        raise error(
            f"the document is {kind}, not a mapping",
            file=name, line=doc.line(()), expected="a mapping of fields (key: value)",
        )
    return doc


def _parse_yaml(text: str, name: str, error: Callable[..., InputError]) -> Document:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when the wheel has it
    try:
        nodes = list(yaml.compose_all(text, Loader=loader))
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise error(f"invalid YAML: {exc.problem}", file=name, line=line) from None
    except yaml.YAMLError as exc:
        raise error(f"invalid YAML: {exc}", file=name) from None
    except RecursionError:
        raise error("invalid YAML: nested too deeply", file=name) from None
    if len(nodes) > 1:
        raise error(
            "the file holds more than one YAML document",
            file=name, line=nodes[1].start_mark.line + 1, expected="a single document",
        )
    if not nodes or nodes[0] is None:
        return Document(name, None)
    builder = _Builder(name, error)
    data = builder.build(nodes[0], (), 0)
    return Document(name, data, builder.lines, builder.raw)


def _parse_json(text: str, name: str, error: Callable[..., InputError]) -> Document:
    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key, value in items:
            if key in result:
                raise error(f"duplicate key '{key}'", file=name, field=key)
            result[key] = value
        return result

    try:
        data = json.loads(text, object_pairs_hook=pairs)
    except json.JSONDecodeError as exc:
        raise error(f"invalid JSON: {exc.msg}", file=name, line=exc.lineno) from None
    except ValueError as exc:  # e.g. an integer of more than 4300 digits
        raise error(f"invalid JSON: {exc}", file=name) from None
    except RecursionError:
        raise error("invalid JSON: nested too deeply", file=name) from None
    return Document(name, data, _json_lines(text, name, error))


_JSON_SPACE = re.compile(r"[ \t\n\r]*")
_JSON_SCALAR = re.compile(r"-?(?:\d[\d.eE+-]*|Infinity)|NaN|true|false|null")


def _json_lines(text: str, name: str, error: Callable[..., InputError]) -> dict[FieldPath, int]:
    """The line (1-based) of each value of a JSON text that `json` has already accepted,
    found by one scan without recursion; the nesting limit of YAML documents applies."""
    lines: dict[FieldPath, int] = {}
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def line_at(pos: int) -> int:
        return bisect.bisect_right(line_starts, pos)

    # each frame: [path, is_object, next index or key]
    stack: list[list[Any]] = []
    pos = _JSON_SPACE.match(text, 0).end()  # type: ignore[union-attr]
    path: FieldPath = ()
    while True:
        # a value starts at `pos`, at `path`
        lines[path] = line_at(pos)
        char = text[pos]
        if char in "[{":
            if len(stack) >= MAX_DEPTH:
                raise error(f"the document nests deeper than {MAX_DEPTH} levels", file=name,
                            line=line_at(pos), field=render_path(path) or None)
            pos = _JSON_SPACE.match(text, pos + 1).end()  # type: ignore[union-attr]
            if text[pos] in "]}":
                pos += 1
            else:
                stack.append([path, char == "{", 0])
                if char == "{":
                    key, pos = scanstring(text, pos + 1)
                    pos = _JSON_SPACE.match(text, pos).end() + 1  # type: ignore[union-attr]
                    path = (*path, key)
                else:
                    path = (*path, 0)
                pos = _JSON_SPACE.match(text, pos).end()  # type: ignore[union-attr]
                continue
        elif char == '"':
            _, pos = scanstring(text, pos + 1)
        else:
            pos = _JSON_SCALAR.match(text, pos).end()  # type: ignore[union-attr]
        # after a value: a comma (next item) or the end of containers
        while True:
            pos = _JSON_SPACE.match(text, pos).end()  # type: ignore[union-attr]
            if not stack:
                return lines
            frame = stack[-1]
            if text[pos] == ",":
                pos = _JSON_SPACE.match(text, pos + 1).end()  # type: ignore[union-attr]
                if frame[1]:
                    key, pos = scanstring(text, pos + 1)
                    pos = _JSON_SPACE.match(text, pos).end() + 1  # type: ignore[union-attr]
                    path = (*frame[0], key)
                else:
                    frame[2] += 1
                    path = (*frame[0], frame[2])
                pos = _JSON_SPACE.match(text, pos).end()  # type: ignore[union-attr]
                break
            pos += 1  # the closing bracket or brace
            stack.pop()


def load_file(path: str | Path, error: Callable[..., InputError]) -> Document:
    """Read and parse a `.json`, `.yaml` or `.yml` file; a YAML file parsed before with
    the same text is read from the parse cache (`parse_cache`)."""
    path = Path(path)
    text = read_text(path, error)
    if path.suffix.lower() == ".json":
        return parse_text(text, str(path), error, json_syntax=True)
    kept = parse_cache.read(text)
    if isinstance(kept, tuple) and len(kept) == 3:
        data, lines, raw = kept
        return Document(str(path), data, lines, raw)
    doc = parse_text(text, str(path), error)
    parse_cache.store(text, (doc.data, doc.lines, doc.raw))
    return doc
