"""The Python API and the testing helpers: careless arguments get a documented error, or
the meaning the caller plainly had; never a vacuous pass, a string split into letters, a
truthy "no" or a bare TypeError from deep inside."""

from __future__ import annotations

import datetime as dt
import types

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis.errors import InvalidArgument

import coop_logic
from coop_logic import strategies
from coop_logic.errors import RequestError
from coop_logic.model.request import Offence, Request
from coop_logic.testing import assert_never, assert_possible, assert_verdict

from .cli_helpers import GOOD
from .specs import rule, spec, write

POLITICAL = {"requesting_state": "FR", "requested_state": "US",
             "measure": "expedited_preservation", "date": "2026-06-01",
             "offence": {"category": "illegal_access"}, "facts": {"political_offence": True}}


# -- the testing helpers ---------------------------------------------------------------------


def test_assert_never_with_no_measure_at_all_is_refused_not_vacuous(kb):
    with pytest.raises(ValueError, match="measure is empty"):
        assert_never("budapest", "status(mandatory)", kb=kb, measure=[])
    with pytest.raises(ValueError, match="measure is empty"):
        assert_possible("budapest", "status(mandatory)", kb=kb, measure=())


def test_one_ground_given_as_text_is_one_ground_not_its_letters(kb):
    verdict = assert_verdict(POLITICAL, "budapest", "refusable", grounds="political_offence",
                             kb=kb, closed_world=True, cites="budapest.art29.5")
    assert verdict.grounds == ("political_offence",)


def test_wrong_types_in_the_testing_helpers_name_the_argument(kb):
    with pytest.raises(TypeError, match="grounds"):
        assert_verdict(POLITICAL, "budapest", "refusable", grounds=5, kb=kb)
    with pytest.raises(TypeError, match="instrument"):
        assert_never(["budapest"], "status(mandatory)", kb=kb)


# -- the strategies --------------------------------------------------------------------------


def test_one_id_given_as_text_to_the_strategies_is_one_id():
    @settings(max_examples=15, deadline=None)
    @given(req=strategies.requests(measures="extradition", instruments="budapest",
                                   states=["FR", "DE"]))
    def check(req):
        assert req["measure"] == "extradition"
        assert req["instruments"] == ["budapest"]
        assert {req["requesting_state"], req["requested_state"]} == {"FR", "DE"}

    check()


def test_one_fact_given_as_text_to_facts_is_one_fact():
    @settings(max_examples=10, deadline=None)
    @given(facts=strategies.facts(only="urgent", unknown=False))
    def check(facts):
        assert set(facts) == {"urgent"}

    check()


@pytest.mark.parametrize("build", [
    lambda: strategies.requests(measures=5),
    lambda: strategies.requests(states=[1, 2]),
    lambda: strategies.requests(instruments=[]),
    lambda: strategies.requests(closed_world="no"),
    lambda: strategies.requests(dates=["not a date"]),
    lambda: strategies.requests(kb="bundled"),
    lambda: strategies.facts(unknown_rate="half"),
    lambda: strategies.facts(only=5),
    lambda: strategies.offences(categories=[None]),
    lambda: strategies.state_pairs("budapest", bound="yes"),
    lambda: strategies.state_pairs(5),
    lambda: strategies.dates_around("budapest", spread="3"),
    lambda: strategies.dates_around(None),
])
def test_wrong_arguments_to_the_strategies_are_invalid_arguments(build):
    with pytest.raises(InvalidArgument):
        build()


# -- the knowledge base ----------------------------------------------------------------------


def test_closed_world_must_be_a_boolean(kb):
    with pytest.raises(RequestError, match="closed_world"):
        kb.evaluate(POLITICAL, closed_world="no")


def test_an_empty_instrument_list_is_refused_and_one_id_is_taken_whole(kb):
    with pytest.raises(RequestError, match="instruments"):
        kb.evaluate(POLITICAL, instruments=[])
    assert set(kb.evaluate(POLITICAL, instruments="budapest").verdicts) == {"budapest",
                                                                            "comity"}


def test_any_mapping_and_numpy_numbers_and_booleans_are_read(kb):
    request = types.MappingProxyType({
        **POLITICAL, "offence": types.MappingProxyType({"max_penalty_years": np.int64(5), "category": "fraud",
                                                         "transnational": np.bool_(True)}),
        "facts": {"political_offence": np.bool_(True), "urgent": np.False_}})
    result = kb.evaluate(request, closed_world=True)
    assert result.request.offence.max_penalty_years == 5.0
    assert result.request.facts["political_offence"] is True
    assert result.request.offence.transnational is True
    assert Request.from_dict({**POLITICAL, "offence": {"max_penalty_years": np.float32(2.5)}}
                             ).offence.max_penalty_years == 2.5


@pytest.mark.parametrize(("changes", "field"), [
    ({"requested_state": "FR"}, "requested_state"),
    ({"requesting_state": "XX"}, "requesting_state"),
    ({"measure": "bogus"}, "measure"),
    ({"date": "2026-06-01"}, "date"),
    ({"facts": {"urgent": "no"}}, "facts.urgent"),
    ({"facts": {"bogus": True}}, "facts.bogus"),
    ({"offence": Offence(max_penalty_years=-1)}, "offence.max_penalty_years"),
    ({"offence": Offence(category="bogus")}, "offence.category"),
    ({"instruments": ()}, "instruments"),
])
def test_a_request_built_directly_is_checked_like_one_read(changes, field):
    values = {"requesting_state": "FR", "requested_state": "US",
              "measure": "evidence_collection", "date": dt.date(2026, 6, 1), **changes}
    with pytest.raises(RequestError) as info:
        Request(**values)
    assert info.value.field == field


def test_one_spec_path_given_as_text_is_one_path(tmp_path):
    path = write(tmp_path, spec([rule(2, "urgent")]))
    assert "mlat_us_fr" in coop_logic.load(extra_specs=str(path)).ids
    request = tmp_path / "r.yaml"
    request.write_text(GOOD)
    assert Request.from_file(request).measure == "evidence_collection"
