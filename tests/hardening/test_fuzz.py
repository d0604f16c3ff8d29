"""Fuzzing requests, specs and party files through the public API: every input ends in a
verdict or in the one documented error for it (RequestError for a request, SpecError for
a spec or party file), with a one-line printable message, within seconds; never another
exception, a hang or a verdict outside the contract. A batch run of random lines through
the installed command keeps its contract too (exit 0, one valid JSON line per line)."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import coop_logic
from coop_logic.engine.knowledge_base import bundled_spec_dir
from coop_logic.errors import RequestError, SpecError
from coop_logic.model.request import Request
from coop_logic.vocabulary import CATEGORIES, FACTS, MEASURES, OVERALL_ORDER, STATUSES

from .cli_helpers import EXE
from .specs import HEAD, SCOPE

FUZZ = settings(max_examples=120, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
SECONDS = 5.0  # the most any one input may take

BASE = {"requesting_state": "FR", "requested_state": "US", "measure": "evidence_collection",
        "date": "2026-06-01", "offence": {"category": "fraud", "max_penalty_years": 5},
        "facts": {"political_offence": False}}

_text = st.text(st.characters(codec=None, exclude_categories=()), max_size=12) | st.sampled_from(
    ["FR", "US", "fr", "XX", "", " ", "2026-13-01", "2026-06-01", "NO", "yes", "\x00",
     "\ud800", "\x1b[31m", "x" * 5000, *MEASURES[:3], *list(CATEGORIES)[:3],
     *list(FACTS)[:3]])
_scalar = (st.none() | st.booleans() | st.integers(-10**40, 10**40) | st.floats() | _text)
_value = st.recursive(_scalar, lambda inner: st.lists(inner, max_size=3)
                      | st.dictionaries(_text, inner, max_size=3), max_leaves=8)
_keys = st.sampled_from([*BASE, "offence.category", "bogus", *[f"facts.{f}" for f in
                                                               list(FACTS)[:5]],
                         "offence.max_penalty_years", "offence.transnational", "instruments"])


@st.composite
def request_mappings(draw: st.DrawFn) -> dict[str, Any]:
    data = json.loads(json.dumps(BASE))
    for _ in range(draw(st.integers(0, 4))):
        key, value = draw(_keys), draw(_value)
        if "." in key:
            head, tail = key.split(".", 1)
            if isinstance(data.get(head), dict):
                data[head][tail] = value
        elif draw(st.booleans()) or key not in data:
            data[key] = value
        else:
            del data[key]
    return data


def _mutated(text: str, draw: st.DrawFn) -> str:
    """The text, half of the time with a few characters inserted, deleted or replaced."""
    for _ in range(draw(st.integers(1, 3)) if draw(st.booleans()) else 0):
        if not text:
            break
        pos = draw(st.integers(0, len(text) - 1))
        piece = draw(st.sampled_from(["{", "}", "[", "]", ":", ",", "\n", "- ", "!tag ", "&a ",
                                      "*a", "'", '"', "\t", "#", "\\ud800", "?", "|"]))
        kind = draw(st.integers(0, 2))
        text = (text[:pos] + piece + text[pos:] if kind == 0 else
                text[:pos] + text[pos + 1:] if kind == 1 else text[:pos] + piece + text[pos + 1:])
    return text


@st.composite
def request_files(draw: st.DrawFn) -> tuple[str, bytes]:
    data = draw(request_mappings())
    as_json = draw(st.booleans())
    try:
        text = (json.dumps(data, indent=draw(st.sampled_from([None, 2])))
                if as_json else yaml.safe_dump(data, allow_unicode=True))
    except (ValueError, yaml.YAMLError):
        text = json.dumps(data)
        as_json = True
    text = _mutated(text, draw)
    return (".json" if as_json else ".yaml"), text.encode("utf-8", "surrogatepass")


def _assert_message(exc: Exception, name: str) -> None:
    message = str(exc)
    assert name in message, message
    assert len(message) < 5000
    assert not any(ord(c) < 32 or 0xD800 <= ord(c) <= 0xDFFF for c in message), message
    message.encode("utf-8")


def _assert_result(result: Any) -> None:
    assert result.overall.status in (*OVERALL_ORDER, "undetermined")
    for verdict in result.verdicts.values():
        assert verdict.status in (*STATUSES, "undetermined")
        assert set(verdict.possible) <= set(STATUSES)


@FUZZ
@given(file=request_files(), closed=st.booleans())
def test_request_files_get_a_verdict_or_a_request_error(kb, file, closed):
    suffix, content = file
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"request{suffix}"
        path.write_bytes(content)
        start = time.monotonic()
        try:
            result = kb.evaluate(Request.from_file(path), closed_world=closed)
        except RequestError as exc:
            _assert_message(exc, str(path))
        else:
            _assert_result(result)
        assert time.monotonic() - start < SECONDS


@FUZZ
@given(data=request_mappings())
def test_request_mappings_get_a_verdict_or_a_request_error(kb, data):
    try:
        result = kb.evaluate(data)
    except RequestError as exc:
        _assert_message(exc, "<request>")
    else:
        _assert_result(result)


# -- specs -----------------------------------------------------------------------------------

_TOKENS = ["urgent", "political_offence", "no_dual_criminality", "d0", "d1", "bogus", "and",
           "or", "not", "(", ")", "in", "{", "}", ",", "category", "measure", "fraud",
           "extradition", "max_penalty_years", ">=", "<", "3", "2.5", "9" * 400, "true",
           "false", "bound(untoc)", "reservation(r)", "status(mandatory)", "@", "transnational"]


_ATOMS = ["urgent", "political_offence", "transnational", "category in {fraud, homicide}",
          "measure in {extradition, evidence_collection}", "max_penalty_years >= 3",
          "max_penalty_years < 2.5", "true", "false"]
_VALID = st.recursive(
    st.sampled_from(_ATOMS),
    lambda inner: st.tuples(inner, st.sampled_from([" and ", " or "]), inner).map(
        lambda t: f"({t[0]}{t[1]}{t[2]})") | inner.map(lambda c: f"not {c}"), max_leaves=8)


@st.composite
def conditions(draw: st.DrawFn, valid: bool, definitions: bool = True) -> str:
    kind = 1 if valid else draw(st.integers(0, 2))
    if kind == 0:
        depth = draw(st.integers(50, 400))
        word = draw(st.sampled_from(["(", "not "]))
        return word * depth + "urgent" + (")" * depth if word == "(" else "")
    if kind == 1:
        text = draw(_VALID)
        return f"{text} and d0" if definitions and draw(st.booleans()) else text
    return " ".join(draw(st.lists(st.sampled_from(_TOKENS), min_size=1, max_size=25)))


@st.composite
def spec_texts(draw: st.DrawFn) -> str:
    """Half of them valid specs (rules built from the condition grammar), half with wrong
    effects, measures, conditions, doubling definitions, deep nesting or broken YAML."""
    valid = draw(st.booleans())
    definitions = {"d0": draw(conditions(valid, definitions=False))}
    if draw(st.booleans()):
        definitions["d1"] = draw(st.sampled_from(["d0 and (d0 or urgent)", "urgent"]
                                                 + ([] if valid else ["d1", "d2"])))
    effects = ["duty", "grounds", "scope", "exclusion"] + ([] if valid else ["bogus"])
    measures: list[Any] = [["evidence_collection"], "all"] + ([] if valid else [["bogus"], []])
    rules = []
    for n in range(2, 2 + draw(st.integers(1, 3))):
        rules.append({
            "id": f"mlat_us_fr.art{n}", "cite": f"US-FR MLAT, Art. {n}", "summary": "Rule.",
            "source": "https://example.org/treaty", "text_verified": False,
            "effect": draw(st.sampled_from(effects)), "measures": draw(st.sampled_from(measures)),
            "when": draw(conditions(valid)), "grounds": ["political_offence"]})
        if rules[-1]["effect"] not in {"grounds", "exclusion"}:
            del rules[-1]["grounds"]
    dumped = yaml.safe_dump(rules, width=10**6)
    text = (HEAD + "definitions:\n"
            + "".join(f"  {k}: {json.dumps(v)}\n" for k, v in definitions.items())
            + "rules:\n" + SCOPE + "  " + dumped.replace("\n", "\n  "))
    return text if valid else _mutated(text, draw)


@pytest.fixture(scope="module")
def small_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("small")
    shutil.copy(bundled_spec_dir() / "comity.yaml", folder / "comity.yaml")
    return folder


def _load_or_spec_error(folder: Path, path: Path, **kwargs: Any) -> Any:
    start = time.monotonic()
    try:
        kb = coop_logic.load(spec_dirs=[folder], **kwargs)
    except SpecError as exc:
        _assert_message(exc, str(path))
        kb = None
    assert time.monotonic() - start < SECONDS
    return kb


@FUZZ
@given(text=spec_texts())
def test_spec_files_load_or_give_a_spec_error(small_dir, text):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "mlat_us_fr.yaml"
        path.write_text(text, encoding="utf-8")
        shutil.copy(small_dir / "comity.yaml", Path(folder) / "comity.yaml")
        kb = _load_or_spec_error(Path(folder), path)
        if kb is not None:
            start = time.monotonic()
            _assert_result(kb.evaluate(BASE))
            assert time.monotonic() - start < SECONDS


# -- party files -----------------------------------------------------------------------------

_GOOD_DATES = ["2001-01-01", "2010-06-01", "2030-01-01"]
_BAD_DATES = [None, "2026-13-40", "soon", 5]
_GOOD_STATES = ["FR", "US", "DE"]
_BAD_STATES = ["XX", "fr", 1, None]


@st.composite
def party_texts(draw: st.DrawFn) -> str:
    """Half of them well-formed party files (which may still contradict themselves: a
    State twice, a Party also a non-Party, a withdrawal before entry into force), half with
    wrong values or broken YAML."""
    valid = draw(st.booleans())
    dates = st.sampled_from(_GOOD_DATES if valid else _GOOD_DATES + _BAD_DATES)
    states = st.sampled_from(_GOOD_STATES if valid else _GOOD_STATES + _BAD_STATES)

    def entries(key_dates: bool) -> list[dict[str, Any]]:
        out = []
        for _ in range(draw(st.integers(0, 3))):
            entry: dict[str, Any] = {"state": draw(states)}
            if key_dates:
                entry["name"] = "A State"
                entry["in_force"] = draw(dates)
                if draw(st.booleans()):
                    entry["withdrawn"] = draw(dates)
            out.append(entry)
        return out

    data: dict[str, Any] = {
        "instrument": draw(st.sampled_from(["mlat_us_fr"] if valid else
                                           ["mlat_us_fr", "comity", "bogus", "Bad Id"])),
        "as_of": draw(dates),
        "sources": [{"url": "https://example.org/list", "note": "Test data."}],
        "completeness": draw(st.sampled_from(["complete", "partial", "uncertain"]
                                             + ([] if valid else ["all", "maybe"]))),
        "parties": entries(True),
    }
    for key in ("additional_parties", "non_parties", "unresolved"):
        if draw(st.booleans()):
            data[key] = (entries(key == "additional_parties") if key != "unresolved"
                         else [draw(states)])
    if draw(st.booleans()):
        data["reservations"] = [{
            "state": draw(states), "summary": "R.",
            "article": draw(st.sampled_from(["1", "2"] if valid else ["1", 2, None, ["x"]])),
            "status": draw(st.sampled_from(["in force", "withdrawn", "declaration"]
                                           + ([] if valid else ["in-force"])))}]
    text = yaml.safe_dump(data, allow_unicode=True)
    return text if valid else _mutated(text, draw)


@FUZZ
@given(text=party_texts())
def test_party_files_load_or_give_a_spec_error(small_dir, text):
    with tempfile.TemporaryDirectory() as folder:
        spec_path = Path(folder) / "mlat_us_fr.yaml"
        spec_path.write_text(HEAD + "rules:\n" + SCOPE, encoding="utf-8")
        shutil.copy(small_dir / "comity.yaml", Path(folder) / "comity.yaml")
        path = Path(folder) / "corrections" / "parties.yaml"  # not in the spec folder
        path.parent.mkdir()
        path.write_text(text, encoding="utf-8")
        kb = _load_or_spec_error(Path(folder), path, parties=[path])
        if kb is not None:
            for date in ("2005-01-01", "2026-06-01", "2035-01-01"):
                _assert_result(kb.evaluate({**BASE, "date": date}))


# -- batch through the command ---------------------------------------------------------------


def test_a_batch_of_random_lines_keeps_the_contract(tmp_path):
    rng = random.Random(11)
    pieces = ['{', '}', '"', ':', ',', '[', ']', 'null', 'true', '1e999', '"\\ud800"',
              '"FR"', '"US"', '"measure"', '"extradition"', '\\u0000', '\xff', ' ']
    lines = []
    for n in range(300):
        kind = n % 3
        if kind == 0:  # a valid request with one field changed
            data = json.loads(json.dumps(BASE))
            data[rng.choice(list(BASE))] = rng.choice([None, 5, "x", [], {}, "\ud800", 1e300])
            lines.append(json.dumps(data).encode())
        elif kind == 1:  # random pieces
            lines.append("".join(rng.choice(pieces) for _ in range(rng.randint(0, 30)))
                         .encode("utf-8", "surrogatepass"))
        else:  # random bytes
            lines.append(bytes(rng.randrange(1, 256) for _ in range(rng.randint(0, 40)))
                         .replace(b"\n", b" ").replace(b"\r", b" "))
    lines.append(json.dumps(BASE).encode())
    path = tmp_path / "in.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    proc = subprocess.run([str(EXE), "batch", "-j", "1", str(path)], capture_output=True,
                          timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")[-2000:]
    out = [json.loads(line) for line in proc.stdout.decode("utf-8").splitlines()]
    expected = [i + 1 for i, raw in enumerate(lines) if raw.strip()]
    assert [o["line"] for o in out] == expected
    assert "overall" in out[-1]
    for o in out:
        assert "overall" in o or ("error" in o and "internal error" not in o["error"]
                                  and "solver error" not in o["error"])


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner,
                                                                max_size=4),
    max_leaves=20)


@FUZZ
@given(data=st.dictionaries(st.text(max_size=4), _json_values, max_size=4),
       indent=st.sampled_from([None, 0, 2]), tight=st.booleans())
def test_a_json_file_gives_the_line_of_every_value(data, indent, tight):
    from coop_logic.io.documents import parse_text

    separators = (",", ":") if tight else (" , ", " : ")
    text = json.dumps(data, indent=indent, separators=separators)
    doc = parse_text(text, "x.json", RequestError, json_syntax=True)
    stack: list[tuple[tuple[Any, ...], Any]] = [((), data)]
    while stack:
        path, value = stack.pop()
        assert 1 <= doc.lines[path] <= text.count("\n") + 1, (path, text)
        if isinstance(value, dict):
            stack.extend(((*path, k), v) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend(((*path, i), v) for i, v in enumerate(value))
    if indent:  # one value per line: the line of a leaf holds its key
        for key in data:
            line = text.splitlines()[doc.lines[(key,)] - 1]
            assert json.dumps(key) in line
