"""Fuzzing the loaders: whatever bytes or structure arrive, the answer is a valid object or
a RequestError/SpecError naming the file and, where it points inside the input, a field
path that exists there; never another exception, never a hang.

Random YAML/JSON structures (wrong types, deep nesting, large numbers, unicode, empty
documents, random bytes) go to `Request.from_dict`, `Request.from_file`, the spec reader
(`spec.read_spec`) and the party-data reader; mutations of a valid request and of a valid
spec go through the readers and, for specs that are read, through `load` (compile
included). Each example runs under a time limit. The crashes the fuzzing found are kept
at the end as regression tests, each with its input.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import json
import signal
import string
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import coop_logic
from coop_logic import CATEGORIES, FACTS, MEASURES, Request, RequestError, SpecError
from coop_logic.spec.instrument_reader import read_spec
from coop_logic.spec.party_data import read_party_file

REPO = Path(__file__).resolve().parents[2]
PARTY_DIRS = (REPO / "specs" / "parties",)
EXAMPLE_LIMIT_S = 5.0  # CPU seconds per example (typical: a few ms)
FUZZ = settings(max_examples=120, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.function_scoped_fixture])


class Overtime(BaseException):
    """A loader ran too long. A BaseException, so that no `except Exception` (or `except
    OSError`, which TimeoutError would fall under) in the code under test can swallow it."""


@contextlib.contextmanager
def time_limit(seconds: float):
    """Raise Overtime once this process has used `seconds` of CPU time (user and system:
    the work the loader does, whatever else the machine is busy with)."""
    if not hasattr(signal, "setitimer"):
        yield
        return

    def on_alarm(signum, frame):
        raise Overtime(f"the loader used more than {seconds} s of CPU time")

    previous = signal.signal(signal.SIGPROF, on_alarm)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


# -- checking an answer -------------------------------------------------------------------------


def resolves(data: Any, field: str) -> bool:
    """Whether the rendered field path (`rules[3].when`) names a place in `data`. Keys may
    themselves hold dots or brackets, so at a mapping each step takes the longest key
    that fits; at a list, an `[index]`."""
    rest = field
    node = data
    while rest:
        if isinstance(node, list):
            close = rest.find("]")
            if not rest.startswith("[") or close < 0:
                return False
            try:
                node = node[int(rest[1:close])]
            except (ValueError, IndexError):
                return False
            rest = rest[close + 1:]
        elif isinstance(node, dict):
            if rest.startswith(".") and node is not data:
                rest = rest[1:]
            fits = [k for k in node if rest.startswith(str(k))
                    and rest[len(str(k)):len(str(k)) + 1] in ("", ".", "[")]
            if not fits:
                return False
            key = max(fits, key=lambda k: len(str(k)))
            node = node[key]
            rest = rest[len(str(key)):]
        else:
            return False
    return True


def check_error(exc: coop_logic.InputError, name: str, data: Any = None,
                known: bool = False) -> None:
    """A well-formed error: it names the file, says what is wrong, and its field (if any)
    is a place in the input: the value that is wrong, the mapping that misses a key, or
    the missing key itself (`rules[4].grounds` where rules[4] has no `grounds`)."""
    assert exc.file == name, (exc.file, name)
    assert str(exc).startswith(name)
    assert exc.detail and exc.detail.strip()
    if exc.field and known and isinstance(data, dict):
        parent, _, _ = exc.field.rpartition(".")
        assert resolves(data, exc.field) or (parent and resolves(data, parent)), (
            exc.field, str(exc))


def read_request_dict(data: Any) -> None:
    try:
        with time_limit(EXAMPLE_LIMIT_S):
            request = Request.from_dict(data, name="fuzz")
    except RequestError as exc:
        check_error(exc, "fuzz", data, known=True)
    else:
        assert isinstance(request, Request)
        Request.from_dict(request.to_dict())  # what was read writes back validly


# -- strategies ---------------------------------------------------------------------------------

REQUEST_KEYS = ["requesting_state", "requested_state", "measure", "date", "offence", "facts",
                "instruments", "category", "max_penalty_years", "transnational",
                "electronic_evidence", *FACTS[:4]]
SPEC_KEYS = ["spec_version", "id", "title", "sources", "parties", "rules", "definitions",
             "reservations", "grounds", "properties", "effect", "measures", "when", "cite",
             "summary", "source", "text_verified", "only", "overrides", "url", "note",
             "completeness", "as_of", "state", "in_force", "then", "established_by"]
IDS = [*MEASURES[:3], *CATEGORIES[:3], *FACTS[:3], "FR", "US", "fr", "NO", "all",
       "all_un_members", "complete", "partial", "scope", "duty", "grounds", "exclusion",
       "budapest", "2026-06-01", "true", "political_offence and not urgent"]

# Integers stay within what the readers take without the crashes pinned below (huge ints).
ints = st.integers(-(10**15), 10**15) | st.sampled_from([0, 1, -1, 10_000, 10_001, 2**63])
scalars = (st.none() | st.booleans() | ints
           | st.floats(allow_nan=True, allow_infinity=True)
           | st.text(max_size=20) | st.sampled_from(IDS)
           | st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31))
           | st.datetimes(dt.datetime(1900, 1, 1), dt.datetime(2100, 1, 1)))
keys = st.sampled_from(REQUEST_KEYS + SPEC_KEYS) | st.text(max_size=12)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=5),
    max_leaves=30,
)
mappings = st.dictionaries(keys, values, max_size=8)


def deep(depth: int) -> Any:
    node: Any = "x"
    for i in range(depth):
        node = {"facts": node} if i % 2 else [node]
    return node


BASE_REQUEST = {"requesting_state": "FR", "requested_state": "US",
                "measure": "expedited_preservation", "date": "2026-06-01",
                "offence": {"category": "illegal_access", "max_penalty_years": 5,
                            "transnational": True},
                "facts": {"political_offence": False, "urgent": True},
                "instruments": ["budapest"]}


def paths(data: Any, prefix: tuple = ()) -> list[tuple]:
    found = [prefix]
    if isinstance(data, dict):
        for k, v in data.items():
            found += paths(v, (*prefix, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            found += paths(v, (*prefix, i))
    return found


@st.composite
def mutated(draw: st.DrawFn, base: Any, palette: st.SearchStrategy[Any]) -> Any:
    """`base` with one to three random changes: a value replaced, a key removed or added,
    a list item duplicated."""
    data = copy.deepcopy(base)
    for _ in range(draw(st.integers(1, 3))):
        where = draw(st.sampled_from(paths(data)))
        if not where:
            continue
        parent = data
        for part in where[:-1]:
            parent = parent[part]
        action = draw(st.sampled_from(["replace", "replace", "remove", "add", "duplicate"]))
        if action == "replace":
            parent[where[-1]] = draw(palette)
        elif action == "remove":
            if isinstance(parent, dict):
                del parent[where[-1]]
            else:
                parent.pop(where[-1])
        elif action == "add" and isinstance(parent, dict):
            parent[draw(keys)] = draw(palette)
        elif action == "duplicate" and isinstance(parent, list):
            parent.append(copy.deepcopy(parent[where[-1]]))
    return data


def dump(data: Any, as_json: bool) -> str:
    if as_json:
        return json.dumps(data, default=str, ensure_ascii=False)
    try:
        return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    except yaml.YAMLError:  # e.g. a surrogate in a text: not a YAML document at all
        return json.dumps(data, default=str)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


# -- Request.from_dict ---------------------------------------------------------------------------


@FUZZ
@given(values | mappings | mutated(BASE_REQUEST, values))
@example(deep(150))
@example({"offence": deep(150)})
@example({**BASE_REQUEST, "offence": {"max_penalty_years": float("nan")}})
@example({**BASE_REQUEST, "date": dt.datetime(2026, 6, 1, 10, 0)})
@example({**BASE_REQUEST, "requesting_state": "ＦＲ"})
@example({**BASE_REQUEST, "facts": {"political_offence": "ja"}})
def test_request_from_dict_answers_or_names_the_field(data):
    read_request_dict(data)


# -- files: requests, specs and party data from random text ------------------------------------


def read_file(path: Path, text: str | bytes, data: Any = None, known: bool = False) -> None:
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, "utf-8", errors="surrogatepass")
    for reader, error in ((Request.from_file, RequestError), (read_party_file, SpecError),
                          (lambda p: read_spec(p, PARTY_DIRS), SpecError)):
        try:
            with time_limit(EXAMPLE_LIMIT_S):
                reader(path)
        except error as exc:
            check_error(exc, str(path), data, known)


EMPTY_DOCUMENTS = ["", "\n", "---\n", "--- \n...\n", "# nothing\n", "~\n", "null\n", "[]\n",
                   "{}\n", "'text'\n", "- a\n- b\n", "a: 1\n---\nb: 2\n", "a: 1\na: 2\n",
                   "\ufeffrequesting_state: FR\n", "key: \x00\n", "? [a, b]\n: c\n",
                   "a: &x 1\nb: *y\n", "a: !!python/object:os.system x\n", "a: !!binary AAAA\n",
                   "requesting_state: FR\n\trequested_state: US\n", "[" * 5000, "{a: " * 5000]


@FUZZ
@given(st.one_of(
    st.tuples(st.sampled_from(["yaml", "json"]), values | mappings),
    st.tuples(st.just("text"), st.text(max_size=200) | st.sampled_from(EMPTY_DOCUMENTS)),
    st.tuples(st.just("bytes"), st.binary(max_size=200)),
))
def test_files_of_any_content_are_read_or_refused_cleanly(workdir, case):
    kind, content = case
    if kind in ("yaml", "json"):
        suffix = ".json" if kind == "json" else ".yaml"
        read_file(workdir / f"doc{suffix}", dump(content, kind == "json"), content, known=True)
    else:
        for suffix in (".yaml", ".json"):
            read_file(workdir / f"doc{suffix}", content)


@FUZZ
@given(mutated(BASE_REQUEST, values), st.booleans())
def test_mutated_request_files_answer_or_name_the_field(workdir, data, as_json):
    path = workdir / ("request.json" if as_json else "request.yaml")
    path.write_text(dump(data, as_json), "utf-8")
    try:
        with time_limit(EXAMPLE_LIMIT_S):
            Request.from_file(path)
    except RequestError as exc:
        check_error(exc, str(path), data, known=True)


# -- specs: mutations of a valid spec, read and compiled -----------------------------------------

SPEC = {
    "spec_version": 1, "id": "mlat_xx_yy", "title": "Treaty between X and Y",
    "short_title": "X-Y MLAT", "adopted": "2001-05-01", "entry_into_force": "2003-01-01",
    "sources": [{"url": "https://example.org/treaty", "note": "Official text."}],
    "parties": {"as_of": "2026-01-01", "completeness": "complete",
                "sources": [{"url": "https://example.org/treaty", "note": "Ratified."}],
                "parties": [{"state": "US", "name": "United States", "in_force": "2003-01-01"},
                            {"state": "FR", "name": "France", "in_force": "2003-01-01"}],
                "reservations": [{"state": "US", "article": "3", "summary": "Reserved."}]},
    "tags": ["mla_treaty"],
    "definitions": {"serious": "max_penalty_years >= 1"},
    "reservations": [{"id": "art3", "article": "3", "summary": "A reservation."}],
    "grounds": [{"id": "unreasonable", "established_by": "death_penalty_risk",
                 "summary": "Unreasonable."}],
    "rules": [
        {"id": "mlat_xx_yy.art1", "cite": "Art. 1", "summary": "Scope.",
         "source": "https://example.org", "text_verified": True, "effect": "scope",
         "measures": ["evidence_collection", "stored_data_access"]},
        {"id": "mlat_xx_yy.art1.1", "cite": "Art. 1(1)", "summary": "Duty.",
         "source": "https://example.org", "text_verified": True, "effect": "duty",
         "measures": "all", "when": "serious and not reservation(art3)"},
        {"id": "mlat_xx_yy.art2", "cite": "Art. 2", "summary": "Discretion.",
         "source": "https://example.org", "text_verified": False, "effect": "discretion",
         "measures": ["stored_data_access"], "when": "urgent", "overrides": []},
        {"id": "mlat_xx_yy.art3", "cite": "Art. 3", "summary": "Grounds.",
         "source": "https://example.org", "text_verified": True, "effect": "grounds",
         "measures": "all", "grounds": ["political_offence", "unreasonable"], "only": True},
        {"id": "mlat_xx_yy.art3.2", "cite": "Art. 3(2)", "summary": "Exclusion.",
         "source": "https://example.org", "text_verified": True, "effect": "exclusion",
         "measures": "all", "grounds": ["unreasonable"], "overrides": []},
    ],
    "properties": [{"id": "mlat_xx_yy.property.p", "cite": "Art. 3", "summary": "Political.",
                    "source": "https://example.org", "text_verified": True,
                    "when": "political_offence", "then": "not status(mandatory)"}],
    "not_encoded": [{"cite": "Art. 9", "reason": "Costs."}],
}

# Values a spec author might plausibly write, right or wrong (conditions included).
SPEC_PALETTE = st.sampled_from([
    None, True, False, 0, 1, 2, -1, 1.5, "", " ", "all", "x", "mlat_xx_yy", "mlat_xx_yy.art1",
    "mlat_xx_yy.art3", "mlat_xx_yy.art3.2", "mlat_xx_yy.art2", "budapest.art29.1", "Budapest",
    "scope", "duty", "discretion", "grounds", "exclusion", "displacement", "complete",
    "partial", "uncertain", "all_un_members", "FR", "US", "XX", "NO", "2026-01-01",
    "2026-13-01", "political_offence", "unreasonable", "urgent and not political_offence",
    "category in {fraud, terrorism}", "category in {arson}", "measure in {extradition}",
    "max_penalty_years >= 4", "max_penalty_years > 1e99", "max_penalty_years <= 0",
    "bound(mlat_xx_yy)", "bound(untoc)", "bound_any(mla_treaty)", "reservation(art3)",
    "reservation(art99)", "status(mandatory)", "status(mlat_xx_yy, refusable)",
    "ground(political_offence)", "ground(untoc, bank_secrecy_only)", "not (urgent or",
    "serious", "unknown_name", ["evidence_collection"], ["teleport"], [], [None],
    ["political_offence"], ["mlat_xx_yy.art3.2"], ["mlat_xx_yy.art1.1"], {}, {"x": 1},
    {"url": "https://e.org"}, {"state": "FR"}, [{"state": "DE", "name": "Germany"}],
]) | values


@settings(max_examples=120, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(mutated(SPEC, SPEC_PALETTE), st.booleans())
def test_mutated_specs_are_read_and_compiled_or_refused_cleanly(workdir, data, as_json):
    folder = workdir / "specs"
    folder.mkdir(exist_ok=True)
    for old in folder.iterdir():
        old.unlink()
    path = folder / ("mlat_xx_yy.json" if as_json else "mlat_xx_yy.yaml")
    path.write_text(dump(data, as_json), "utf-8")
    try:
        with time_limit(EXAMPLE_LIMIT_S):
            inst = read_spec(path, PARTY_DIRS)
    except SpecError as exc:
        check_error(exc, str(path), data, known=True)
        return
    assert inst.id
    if not as_json:  # compile too (load reads *.yaml): cross-file checks, z3 encoding
        try:
            with time_limit(EXAMPLE_LIMIT_S):
                coop_logic.load(spec_dirs=[folder])
        except SpecError as exc:
            assert exc.detail


def test_the_unmutated_spec_loads(workdir):
    folder = workdir / "plain"
    folder.mkdir()
    (folder / "mlat_xx_yy.yaml").write_text(dump(SPEC, False), "utf-8")
    kb = coop_logic.load(extra_specs=[folder])
    assert "mlat_xx_yy" in kb.ids


# -- alias bombs, big files, deep nesting: refused quickly ---------------------------------------


def billion_laughs(levels: int = 9) -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    names = string.ascii_lowercase
    for i in range(1, levels):
        lines.append(f"{names[i]}: &{names[i]} [" + ", ".join([f"*{names[i - 1]}"] * 9) + "]")
    return "\n".join(lines) + "\n"


READERS = [("request", Request.from_file, RequestError),
           ("spec", lambda p: read_spec(p, PARTY_DIRS), SpecError),
           ("parties", read_party_file, SpecError)]


def refused_quickly(path: Path, text: str, words: str, limit: float = 2.0) -> None:
    """Every reader refuses the file within `limit` seconds of CPU time (wall-clock time
    on a busy test machine says little), naming the file and the problem."""
    path.write_text(text, "utf-8")
    for kind, reader, error in READERS:
        start = time.process_time()
        with pytest.raises(error) as info, time_limit(limit):
            reader(path)
        seconds = time.process_time() - start
        assert seconds < limit, f"{kind}: {seconds:.2f} s"
        assert words in str(info.value), (kind, str(info.value))
        assert str(info.value).startswith(str(path))


def test_a_billion_laughs_alias_bomb_is_refused_quickly(tmp_path):
    refused_quickly(tmp_path / "bomb.yaml", billion_laughs(),
                    "more than 200000 values (aliases expanded)")


def test_a_recursive_alias_is_refused(tmp_path):
    refused_quickly(tmp_path / "loop.yaml", "a: &a [*a]\n", "nests deeper than")


def test_a_multi_megabyte_file_is_refused_quickly(tmp_path):
    text = "requesting_state: FR\nnotes: '" + "x" * (3 * 1024 * 1024) + "'\n"
    refused_quickly(tmp_path / "big.yaml", text, "more than the limit of 2097152")
    refused_quickly(tmp_path / "big.json", json.dumps({"x": "y" * 3 * 1024 * 1024}),
                    "more than the limit of 2097152")


def test_deep_nesting_is_refused_quickly(tmp_path):
    refused_quickly(tmp_path / "deep.yaml", "a:\n" + "".join(
        "  " * i + "- \n" for i in range(1, 200)) + "  " * 200 + "x\n", "nests deeper than")
    refused_quickly(tmp_path / "deep2.yaml", "[" * 100_000 + "]" * 100_000, "invalid YAML")
    refused_quickly(tmp_path / "deep.json", "[" * 100_000 + "]" * 100_000, "invalid JSON")


# -- regressions: crashes the fuzzing found (each was another exception than Request/SpecError) --


def test_huge_integer_penalty_in_a_mapping():
    read_request_dict({**BASE_REQUEST, "offence": {"max_penalty_years": 10**400}})


def test_huge_integer_penalty_in_a_yaml_file(tmp_path):
    path = tmp_path / "r.yaml"
    path.write_text("requesting_state: FR\nrequested_state: US\nmeasure: extradition\n"
                    "offence:\n  max_penalty_years: " + "9" * 400 + "\n", "utf-8")
    with contextlib.suppress(RequestError):
        Request.from_file(path)


def test_integer_of_5000_digits_in_a_json_file(tmp_path):
    path = tmp_path / "r.json"
    path.write_text('{"requesting_state": "FR", "requested_state": "US", "measure": '
                    '"extradition", "offence": {"max_penalty_years": ' + "1" * 5000 + "}}")
    for reader in (Request.from_file, read_party_file, lambda p: read_spec(p, PARTY_DIRS)):
        with contextlib.suppress(coop_logic.InputError):
            reader(path)


def test_non_text_key_in_a_mapping():
    read_request_dict({**BASE_REQUEST, 1: "x"})


def test_a_file_of_many_small_values_is_refused_quickly(tmp_path):
    # 410 KiB, 210,000 values: over the 200,000-value limit. The limit is checked while the
    # composed document is turned into values, after PyYAML has composed all of it (about
    # 1 s of CPU with libyaml; a file of ~520,000 values just under the 2 MiB size limit
    # takes about 2 s, and about 10 s with PyYAML's pure-Python parser). The bound is
    # looser than the alias bomb's: this is the slowest input there is.
    # The bound is relative to that unavoidable part, measured here on the same text (the
    # machine's load slows both alike): refusing may cost at most twice composing, plus a
    # margin; PyYAML's pure-Python parser would take about ten times as long.
    import yaml

    text = "[" + ",".join(["1"] * 210_000) + "]"
    path = tmp_path / "many.yaml"
    path.write_text(text, "utf-8")
    start = time.process_time()
    list(yaml.compose_all(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)))
    composing = time.process_time() - start
    start = time.process_time()
    with pytest.raises(RequestError, match="more than 200000 values"), time_limit(
            max(3.0, 3 * composing + 1.0)):
        Request.from_file(path)
    assert time.process_time() - start < 2 * composing + 0.5


def test_a_protocol_missing_from_the_party_data(workdir):
    data = copy.deepcopy(SPEC)
    data["rules"][0]["when"] = "protocol(nope)"
    folder = workdir / "protocol"
    folder.mkdir(exist_ok=True)
    (folder / "mlat_xx_yy.yaml").write_text(dump(data, False), "utf-8")
    with contextlib.suppress(SpecError):
        coop_logic.load(extra_specs=[folder])


def test_a_property_with_a_threshold_no_rule_uses(workdir):
    from coop_logic.analysis.verify import Verifier

    data = copy.deepcopy(SPEC)
    data["properties"][0]["when"] = "max_penalty_years >= 7"
    folder = workdir / "threshold"
    folder.mkdir(exist_ok=True)
    (folder / "mlat_xx_yy.yaml").write_text(dump(data, False), "utf-8")
    kb = coop_logic.load(spec_dirs=[folder])
    Verifier(kb.compiled).run()
