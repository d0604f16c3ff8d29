"""The parse cache: a YAML file parsed once is read back as it was parsed, and the cache
never changes what a file means, which error it gets, or runs anything it holds."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

import coop_logic
from coop_logic.errors import SpecError
from coop_logic.io import documents, parse_cache

SPEC = Path(__file__).resolve().parents[2] / "specs" / "budapest.yaml"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("COOP_LOGIC_CACHE_DIR", str(folder))
    return folder


def no_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("parsed although the cache holds the file")

    monkeypatch.setattr(documents, "_parse_yaml", refuse)


def test_a_file_parsed_once_is_read_back_as_parsed(cache, monkeypatch, tmp_path):
    first = documents.load_file(SPEC, SpecError)
    assert len(list(cache.iterdir())) == 1
    copy = tmp_path / "copy.yaml"
    copy.write_bytes(SPEC.read_bytes())
    no_parsing(monkeypatch)
    again = documents.load_file(copy, SpecError)
    assert (again.data, again.lines, again.raw) == (first.data, first.lines, first.raw)
    assert again.name == str(copy)  # the file's own name, for its error messages


def test_an_edited_file_is_parsed_again(cache, tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text("a: 1\nb: 2\n")
    assert documents.load_file(path, SpecError).data == {"a": 1, "b": 2}
    path.write_text("a: 1\nb: 3\n")
    assert documents.load_file(path, SpecError).data == {"a": 1, "b": 3}
    assert len(list(cache.iterdir())) == 2


def test_a_file_with_an_error_fails_every_time_and_is_not_kept(cache, tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("a: 1\na: 2\n")
    for _ in range(2):
        with pytest.raises(SpecError) as caught:
            documents.load_file(path, SpecError)
        assert caught.value.line == 2 and "duplicate key 'a'" in str(caught.value)
    assert not cache.exists() or not list(cache.iterdir())


def test_a_damaged_entry_is_a_miss(cache, tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text("when: 2026-01-05\nlist: [1, two]\n")
    expected = documents.load_file(path, SpecError).data
    (entry,) = cache.iterdir()
    entry.write_bytes(b"\x80\x05garbage")
    assert documents.load_file(path, SpecError).data == expected


def test_an_entry_that_would_build_anything_but_plain_values_is_refused(cache, tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text("a: 1\n")
    documents.load_file(path, SpecError)
    (entry,) = cache.iterdir()
    marker = tmp_path / "ran"
    entry.write_bytes(pickle.dumps(_Runs(str(marker))))
    assert documents.load_file(path, SpecError).data == {"a": 1}
    assert not marker.exists()


class _Runs:
    """Unpickling it would create a file: what a tampered entry could try."""

    def __init__(self, path: str) -> None:
        self.path = path

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return (open, (self.path, "w"))


def test_a_cache_that_cannot_be_written_is_no_cache(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("COOP_LOGIC_CACHE_DIR", str(blocker / "cache"))
    assert documents.load_file(SPEC, SpecError).data["id"] == "budapest"


def test_an_empty_setting_turns_the_cache_off(tmp_path, monkeypatch):
    monkeypatch.setenv("COOP_LOGIC_CACHE_DIR", "")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert parse_cache.cache_dir() is None
    documents.load_file(SPEC, SpecError)
    assert not list(tmp_path.iterdir())


def test_the_bundled_specs_load_the_same_from_the_cache(cache, monkeypatch):
    fresh = coop_logic.load()
    no_parsing(monkeypatch)
    cached = coop_logic.load()
    assert cached.instruments == fresh.instruments
