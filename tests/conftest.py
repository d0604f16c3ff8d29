"""Shared fixtures: the bundled knowledge base, loaded once per test session."""

from __future__ import annotations

import functools
import os
from typing import Any

import pytest

import coop_logic


def spec_dirs() -> list[str] | None:
    """The spec folder named by COOP_LOGIC_SPEC_DIR, if set, instead of the bundled specs
    (scripts/mutation_score.py runs the law tests against mutated specs this way)."""
    folder = os.environ.get("COOP_LOGIC_SPEC_DIR")
    return [folder] if folder else None


@pytest.fixture(scope="session")
def kb() -> coop_logic.KnowledgeBase:
    return coop_logic.load(spec_dirs=spec_dirs())


@pytest.fixture(scope="session")
def load_kb() -> Any:
    """`coop_logic.load` over the same spec folders as `kb`, for tests that add a spec or a
    party file (`load_kb(extra_specs=[...], parties=[...])`)."""
    return functools.partial(coop_logic.load, spec_dirs=spec_dirs())


@pytest.fixture(scope="module")
def kb_mlat(tmp_path_factory: pytest.TempPathFactory, load_kb: Any) -> coop_logic.KnowledgeBase:
    """The specs plus a test-only bilateral FR-US treaty tagged mla_treaty (once a module)."""
    from tests.helpers import MLAT_FR_US

    path = tmp_path_factory.mktemp("mlat") / "mlat_fr_us.yaml"
    path.write_text(MLAT_FR_US, encoding="utf-8")
    return load_kb(extra_specs=[path])
