"""Results in a notebook: every result type displays as HTML, and asking for what is not
there names what is."""

from __future__ import annotations

import datetime as dt

import pytest

from coop_logic.practice import cooperation_map as cm
from tests.helpers import make_request


def test_a_verdict_displays_as_html_and_an_unknown_instrument_is_named(kb):
    result = kb.evaluate(make_request(offence={"category": "illegal_access"}), closed_world=True)
    html = result["budapest"]._repr_html_()
    assert "Budapest Convention" in html and "mandatory" in html
    with pytest.raises(KeyError) as err:
        result["budapset"]
    assert "did you mean 'budapest'" in str(err.value)
    assert "untoc" in str(err.value)


def test_a_map_displays_as_html_and_an_unknown_pair_is_named():
    cmap = cm.build_map("expedited_preservation", ["FR", "US", "JP"],
                        date=dt.date(2026, 6, 1), closed_world=True)
    assert "Cooperation map" in cmap._repr_html_()
    assert cmap["FR", "US"].status == cmap.cell("FR", "US").status
    with pytest.raises(KeyError) as err:
        cmap["FR", "DE"]
    assert "FR->DE" in str(err.value) and "FR->US" in str(err.value)
