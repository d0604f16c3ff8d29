"""Evaluating many requests: JSON lines in, one verdict per line out, in worker processes.

`run_batch` reads one request per line (a JSON object in the contract's request format),
evaluates each and writes, per line and in input order, the contract's JSON object with
`"line": n` added, or `{"line": n, "error": "..."}` for a line that is not a valid request
(the run goes on). Blank lines are skipped. It streams: lines are read, evaluated and
written in chunks, with a bounded number of chunks in flight, so memory does not grow
with the input.

Work is spread over a pool of worker processes (fork context); each loads its own
knowledge base once, in the pool initializer, since a z3 Context belongs to one process.
`jobs=1` evaluates in the calling process. `WorkerPool` is the reusable part: the
cooperation map (`cooperation_map.py`) sends its pairs through the same pool, asking for
the overall verdict only (`overall_task`), memoized per worker on the solver's inputs.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import re
import signal
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any, NamedTuple

import attrs
import z3

from coop_logic.engine.budget import raise_if_interrupted
from coop_logic.errors import InputError, RequestError, SolverError, shown
from coop_logic.io.documents import MAX_FILE_BYTES, render_path
from coop_logic.model.request import Request
from coop_logic.model.result import Overall
from coop_logic.vocabulary import OVERALL_ORDER, UNDETERMINED

MAX_LINE_BYTES = MAX_FILE_BYTES  # a line is one request: at most what a request file may be
CHUNK_LINES = 250  # lines per task sent to a worker (at least 250: the IPC cost stays small)
WINDOW_PER_JOB = 4  # chunks in flight per worker: enough slack to keep workers busy, bounded
SUMMARY_STATUSES: tuple[str, ...] = (*OVERALL_ORDER, UNDETERMINED, "not_applicable")


@attrs.frozen
class BatchOptions:
    """How every request of a run is read: the knowledge base to load and the evaluation flags."""

    closed_world: bool = False
    traces: bool = False
    specs: tuple[str, ...] = ()
    parties: tuple[str, ...] = ()


class Outcome(NamedTuple):
    """One line's answer: its overall status (None for an error), the error's kind
    ('input', 'solver' or 'internal'; None for a verdict) and the JSON line to write."""

    line: int
    status: str | None
    error: str | None
    text: str


class Block(NamedTuple):
    """A chunk of lines answered: their JSON lines in order as one text (each ending in a
    newline), how many, and the count of each overall status and each error kind (sent
    back from a worker as one string and two small tables, written with one write)."""

    text: str
    lines: int
    statuses: Counter
    errors: Counter


class Task(NamedTuple):
    """A chunk of work for one worker: `kind` names the function, `items` its inputs;
    `weight` (bytes read, or pairs) is handed back for progress reporting."""

    kind: str
    source: str
    items: list[Any]
    weight: int


class Done(NamedTuple):
    weight: int
    outcomes: list[Any]


class WorkerFailed(NamedTuple):
    """A worker could not load its knowledge base (reported instead of a task's results)."""

    input_error: bool
    message: str


# -- the work done in each process -------------------------------------------------------------


class Evaluator:
    """One process's knowledge base, and the work on one line or one pair."""

    def __init__(self, options: BatchOptions) -> None:
        from coop_logic.engine.knowledge_base import load

        self.options = options
        self.kb = load(extra_specs=options.specs, parties=options.parties)
        # by id(Verdict): the verdict, its instrument and its JSON member
        self._fragments: dict[int, tuple[Any, str, str]] = {}

    # JSON lines -> contract JSON lines

    def record(self, line: int, raw: bytes | str | None, source: str) -> Outcome:
        try:
            if raw is None:
                raise RequestError(f"the line is longer than the limit of {MAX_LINE_BYTES} bytes",
                                   file=f"{source}:{line}", expected="one request per line")
            request = _parse_line(raw, f"{source}:{line}")
            result = self.kb.evaluate(request, closed_world=self.options.closed_world,
                                      traces=self.options.traces)
        except InputError as exc:
            return _error(line, "input", str(exc))
        except SolverError as exc:
            raise_if_interrupted()
            return _error(line, "solver", f"solver error: {exc}")
        except Exception as exc:
            raise_if_interrupted()  # a z3 call that failed because Ctrl-C stopped it
            return _error(line, "internal", f"internal error: {type(exc).__name__}: {exc}")
        return Outcome(line, result.overall.status, None, self._result_line(line, result))

    def _result_line(self, line: int, result: Any) -> str:
        """`_json_line` of the line's result, each verdict's JSON written once per Verdict
        (the engine shares one Verdict among the requests whose verdict has no trace and
        no depends_on): the same text, byte for byte."""
        fragments = self._fragments
        instruments = []
        for inst_id, verdict in result.verdicts.items():
            found = fragments.get(id(verdict))
            if found is None or found[0] is not verdict or found[1] != inst_id:
                if len(fragments) >= FRAGMENTS_KEPT:
                    fragments.clear()
                found = fragments[id(verdict)] = (
                    verdict, inst_id, f"{_dumps(inst_id)}:{_dumps(verdict.to_dict())}")
            instruments.append(found[2])
        text = (f'{{"line":{line},"overall":{_dumps(result.overall.to_dict())},'
                f'"instruments":{{{",".join(instruments)}}},'
                f'"request":{_dumps(result.request.to_dict())},'
                f'"closed_world":{"true" if result.closed_world else "false"}}}')
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            return _json_line({"line": line, **result.to_dict()})
        return text

    # request mappings -> overall verdicts (the cooperation map)

    def overall(self, key: Any, data: dict[str, Any]) -> tuple[Any, Overall | None, str | None]:
        """The overall verdict on one request mapping (the cooperation map). The engine
        memoizes it on what the solver sees, so pairs of States with the same party data
        are solved once, each answered in its own States' terms."""
        try:
            result = self.kb.evaluate(data, closed_world=self.options.closed_world,
                                      traces=False, details=False)
        except InputError as exc:
            return key, None, str(exc)
        except SolverError as exc:
            return key, None, f"solver error: {exc}"
        return key, result.overall, None

    @property
    def memo_hits(self) -> int:
        """How many requests the engine answered from its memo."""
        return self.kb.engine.memo_hits


def _parse_line(raw: bytes | str, name: str) -> Request:
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise RequestError(f"the line is not UTF-8 text (byte {exc.start + 1})",
                               file=name) from None

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key, value in items:
            if key in result:
                raise RequestError(f"duplicate key '{key}'", file=name, field=key)
            result[key] = value
        return result

    try:
        data = json.loads(raw, object_pairs_hook=pairs)
    except json.JSONDecodeError as exc:
        raise RequestError(f"invalid JSON at column {exc.colno}: {exc.msg}", file=name,
                           expected="one JSON object per line") from None
    except RecursionError:
        raise RequestError("invalid JSON: nested too deeply", file=name) from None
    if not isinstance(data, dict):
        kind = "null" if data is None else type(data).__name__
        raise RequestError(f"the line is a JSON {kind}, not an object", file=name,
                           expected="a request object {\"requesting_state\": ..., ...}")
    if _SURROGATE_ESCAPE.search(raw):
        _refuse_lone_surrogates(data, name)
    return Request.from_dict(data, name=name)


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _refuse_lone_surrogates(data: Any, name: str) -> None:
    """A JSON string escape such as "\\ud800" with no pair is not Unicode text: refused,
    naming the field, so that it can never reach the output (walked without recursion)."""
    stack: list[tuple[tuple[str | int, ...], Any]] = [((), data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, str):
            if _LONE_SURROGATE.search(value):
                raise RequestError(
                    "holds a lone UTF-16 surrogate escape (\\ud800-\\udfff), which is not "
                    "Unicode text", file=name, field=render_path(path) or None,
                    expected="Unicode text")
        elif isinstance(value, dict):
            for key, item in value.items():
                if _LONE_SURROGATE.search(key):
                    raise RequestError(
                        "a key holds a lone UTF-16 surrogate escape, which is not Unicode "
                        "text", file=name, field=render_path(path) or None,
                        expected="Unicode text")
                stack.append(((*path, key), item))
        elif isinstance(value, list):
            stack.extend(((*path, i), item) for i, item in enumerate(value))


def _error(line: int, kind: str, message: str) -> Outcome:
    return Outcome(line, None, kind, _json_line({"line": line, "error": shown(message)}))


FRAGMENTS_KEPT = 4_096  # verdicts' JSON kept per worker


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _json_line(data: dict[str, Any]) -> str:
    """One output line, always valid UTF-8: should a lone surrogate have got into the data,
    it is written as a JSON escape rather than as an unencodable character."""
    text = _dumps(data)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = json.dumps(data, ensure_ascii=True, separators=(",", ":"))
    return text


_WORKER: Evaluator | None = None
_WORKER_ERROR: tuple[bool, str] | None = None


def _init_worker(options: BatchOptions) -> None:
    """Pool initializer: load this worker's knowledge base once. A failure is kept and
    reported with the first task (an initializer that raises would be restarted forever)."""
    global _WORKER, _WORKER_ERROR
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    z3.set_param("ctrl_c", False)  # and z3 must not turn it into a line's `unknown` here
    try:
        _WORKER = Evaluator(options)
    except InputError as exc:
        _WORKER_ERROR = (True, str(exc))
    except Exception as exc:
        _WORKER_ERROR = (False, f"{type(exc).__name__}: {exc}")


def _execute(evaluator: Evaluator, task: Task) -> Done:
    if task.kind == "record":
        outcomes = [evaluator.record(n, raw, task.source) for n, raw in task.items]
        return Done(task.weight, [Block(
            "".join(f"{o.text}\n" for o in outcomes), len(outcomes),
            Counter(o.status for o in outcomes if o.status is not None),
            Counter(o.error for o in outcomes if o.status is None))])
    if task.kind == "overall":
        return Done(task.weight, [evaluator.overall(key, data) for key, data in task.items])
    raise ValueError(f"unknown task kind {task.kind!r}")


def _run_task(task: Task) -> Done | WorkerFailed:
    if _WORKER is None:
        return WorkerFailed(*(_WORKER_ERROR or (False, "the worker did not start")))
    return _execute(_WORKER, task)


class _RelayedInputError(InputError):
    """A worker's input error (e.g. a bad --spec file), with the worker's message as is."""

    def render(self) -> str:
        return self.detail


# -- the pool ---------------------------------------------------------------------------------


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


class WorkerPool:
    """`jobs` worker processes (fork context), each with its own knowledge base; or, with
    `jobs=1`, the calling process. `run` yields the tasks' results in order, with at
    most WINDOW_PER_JOB * jobs tasks read ahead of the one being returned."""

    def __init__(self, options: BatchOptions, jobs: int | None = None) -> None:
        self.options = options
        self.jobs = default_jobs() if jobs is None else jobs
        if self.jobs < 1:
            raise InputError(f"is {self.jobs}", field="--jobs", expected="a number of jobs >= 1")
        self._pool: Any = None
        self._local: Evaluator | None = None
        self._stop = threading.Event()

    def __enter__(self) -> WorkerPool:
        if self.jobs == 1:
            self._local = Evaluator(self.options)
        else:
            ctx = multiprocessing.get_context("fork")
            self._pool = ctx.Pool(self.jobs, initializer=_init_worker, initargs=(self.options,))
        return self

    def __exit__(self, exc_type: Any, *_: Any) -> None:
        self._stop.set()  # unblocks a feeder waiting for room in the window
        if self._pool is not None:
            if exc_type is None:
                self._pool.close()
            else:
                self._pool.terminate()
            self._pool.join()
            self._pool = None

    def run(self, tasks: Iterable[Task]) -> Iterator[Done]:
        if self._local is not None:
            for task in tasks:
                yield _execute(self._local, task)
            return
        if self._pool is None:
            raise RuntimeError("WorkerPool.run outside its `with` block")
        window = threading.Semaphore(WINDOW_PER_JOB * self.jobs)
        stop = threading.Event()
        feed_error: list[BaseException] = []

        def feed() -> Iterator[Task]:
            # runs in the pool's task-handler thread: blocks while the window is full
            try:
                for task in tasks:
                    while not window.acquire(timeout=0.1):
                        if stop.is_set() or self._stop.is_set():
                            return
                    if stop.is_set() or self._stop.is_set():
                        return
                    yield task
            except Exception as exc:  # e.g. a read error: reported by the consumer
                feed_error.append(exc)

        try:
            for done in self._pool.imap(_run_task, feed(), chunksize=1):
                window.release()
                if isinstance(done, WorkerFailed):
                    if done.input_error:
                        raise _RelayedInputError(done.message)
                    raise RuntimeError(f"a worker could not start: {done.message}")
                yield done
        finally:
            stop.set()
        if feed_error:
            raise feed_error[0]


# -- a batch run ------------------------------------------------------------------------------


@attrs.define
class BatchSummary:
    """Counts of a run: per overall status, errors (by kind), time, throughput."""

    statuses: Counter = attrs.field(factory=Counter)
    errors: Counter = attrs.field(factory=Counter)
    seconds: float = 0.0
    jobs: int = 1

    @property
    def verdicts(self) -> int:
        return sum(self.statuses.values())

    @property
    def lines(self) -> int:
        return self.verdicts + sum(self.errors.values())

    @property
    def throughput(self) -> float:
        return self.lines / self.seconds if self.seconds > 0 else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"lines": self.lines, "statuses": dict(self.statuses),
                "errors": dict(self.errors), "seconds": round(self.seconds, 3),
                "jobs": self.jobs, "requests_per_second": round(self.throughput, 1)}


def read_tasks(stream: IO[bytes], source: str, chunk: int = CHUNK_LINES) -> Iterator[Task]:
    """Chunks of (line number, raw line), blank lines skipped, read lazily from `stream`.
    A line longer than MAX_LINE_BYTES is not kept: it is passed on as None (a bad line)."""
    items: list[tuple[int, bytes | None]] = []
    weight = 0
    for n, raw, size in _lines(stream):
        weight += size
        if raw is None or raw.strip():
            items.append((n, raw.rstrip(b"\r\n") if raw is not None else None))
        if len(items) >= chunk:
            yield Task("record", source, items, weight)
            items, weight = [], 0
    if items or weight:
        yield Task("record", source, items, weight)


def _lines(stream: IO[bytes]) -> Iterator[tuple[int, bytes | None, int]]:
    n = 0
    while True:
        raw = stream.readline(MAX_LINE_BYTES + 1)
        if not raw:
            return
        n += 1
        size = len(raw)
        if size > MAX_LINE_BYTES and not raw.endswith(b"\n"):
            while raw and not raw.endswith(b"\n"):  # skip the rest of the line
                raw = stream.readline(1 << 20)
                size += len(raw)
            yield n, None, size
        else:
            yield n, raw, size


def run_batch(stream: IO[bytes], out: IO[str], *, source: str = "<stdin>",
              options: BatchOptions | None = None, jobs: int | None = None,
              chunk: int = CHUNK_LINES,
              progress: Callable[[int, int], None] | None = None) -> BatchSummary:
    """Evaluate every line of `stream` and write one JSON line per request to `out`, in order.

    `progress(weight, lines)` is called after each chunk with the bytes and lines done.
    """
    options = options or BatchOptions()
    pool = WorkerPool(options, jobs)
    summary = BatchSummary(jobs=pool.jobs)
    start = time.perf_counter()
    with pool:
        for done in pool.run(read_tasks(stream, source, max(1, chunk))):
            lines = 0
            for block in done.outcomes:
                out.write(block.text)  # one write: an interrupt leaves whole lines
                summary.statuses.update(block.statuses)
                summary.errors.update(block.errors)
                lines += block.lines
            if progress is not None:
                progress(done.weight, lines)
    out.flush()
    summary.seconds = time.perf_counter() - start
    return summary
