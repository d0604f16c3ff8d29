"""`coop_logic.analysis.diff` from Python: only what can differ is given to the solver (the
count `Differ.work` gives a progress bar), and the summary of a list of changes."""

from __future__ import annotations

import datetime as dt
import shutil

import coop_logic
from coop_logic.analysis.diff import Change, Differ, Summary, load_side, load_sides, summarize
from tests.analysis.test_diff import SPECS
from tests.analysis.test_diff_party_corrections import correction

DATE = dt.date(2026, 6, 1)


def test_an_unchanged_copy_of_the_specs_leaves_the_solver_nothing_to_compare(tmp_path):
    copy = shutil.copytree(SPECS, tmp_path / "specs")
    differ = Differ(load_side([SPECS]), load_side([copy]), DATE)
    assert differ.work() == 0
    changes = differ.rules()
    assert {c.direction for c in changes} == {"equivalent"}
    assert len(changes) == len(differ.old) * len(coop_logic.MEASURES)
    assert differ.party_data() == []


def test_a_one_state_correction_gives_the_solver_that_state_only(tmp_path):
    path = correction(tmp_path, "budapest", "partial", {"GR": "2027-05-01"})
    one = Differ(*load_sides([SPECS / "parties" / "budapest.yaml"], [path]), DATE)
    path = correction(tmp_path, "budapest", "partial", {"GR": "2027-05-01", "HU": "2027-05-01"})
    two = Differ(*load_sides([SPECS / "parties" / "budapest.yaml"], [path]), DATE)
    # Hungary's data changes as Greece's does: compared once, reported for both
    assert 0 < one.work() == two.work() <= 2 * len(one.old) * len(coop_logic.MEASURES)
    assert {c.state for c in two.party_data()} == {"GR", "HU"}


def test_the_summary_takes_the_changes_of_an_instrument_together():
    changes = [Change("untoc", "extradition", "stricter", {}, None),
               Change("untoc", "evidence_collection", "laxer", None, {}),
               Change("untoc", "information_sharing", "equivalent", None, None),
               Change("budapest", "extradition", "laxer", None, {}, "GR", "requesting"),
               Change("budapest", "extradition", "laxer", None, {}, "GR", "requested")]
    assert summarize(changes) == [
        Summary("untoc", None, "incomparable", {"stricter": 1, "laxer": 1, "equivalent": 1}),
        Summary("budapest", "GR", "laxer", {"laxer": 2})]
