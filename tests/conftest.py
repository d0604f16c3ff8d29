"""Shared fixtures: the bundled knowledge base, loaded once per test session."""

from __future__ import annotations

import pytest

import coop_logic


@pytest.fixture(scope="session")
def kb() -> coop_logic.KnowledgeBase:
    return coop_logic.load()
