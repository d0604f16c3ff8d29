"""The pytest plugin `coop_logic.testing`: the `coop_kb` fixture, its options, and the
assertion helpers, run in pytest sessions of their own (pytester) as a user would."""

from __future__ import annotations

import datetime as dt
import os
import textwrap
from importlib.metadata import entry_points
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

import coop_logic
from coop_logic.strategies import requests
from coop_logic.testing import (
    assert_never,
    assert_overall,
    assert_possible,
    assert_verdict,
    find_request,
)
from tests.helpers import make_request

pytest_plugins = ["pytester"]

REPO = Path(__file__).resolve().parents[2]
MLAT = REPO / "examples" / "mlat_au_pt.yaml"
PRESERVE = make_request(offence={"category": "illegal_access"})


# -- the helpers, called directly ------------------------------------------------------------


def test_assert_verdict_passes_and_returns_the_verdict(kb):
    verdict = assert_verdict(PRESERVE, "budapest", "mandatory", grounds=[], kb=kb,
                             closed_world=True, cites=["budapest.art29.1"])
    assert verdict.status == "mandatory"


def test_assert_verdict_accepts_several_statuses_and_a_request_file(kb):
    path = REPO / "examples" / "requests" / "fr-us-preservation.yaml"
    assert_verdict(str(path), "budapest", ["mandatory", "undetermined"], kb=kb)
    assert_verdict(coop_logic.Request.from_file(path), "budapest", "mandatory", kb=kb,
                   depends_on=[])


def test_assert_verdict_failure_shows_the_verdict_and_the_trace(kb):
    with pytest.raises(AssertionError) as info:
        assert_verdict(PRESERVE, "budapest", "refusable", grounds=["political_offence"], kb=kb,
                       closed_world=True)
    message = str(info.value)
    assert "status is mandatory, expected refusable" in message
    assert "grounds are [], expected [political_offence]" in message
    assert "proof trace:" in message
    assert "budapest.art29.1" in message  # the trace cites the provision
    assert "Budapest Convention, Art. 29(1)" in message


def test_assert_verdict_explains_an_undetermined_verdict(kb):
    with pytest.raises(AssertionError, match="pass closed_world=True"):
        assert_verdict(PRESERVE, "budapest", "mandatory", kb=kb)


def test_assert_verdict_checks_depends_on_and_cites(kb):
    with pytest.raises(AssertionError, match="depends_on is"):
        assert_verdict(PRESERVE, "budapest", "undetermined", kb=kb, depends_on=["urgent"])
    with pytest.raises(AssertionError, match=r"does not cite \[budapest\.art99\]"):
        assert_verdict(PRESERVE, "budapest", "mandatory", kb=kb, closed_world=True,
                       cites=["budapest.art99"])


def test_assert_verdict_refuses_unknown_ids(kb):
    with pytest.raises(ValueError, match="did you mean 'budapest'"):
        assert_verdict(PRESERVE, "budapset", "mandatory", kb=kb)
    with pytest.raises(ValueError, match="did you mean 'mandatory'"):
        assert_verdict(PRESERVE, "budapest", "mandatroy", kb=kb)
    with pytest.raises(coop_logic.RequestError):
        assert_verdict({**PRESERVE, "measure": "teleport"}, "budapest", "mandatory", kb=kb)


def test_assert_never_proves_a_guarantee_of_the_text(kb):
    # Budapest art. 29(3)-(4): no dual-criminality refusal of preservation for arts. 2-11.
    assert_never("budapest",
                 "status(refusable) and ground(no_dual_criminality) and convention_offence",
                 kb=kb, measure="expedited_preservation")


def test_assert_never_failure_shows_a_counterexample_with_its_trace(kb):
    with pytest.raises(AssertionError) as info:
        assert_never("budapest", "status(refusable) and ground(no_dual_criminality)", kb=kb,
                     measure="expedited_preservation")
    message = str(info.value)
    assert "counterexample request:" in message
    assert "measure: expedited_preservation" in message
    assert "no_dual_criminality: true" in message
    assert "its verdict: refusable (grounds: no_dual_criminality)" in message
    assert "Art. 29(4)" in message


def test_assert_possible_returns_a_valid_witness(kb):
    witness = assert_possible("budapest", "status(refusable) and ground(political_offence)",
                              kb=kb, measure=["expedited_preservation"])
    assert witness["facts"]["political_offence"] is True
    if "??" not in (witness["requesting_state"], witness["requested_state"]):
        assert kb.evaluate(witness)["budapest"].status == "refusable"
    with pytest.raises(AssertionError, match="no request satisfies"):
        assert_possible("budapest", "status(mandatory) and status(not_applicable)", kb=kb)


def test_find_request_measure_restriction(kb):
    assert find_request("budapest", "status(mandatory)", kb=kb, measure="data_retention") is None
    found = find_request("budapest", "status(discretionary) or status(mandatory)", kb=kb,
                         measure=["extradition"])
    assert found is not None and found["measure"] == "extradition"


@pytest.mark.parametrize(("condition", "message"), [
    ("status(mandatry)", "did you mean 'mandatory'"),
    ("ground(no_such_ground)", "is not a ground of budapest"),
    ("status(nowhere, mandatory)", "instrument 'nowhere' is not loaded"),
    ("max_penalty_years >= 7.25", "never compare the penalty with this threshold"),
    ("protocol(nope)", "protocol 'nope' is not in the party data"),
    ("political_offence and", "ends too early"),
    ("  ", "non-empty"),
])
def test_find_request_rejects_malformed_conditions(kb, condition, message):
    with pytest.raises(ValueError, match=message):
        find_request("budapest", condition, kb=kb)


def test_find_request_rejects_unknown_measures_and_instruments(kb):
    with pytest.raises(ValueError, match="unknown measure"):
        find_request("budapest", "true", kb=kb, measure="teleport")
    with pytest.raises(ValueError, match="is not loaded"):
        find_request("nowhere", "true", kb=kb)


# -- the plugin in a pytest session of its own -----------------------------------------------

USER_TESTS = """
from coop_logic.testing import assert_never, assert_verdict

REQUEST = {"requesting_state": "FR", "requested_state": "US",
           "measure": "expedited_preservation", "date": "2026-06-01",
           "offence": {"category": "illegal_access"}}


def test_fixture(coop_kb):
    assert "budapest" in coop_kb.ids


def test_session_scoped(coop_kb):
    from coop_logic.testing import current_kb
    assert current_kb() is coop_kb


def test_helper_without_kb():
    assert_verdict(REQUEST, "budapest", "mandatory", closed_world=True)


def test_never():
    assert_never("budapest", "status(refusable) and ground(no_dual_criminality) "
                 "and convention_offence", measure="expedited_preservation")


def test_wrong_expectation():
    assert_verdict(REQUEST, "budapest", "refusable", closed_world=True)
"""


def _plugin_args() -> list[str]:
    """`-p coop_logic.testing`, unless an installed entry point already loads the module
    under another name (pluggy refuses one module registered under two names)."""
    if not os.environ.get("PYTEST_DISABLE_PLUGIN_AUTOLOAD"):
        for ep in entry_points(group="pytest11"):
            if ep.value == "coop_logic.testing" and ep.name != "coop_logic.testing":
                return []
    return ["-p", "coop_logic.testing"]


def _run(pytester, *args):
    return pytester.runpytest(*_plugin_args(), "-p", "no:cacheprovider",
                              "-W", "ignore::pytest.PytestAssertRewriteWarning", *args)


def test_plugin_fixture_and_failure_report(pytester):
    pytester.makepyfile(test_user=USER_TESTS)
    result = _run(pytester)
    result.assert_outcomes(passed=4, failed=1)
    result.stdout.fnmatch_lines([
        "*status is mandatory, expected refusable*",
        "*proof trace:*",
        "*Budapest Convention*MANDATORY*",
    ])


def test_plugin_command_line_options(pytester):
    party = pytester.path / "budapest_fix.yaml"
    party.write_text(textwrap.dedent("""
        instrument: budapest
        as_of: 2026-01-01
        completeness: partial
        sources: [{url: https://example.org, note: test}]
        parties:
          - {state: US, name: United States, in_force: 2007-01-01, withdrawn: 2020-01-01}
    """), "utf-8")
    pytester.makepyfile(test_user="""
        from coop_logic.testing import assert_verdict, current_kb

        def test_loaded_once_with_the_options(coop_kb):
            assert "mlat_au_pt" in coop_kb.ids
            assert current_kb() is coop_kb

        def test_helpers_use_the_session_kb():
            assert_verdict({"requesting_state": "PT", "requested_state": "AU",
                            "measure": "evidence_collection", "date": "2026-06-01"},
                           "mlat_au_pt", ["mandatory", "refusable", "undetermined"])
            assert_verdict({"requesting_state": "FR", "requested_state": "US",
                            "measure": "expedited_preservation", "date": "2026-06-01"},
                           "budapest", "not_applicable")
    """)
    result = _run(pytester, f"--coop-spec={MLAT}", f"--coop-parties={party}")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(["coop-logic: extra specs: *mlat_au_pt.yaml; party data: *"])


def test_plugin_ini_options(pytester):
    (pytester.path / "treaties").mkdir()
    (pytester.path / "treaties" / "mlat_au_pt.yaml").write_text(MLAT.read_text("utf-8"), "utf-8")
    pytester.makeini("""
        [pytest]
        coop_spec = treaties
    """)
    pytester.makepyfile(test_user="""
        def test_mlat_loaded(coop_kb):
            assert "mlat_au_pt" in coop_kb.ids
    """)
    _run(pytester).assert_outcomes(passed=1)


def test_plugin_reports_a_bad_path_and_a_bad_spec(pytester):
    pytester.makepyfile(test_user="def test_x(coop_kb):\n    pass\n")
    result = _run(pytester, "--coop-spec=missing.yaml")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*coop-logic: no such spec or party-data path*missing.yaml*"])
    bad = pytester.path / "bad.yaml"
    bad.write_text("spec_version: 1\nid: mlat_x_y\ntitel: oops\n", "utf-8")
    result = _run(pytester, f"--coop-spec={bad}")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*coop-logic could not load the specs*titel*"])


# -- assert_overall -------------------------------------------------------------------------

OPEN_GROUNDS = make_request(offence={"category": "illegal_access"},
                            facts={f: False for f in coop_logic.FACTS
                                   if f not in {"political_offence", "essential_interests"}})


def test_assert_overall_passes_and_returns_the_overall_verdict(kb):
    overall = assert_overall(PRESERVE, "mandatory", basis=["budapest"], kb=kb,
                             closed_world=True)
    assert overall.status == "mandatory" and overall.basis == ("budapest",)
    assert_overall(OPEN_GROUNDS, ["undetermined"], kb=kb, instruments=["budapest"])


def test_assert_overall_failure_shows_the_overall_verdict_and_the_trace(kb):
    with pytest.raises(AssertionError) as info:
        assert_overall(OPEN_GROUNDS, "mandatory", basis=["untoc"], kb=kb,
                       instruments=["budapest"])
    message = str(info.value)
    assert "overall status is undetermined, expected mandatory" in message
    assert "basis is [budapest], expected [untoc]" in message
    assert ("actual overall: status=undetermined basis=[budapest] possible=[mandatory, "
            "refusable] depends_on=[political_offence, essential_interests]") in message
    assert "budapest=undetermined" in message and "proof trace:" in message
    assert "budapest.art29.1" in message


def test_assert_overall_refuses_what_is_no_overall_status(kb):
    with pytest.raises(ValueError, match="unknown overall status 'not_applicable'"):
        assert_overall(PRESERVE, "not_applicable", kb=kb)
    with pytest.raises(ValueError, match="instrument 'budapset' is not loaded"):
        assert_overall(PRESERVE, "mandatory", basis=["budapset"], kb=kb)


# -- counterexamples on the test's date -------------------------------------------------------


def test_a_counterexample_carries_the_date_the_test_gave(kb):
    with pytest.raises(AssertionError) as info:
        assert_never("budapest", "status(refusable) and ground(no_dual_criminality)", kb=kb,
                     measure="expedited_preservation", date="2015-06-01")
    message = str(info.value)
    assert "date: '2015-06-01'" in message
    assert "(date 2015-06-01)" in message  # the verdict shown is that date's
    witness = find_request("budapest", "status(mandatory)", kb=kb, date=dt.date(2020, 6, 1),
                           measure="expedited_preservation")
    assert witness is not None and witness["date"] == "2020-06-01"
    # the States named are Parties on that date: the witness holds as printed
    assert kb.evaluate(witness)["budapest"].status == "mandatory"
    assert assert_possible("budapest", "status(mandatory)", kb=kb,
                           date="2020-06-01")["date"] == "2020-06-01"


def test_a_bad_date_is_refused_before_any_search(kb):
    with pytest.raises(ValueError, match="is not a date"):
        find_request("budapest", "status(mandatory)", kb=kb, date="2015-13-01")
    with pytest.raises(TypeError, match=r"expected a datetime\.date"):
        assert_never("budapest", "status(mandatory)", kb=kb, date=2015)


# -- strategies with pinned facts, categories and dates ----------------------------------------


@settings(max_examples=30, deadline=None)
@given(request=requests(facts={"political_offence": False, "essential_interests": None},
                        categories=["fraud", "illegal_access"],
                        dates=st.dates(dt.date(2024, 1, 1), dt.date(2024, 12, 31))))
def test_requests_pin_facts_categories_and_dates(request):
    assert request["facts"]["political_offence"] is False
    assert "essential_interests" not in request["facts"]
    assert request["offence"]["category"] in {"fraud", "illegal_access"}
    assert "2024-01-01" <= request["date"] <= "2024-12-31"
    coop_logic.Request.from_dict(request)


@settings(max_examples=10, deadline=None)
@given(request=requests(facts={"urgent": True}, closed_world=True))
def test_requests_pin_facts_in_the_closed_world(request):
    assert request["facts"]["urgent"] is True
    assert len(request["facts"]) == len(coop_logic.FACTS)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"facts": {"politcal_offence": False}}, "unknown fact 'politcal_offence'"),
    ({"facts": {"urgent": "yes"}}, "expected True, False or None"),
    ({"facts": ["urgent"]}, "expected a mapping"),
    ({"facts": {"urgent": None}, "closed_world": True}, "closed_world=True never leaves"),
    ({"categories": []}, "categories is empty"),
    ({"categories": ["theft"]}, "unknown offence category 'theft'"),
])
def test_requests_refuse_bad_pins(kwargs, message):
    with pytest.raises(InvalidArgument, match=message):
        requests(**kwargs)
