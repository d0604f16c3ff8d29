"""Parsed YAML files kept on disk, so that a start-up does not parse the same specs again.

Parsing the bundled specs and party data is most of the time `coop_logic.load()` spends
reading (libyaml builds the nodes, Python resolves and builds every value with its line).
What a parse gives is a function of the text and of the code that parses it, so it is
stored under a hash of both: the file's bytes, `documents.py` itself and the PyYAML
installed. Only parses that succeeded are stored; a file that fails is parsed, and fails,
every time, with its own message. The values are read back with an unpickler that builds
nothing but plain values and dates, so a tampered cache file cannot run code: it is
simply a miss. The cache is an optimisation only: a directory that cannot be read or
written, or a damaged entry, means the file is parsed as if there were no cache.

Where: `COOP_LOGIC_CACHE_DIR`, else `$XDG_CACHE_HOME/coop_logic`, else
`~/.cache/coop_logic`; `COOP_LOGIC_CACHE_DIR=` (empty) turns it off.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import importlib.util
import io
import os
import pickle
from pathlib import Path
from typing import Any

FORMAT = b"coop_logic parse cache 1\n"
_code_hash: bytes | None = None


def cache_dir() -> Path | None:
    """The cache directory, or None when the cache is off."""
    chosen = os.environ.get("COOP_LOGIC_CACHE_DIR")
    if chosen is not None:
        return Path(chosen) if chosen else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "coop_logic"


def _key(text: str) -> str:
    global _code_hash
    if _code_hash is None:
        parser = Path(__file__).with_name("documents.py").read_bytes()
        _code_hash = hashlib.sha256(FORMAT + parser + _yaml_version()).digest()
    return hashlib.sha256(_code_hash + text.encode("utf-8", "surrogatepass")).hexdigest()


_PLAIN_CLASSES = {("datetime", "date"): dt.date, ("datetime", "datetime"): dt.datetime,
                  ("datetime", "timezone"): dt.timezone, ("datetime", "timedelta"): dt.timedelta}


def _yaml_version() -> bytes:
    """Which PyYAML parses (its file's path, size and time), found without importing it:
    a start-up served from the cache need not load PyYAML at all."""
    spec = importlib.util.find_spec("yaml")
    origin = spec.origin if spec is not None else None
    if origin is None:
        return b"no yaml"
    info = os.stat(origin)
    return f"{origin}\0{info.st_size}\0{info.st_mtime_ns}".encode()


class _PlainUnpickler(pickle.Unpickler):
    """Builds lists, dicts, tuples, strings, numbers, bytes and dates; refuses any other
    class."""

    def find_class(self, module: str, name: str) -> Any:
        found = _PLAIN_CLASSES.get((module, name))
        if found is None:
            raise pickle.UnpicklingError(f"{module}.{name} is not a plain value")
        return found


def read(text: str) -> Any | None:
    """What `store` kept for this text, or None."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        blob = (folder / _key(text)).read_bytes()
        return _PlainUnpickler(io.BytesIO(blob)).load()
    except Exception:  # a missing, unreadable or damaged entry is a miss, whatever it raises
        return None


def store(text: str, value: Any) -> None:
    """Keep `value` (plain values and dates only) for this text, if the cache allows."""
    folder = cache_dir()
    if folder is None:
        return
    import tempfile

    try:
        blob = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, suffix=".tmp")
    except (OSError, pickle.PicklingError, RecursionError):
        return  # a cache that cannot be written is no cache
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(blob)
        os.replace(temporary, folder / _key(text))  # whole or not at all
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
