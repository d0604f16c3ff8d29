"""The cooperation map is a join of per-instrument tables over State profiles: every cell
must equal the overall verdict a full evaluation of that pair gives (status, basis,
possible statuses and depends_on), in the closed and the open world."""

from __future__ import annotations

import datetime as dt

import pytest

from coop_logic.practice import cooperation_map as cm

STATES = ["FR", "DE", "CH", "NO", "US", "RU", "BS", "AM", "EG", "SN", "JP", "BR"]
DATE = dt.date(2026, 6, 1)


@pytest.mark.parametrize(("measure", "category", "closed_world"), [
    ("stored_data_access", None, True),
    ("extradition", "illegal_access", False),
    ("expedited_preservation", "fraud", True),
])
def test_every_cell_equals_the_full_evaluation_of_its_pair(kb, measure, category, closed_world):
    cmap = cm.build_map(measure, STATES, date=DATE, category=category,
                        closed_world=closed_world, order=False)
    for a in STATES:
        for b in STATES:
            if a == b:
                continue
            overall = kb.evaluate(cm.pair_request(a, b, measure, DATE, category),
                                  closed_world=closed_world, traces=False).overall
            cell = cmap.cell(a, b)
            assert (cell.status, cell.basis, cell.possible, cell.depends_on) == (
                overall.status, overall.basis, overall.possible, overall.depends_on), (a, b)
