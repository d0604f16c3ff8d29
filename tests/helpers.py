"""Helpers for building requests in tests."""

from __future__ import annotations

from typing import Any


def make_request(
    requesting: str = "FR",
    requested: str = "US",
    measure: str = "expedited_preservation",
    date: str = "2026-06-01",
    offence: dict[str, Any] | None = None,
    facts: dict[str, bool] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """A request mapping in the contract's format (absent facts stay unknown)."""
    request: dict[str, Any] = {
        "requesting_state": requesting,
        "requested_state": requested,
        "measure": measure,
        "date": date,
    }
    if offence is not None:
        request["offence"] = offence
    if facts is not None:
        request["facts"] = facts
    request.update(extra)
    return request
