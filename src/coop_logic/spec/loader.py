"""Where the specs are: the bundled folder, and the spec files a list of paths names."""


from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from coop_logic.errors import SpecError

PathLike = str | Path


def bundled_spec_dir() -> Path:
    """The specs shipped with the package (in a source checkout: the repo's specs/)."""
    packaged = Path(__file__).resolve().parents[1] / "specs"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "specs"


def spec_files(paths: Iterable[PathLike]) -> list[Path]:
    """Spec files named directly, or every *.yaml directly inside a named folder."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(p for p in path.glob("*.yaml") if p.is_file())
            if not found:
                raise SpecError("the folder holds no spec file (*.yaml)", file=str(path),
                                expected="a folder of spec files, or a spec file")
            files.extend(found)
        elif path.is_file() or path.exists():
            files.append(path)  # read_spec refuses what is not a regular file
        else:
            raise SpecError("no such spec file or folder", file=str(path))
    return files


