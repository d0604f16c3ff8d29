"""Verdict records: what the engine answers, as immutable values with a JSON form.

`Result.to_dict()` is the contract's JSON (section 2); `Result.explain()` is the proof
trace for people (rendered by `explain`). Nothing here calls the solver.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import attrs

from coop_logic.errors import did_you_mean
from coop_logic.model.request import Request


def unknown_key(kind: str, key: object, known: object) -> str:
    """The message of a KeyError on a record: what was asked, what is close, what there is."""
    names = [str(k) for k in known]  # type: ignore[attr-defined]
    hint = did_you_mean(str(key), names)
    if not names:
        return f"no {kind} {key!r} in this result: it has none"
    shown = ", ".join(names[:20]) + (", ..." if len(names) > 20 else "")
    return f"no {kind} {key!r} in this result{hint}; there are: {shown}"


@attrs.frozen
class ProvisionStep:
    """A provision the verdict rests on."""

    id: str
    cite: str
    summary: str
    source: str
    text_verified: bool
    kind: str = "provision"

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "id": self.id, "cite": self.cite, "summary": self.summary,
                "source": self.source, "text_verified": self.text_verified}


@attrs.frozen
class FactStep:
    """A request fact (or offence field, or the measure) the verdict rests on."""

    id: str
    value: Any
    kind: str = "fact"

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "id": self.id, "value": self.value}


@attrs.frozen
class PartyStep:
    """Party data the verdict rests on: a State bound, or not, on the request's date."""

    id: str
    instrument: str
    state: str
    value: bool | None  # None: unknown (the verdict is undetermined on it)
    basis: str
    source: str
    as_of: dt.date | None
    kind: str = "party"

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "id": self.id, "instrument": self.instrument,
                "state": self.state, "value": self.value, "basis": self.basis,
                "source": self.source, "as_of": self.as_of.isoformat() if self.as_of else None}


@attrs.frozen
class ReservationStep:
    """A reservation (or its absence) the verdict rests on."""

    id: str
    instrument: str
    state: str
    article: str
    value: bool | None  # None: unknown (the verdict is undetermined on it)
    basis: str
    source: str
    kind: str = "reservation"

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "id": self.id, "instrument": self.instrument,
                "state": self.state, "article": self.article, "value": self.value,
                "basis": self.basis, "source": self.source}


Step = ProvisionStep | FactStep | PartyStep | ReservationStep


@attrs.frozen
class Verdict:
    """The verdict of one instrument for one request."""

    instrument: str
    title: str
    status: str
    possible: tuple[str, ...]
    grounds: tuple[str, ...]
    depends_on: tuple[str, ...]
    trace: tuple[Step, ...]
    # The grounds (a subset of `grounds`) on which the instrument says assistance "shall be
    # refused": the requested State must refuse, not merely may.
    obligatory_grounds: tuple[str, ...] = ()

    @property
    def determined(self) -> bool:
        return len(self.possible) == 1

    def _repr_html_(self) -> str:
        """Rich display in Jupyter: the verdict and its JSON form."""
        from coop_logic.explain.markup import record_html

        return record_html(f"{self.title} [{self.instrument}]: {self.status}", self.to_dict())

    @property
    def must_refuse(self) -> bool:
        """Whether an established ground obliges the requested State to refuse."""
        return bool(self.obligatory_grounds)

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "possible": list(self.possible),
            "grounds": list(self.grounds),
            "obligatory_grounds": list(self.obligatory_grounds),
            "depends_on": list(self.depends_on),
            "trace": [step.to_dict() for step in self.trace],
        }


@attrs.frozen
class Overall:
    """The strongest status over the instruments considered (contract section 2)."""

    status: str
    basis: tuple[str, ...]
    possible: tuple[str, ...]
    depends_on: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"status": self.status, "basis": list(self.basis),
                "possible": list(self.possible), "depends_on": list(self.depends_on)}


@attrs.frozen
class Result:
    """Everything the engine says about one request."""

    request: Request
    closed_world: bool
    verdicts: dict[str, Verdict]
    overall: Overall
    checks: int = attrs.field(default=0, eq=False)

    def __getitem__(self, instrument: str) -> Verdict:
        if instrument not in self.verdicts:
            raise KeyError(unknown_key("instrument", instrument, self.verdicts))
        return self.verdicts[instrument]

    def to_dict(self) -> dict[str, Any]:
        """The contract's JSON object."""
        return {
            "overall": self.overall.to_dict(),
            "instruments": {i: v.to_dict() for i, v in self.verdicts.items()},
            "request": self.request.to_dict(),
            "closed_world": self.closed_world,
        }

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)

    def explain(self, instrument: str | None = None) -> str:
        """The proof trace as plain text (every instrument, or one)."""
        from coop_logic.explain.text import explanation_text

        return explanation_text(self, instrument)

    def to_markdown(self, instrument: str | None = None) -> str:
        """The proof trace as Markdown (render.py)."""
        from coop_logic.explain.markup import to_markdown

        return to_markdown(self, instrument)

    def to_html(self, instrument: str | None = None) -> str:
        """The proof trace as one self-contained HTML document (render.py)."""
        from coop_logic.explain.markup import to_html

        return to_html(self, instrument)

    def _repr_html_(self) -> str:
        """Rich display in Jupyter: the HTML proof trace."""
        from coop_logic.explain.markup import to_html

        return to_html(self)
