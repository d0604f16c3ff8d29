"""A first pin of the core path: Budapest art. 29 preservation between two Parties."""

from tests.helpers import make_request


def test_preservation_of_illegal_access_data_is_mandatory_between_budapest_parties(kb):
    result = kb.evaluate(make_request(offence={"category": "illegal_access"}), closed_world=True)
    verdict = result["budapest"]
    assert verdict.status == "mandatory"
    assert "budapest.art29.1" in {step.id for step in verdict.trace}
