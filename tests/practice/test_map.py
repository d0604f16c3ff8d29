"""`coop-logic map` and `coop_logic.practice.cooperation_map`: the overall verdict for every ordered
pair of a few States, as CSV, JSON and a heatmap. Small sets of States keep it fast."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import coop_logic
from coop_logic.cli import main
from coop_logic.practice import bloc_order
from coop_logic.practice import cooperation_map as cm
from coop_logic.practice.batch import BatchOptions, Evaluator

DATE = dt.date(2026, 6, 1)


@pytest.fixture(scope="module")
def kb() -> coop_logic.KnowledgeBase:
    """Loaded when this module's tests start, like the knowledge bases of the workers
    they compare with (not the session's, which may predate an edit of the specs)."""
    return coop_logic.load()
STATES = ["CN", "DE", "FR", "RU", "US"]
# Libya and Syria are unresolved in the Arab Convention's party data: their cells depend on it
ARAB = ["IQ", "LY", "SD", "SY"]


def invoke(*args: str) -> Any:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def assert_cells_match_evaluate(kb: coop_logic.KnowledgeBase, cmap: cm.CooperationMap) -> None:
    for a in cmap.states:
        for b in cmap.states:
            if a == b:
                continue
            overall = kb.evaluate(cmap.request(a, b), closed_world=cmap.closed_world,
                                  traces=False).overall
            cell = cmap.cell(a, b)
            assert (cell.status, cell.basis, cell.possible, cell.depends_on) == (
                overall.status, overall.basis, overall.possible, overall.depends_on), (a, b)


def test_map_cells_are_the_overall_verdicts(kb: coop_logic.KnowledgeBase) -> None:
    cmap = cm.build_map("expedited_preservation", STATES, date=DATE, category="illegal_access",
                        closed_world=True, jobs=1)
    assert len(cmap.cells) == len(STATES) * (len(STATES) - 1)
    fr_us = cmap.cell("FR", "US")
    assert (fr_us.status, fr_us.basis) == ("mandatory", ("budapest",))
    assert cmap.cell("CN", "US").status == "discretionary"
    assert sorted(cmap.order) == sorted(STATES)
    assert_cells_match_evaluate(kb, cmap)


def test_memoized_cells_name_their_own_states_in_depends_on(
        kb: coop_logic.KnowledgeBase) -> None:
    cmap = cm.build_map("evidence_collection", ARAB, date=DATE, category="illegal_access",
                        jobs=1)
    assert "party:las_2010:LY" in cmap.cell("LY", "SD").depends_on
    assert "party:las_2010:SY" in cmap.cell("IQ", "SY").depends_on
    assert_cells_match_evaluate(kb, cmap)


def test_a_memoized_verdict_is_restated_for_its_own_pair(kb: coop_logic.KnowledgeBase) -> None:
    evaluator = Evaluator(BatchOptions())
    first = cm.pair_request("LY", "SD", "evidence_collection", DATE, "illegal_access")
    second = cm.pair_request("SY", "SD", "evidence_collection", DATE, "illegal_access")
    _, overall_ly, _ = evaluator.overall(1, first)
    _, overall_sy, _ = evaluator.overall(2, second)
    assert evaluator.memo_hits == 1
    assert "party:las_2010:LY" in overall_ly.depends_on
    assert overall_sy == kb.evaluate(second, traces=False).overall
    assert "party:las_2010:SY" in overall_sy.depends_on


def test_the_worker_solves_each_distinct_input_once() -> None:
    evaluator = Evaluator(BatchOptions(closed_world=True))
    eu = ["AT", "BE", "DE", "FR", "IT", "NL"]
    pairs = [(a, b) for a in eu for b in eu if a != b]
    for a, b in pairs:
        evaluator.overall((a, b), cm.pair_request(a, b, "expedited_preservation", DATE, None))
    assert evaluator.memo_hits > len(pairs) // 2


def test_map_with_two_jobs_equals_one_job() -> None:
    args: dict[str, Any] = {"date": DATE, "category": "computer_fraud", "closed_world": True}
    one = cm.build_map("stored_data_access", STATES, jobs=1, **args)
    two = cm.build_map("stored_data_access", STATES, jobs=2, **args)
    assert one.cells == two.cells and one.order == two.order


def test_bloc_order_without_numpy_is_a_permutation_that_keeps_blocs_together(
        monkeypatch: pytest.MonkeyPatch) -> None:
    states = ["CN", "DE", "FR", "IT", "RU", "US"]
    cmap = cm.build_map("expedited_preservation", states, date=DATE,
                        category="illegal_access", closed_world=True, jobs=1, order=False)
    monkeypatch.setattr(bloc_order, "have_numpy", lambda: False)
    order = cm.bloc_order(cmap)
    assert sorted(order) == sorted(states)
    budapest = [i for i, s in enumerate(order) if s in {"DE", "FR", "IT", "US"}]
    assert budapest == list(range(budapest[0], budapest[0] + 4))  # contiguous


def test_cli_writes_csv_json_and_png(tmp_path: Path) -> None:
    image = pytest.importorskip("PIL.Image")
    prefix = tmp_path / "fr"
    result = invoke("map", "--measure", "expedited_preservation", "--states", ",".join(STATES),
                    "--date", DATE.isoformat(), "--offence-category", "illegal_access",
                    "--closed-world", "--output", str(prefix), "--format", "csv,json,png,svg",
                    "--jobs", "2")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.split() == [f"{prefix}.{f}" for f in ("csv", "json", "png", "svg")]
    assert "map summary" in result.stderr and "pairs/s" in result.stderr

    rows = list(csv.DictReader((tmp_path / "fr.csv").open(encoding="utf-8")))
    assert len(rows) == 20
    fr_us = next(r for r in rows if (r["requesting_state"], r["requested_state"]) == ("FR", "US"))
    assert fr_us["status"] == "mandatory" and fr_us["basis"] == "budapest"

    data = json.loads((tmp_path / "fr.json").read_text("utf-8"))
    assert data["measure"] == "expedited_preservation" and data["closed_world"] is True
    assert data["offence"] == {"category": "illegal_access"} and data["date"] == "2026-06-01"
    assert sorted(data["states"]) == STATES
    pair = next(p for p in data["pairs"]
                if (p["requesting_state"], p["requested_state"]) == ("FR", "US"))
    assert pair == {"requesting_state": "FR", "requested_state": "US", "status": "mandatory",
                    "basis": ["budapest"], "possible": ["mandatory"], "depends_on": []}
    assert sum(data["counts"].values()) == len(data["pairs"]) == 20

    picture = image.open(tmp_path / "fr.png").convert("RGB")
    assert picture.width > 200 and picture.height > 200
    assert len(set(picture.getdata())) > 3  # not blank
    assert (tmp_path / "fr.svg").read_text("utf-8").lstrip().startswith("<?xml")


def test_cli_image_without_pillow_is_bad_input(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cm, "have_pillow", lambda: False)
    prefix = tmp_path / "m"
    result = invoke("map", "--measure", "extradition", "--states", "FR,US", "--output",
                    str(prefix), "--format", "csv,png")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "Pillow" in result.stderr and "--format" in result.stderr
    assert not list(tmp_path.iterdir())
    # without --format, the map is still written, as CSV and JSON
    result = invoke("map", "--measure", "extradition", "--states", "FR,US", "--output",
                    str(prefix), "--date", DATE.isoformat(), "--jobs", "1")
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.csv", "m.json"]
    assert "Pillow is not installed" in result.stderr


@pytest.mark.parametrize(("args", "named"), [
    (["--measure", "quick_freeze"], "--measure"),
    (["--measure", "extradition", "--states", "FR,fr"], "--states"),
    (["--measure", "extradition", "--states", "FR"], "--states"),
    (["--measure", "extradition", "--offence-category", "hacking"], "--offence-category"),
    (["--measure", "extradition", "--date", "2026-13-01"], "--date"),
    (["--measure", "extradition", "--format", "csv,pdf"], "--format"),
])
def test_cli_bad_options_are_bad_input(args: list[str], named: str, tmp_path: Path) -> None:
    result = invoke("map", *args, "--output", str(tmp_path / "x"))
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert named in result.stderr


def test_default_states_are_those_of_the_party_data() -> None:
    states = cm.select_states(None)
    assert {"FR", "US", "JP", "NG", "LY"} <= set(states)
    assert len(states) == len(set(states)) > 100
    assert len(cm.select_states("un")) == 193


def test_a_refusal_ground_given_for_the_map_makes_its_cells_refusable(
        kb: coop_logic.KnowledgeBase) -> None:
    # Budapest art. 29(5): preservation may be refused where execution would prejudice the
    # requested Party's sovereignty, security, ordre public or other essential interests.
    plain = cm.build_map("expedited_preservation", STATES, date=DATE, category="illegal_access",
                         closed_world=True, jobs=1)
    raised = cm.build_map("expedited_preservation", STATES, date=DATE,
                          category="illegal_access", closed_world=True, jobs=1,
                          facts={"essential_interests": True})
    assert plain.cell("FR", "US").status == "mandatory"
    fr_us = raised.cell("FR", "US")
    assert (fr_us.status, fr_us.basis) == ("refusable", ("budapest",))
    assert {c.status for c in raised.cells.values()} == {"refusable", "discretionary"}
    assert raised.to_dict()["facts"] == {"essential_interests": True}
    assert "facts" not in plain.to_dict()
    assert_cells_match_evaluate(kb, raised)


def test_a_map_fact_established_false_settles_an_open_world_cell(
        kb: coop_logic.KnowledgeBase) -> None:
    facts = {f: False for f in coop_logic.vocabulary.FACTS}
    cmap = cm.build_map("expedited_preservation", ["FR", "US"], date=DATE,
                        category="illegal_access", jobs=1, facts=facts,
                        flags={"committed_by_computer": True})
    assert cmap.request("FR", "US")["facts"] == facts
    assert cmap.request("FR", "US")["offence"]["committed_by_computer"] is True
    assert_cells_match_evaluate(kb, cmap)


@pytest.mark.parametrize(("given", "field"), [
    ({"facts": {"essential_interest": True}}, "facts.essential_interest"),
    ({"facts": {"essential_interests": "yes"}}, "facts.essential_interests"),
    ({"flags": {"by_computer": True}}, "offence.by_computer"),
])
def test_an_unknown_or_ill_typed_map_fact_is_a_clear_error(given: dict, field: str) -> None:
    with pytest.raises(coop_logic.errors.InputError) as raised:
        cm.build_map("expedited_preservation", ["FR", "US"], date=DATE, jobs=1, **given)
    assert field in str(raised.value)


def test_the_html_map_says_which_facts_every_pair_was_given(tmp_path):
    cmap = cm.build_map("expedited_preservation", ["FR", "US"], date=dt.date(2026, 6, 1),
                        category="illegal_access", closed_world=True, jobs=1,
                        facts={"essential_interests": True}, flags={"transnational": False})
    page = tmp_path / "map.html"
    cm.write_html(cmap, page)
    title = re.search(r"<title>(.*?)</title>", page.read_text(encoding="utf-8")).group(1)
    assert "offence: illegal_access, not transnational; essential_interests = true" in title
