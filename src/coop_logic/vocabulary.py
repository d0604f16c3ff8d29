"""The fixed vocabulary of the public contract: measures, offence categories, facts, statuses.

These ids are the contract's (its sections 3-6); an id listed here never changes meaning.
This module holds names and their wording only; it must not import anything else from the
package.
"""

from __future__ import annotations

import attrs

MEASURES: tuple[str, ...] = (
    "expedited_preservation",
    "traffic_data_disclosure",
    "stored_data_access",
    "subscriber_information",
    "realtime_traffic_collection",
    "content_interception",
    "encryption_key_disclosure",
    "data_retention",
    "evidence_collection",
    "extradition",
    "information_sharing",
    "contact_point_assistance",
)

CATEGORIES: tuple[str, ...] = (
    "illegal_access",
    "illegal_interception",
    "data_interference",
    "system_interference",
    "misuse_of_devices",
    "computer_forgery",
    "computer_fraud",
    "child_sexual_abuse_material",
    "copyright_infringement",
    "fraud",
    "money_laundering",
    "corruption",
    "drug_trafficking",
    "terrorism",
    "trafficking_in_persons",
    "tax_offence",
    "homicide",
    "other",
)

FACTS: tuple[str, ...] = (
    "no_dual_criminality",
    "political_offence",
    "essential_interests",
    "fiscal_offence",
    "death_penalty_risk",
    "human_rights_risk",
    "discriminatory_purpose",
    "ne_bis_in_idem",
    "person_is_national",
    "military_offence",
    "domestic_law_prohibits",
    "contrary_to_legal_system",
    "request_defective",
    "bank_secrecy_only",
    "not_available_domestically",
    "insufficient_evidence",
    "extradition_treaty",
    "treaty_required_for_extradition",
    "amnesty",
    "person_under_age",
    "statute_barred",
    "prosecution_pending",
    "trial_in_absentia",
    "committed_in_requested_state",
    "non_criminal_proceedings",
    "special_tribunal",
    "urgent",
)

# Deprecated fact ids (contract revision 2): old id -> (new id, whether the value flips).
FACT_ALIASES: dict[str, tuple[str, bool]] = {
    "available_domestically": ("not_available_domestically", True),
}


@attrs.frozen
class FactWording:
    """What a fact says, for each of its values, as a clause about the request."""

    true: str
    false: str

    def of(self, value: bool) -> str:
        return self.true if value else self.false


FACT_WORDING: dict[str, FactWording] = {
    "no_dual_criminality": FactWording(
        "the conduct is not a criminal offence under the requested State's law",
        "the conduct is also a criminal offence under the requested State's law"),
    "political_offence": FactWording(
        "the requested State regards the offence as political or connected with one",
        "the requested State does not regard the offence as political or connected with one"),
    "essential_interests": FactWording(
        "execution would prejudice the requested State's sovereignty, security, ordre public "
        "or other essential interests",
        "execution would not prejudice the requested State's sovereignty, security, ordre "
        "public or other essential interests"),
    "fiscal_offence": FactWording(
        "the requested State regards the offence as a fiscal (tax, customs, exchange) offence",
        "the requested State does not regard the offence as a fiscal offence"),
    "death_penalty_risk": FactWording(
        "the offence carries the death penalty in the requesting State and no adequate "
        "assurance is given",
        "no death penalty is at stake without adequate assurance"),
    "human_rights_risk": FactWording(
        "there are substantial grounds to believe assistance would expose a person to serious "
        "human-rights violations",
        "there are no substantial grounds to believe assistance would expose a person to "
        "serious human-rights violations"),
    "discriminatory_purpose": FactWording(
        "the request aims at prosecuting a person on account of sex, race, religion, "
        "nationality, ethnic origin or political opinions",
        "the request does not aim at prosecuting a person on account of sex, race, religion, "
        "nationality, ethnic origin or political opinions"),
    "ne_bis_in_idem": FactWording(
        "the person has been finally judged for the same conduct",
        "the person has not been finally judged for the same conduct"),
    "person_is_national": FactWording(
        "the person concerned is a national of the requested State",
        "the person concerned is not a national of the requested State"),
    "military_offence": FactWording(
        "the offence is an offence under military law only",
        "the offence is not an offence under military law only"),
    "domestic_law_prohibits": FactWording(
        "the requested State's law forbids the action for a similar domestic offence",
        "the requested State's law does not forbid the action for a similar domestic offence"),
    "contrary_to_legal_system": FactWording(
        "granting would be contrary to the requested State's legal system",
        "granting would not be contrary to the requested State's legal system"),
    "request_defective": FactWording(
        "the request does not meet the instrument's form and content requirements",
        "the request meets the instrument's form and content requirements"),
    "bank_secrecy_only": FactWording(
        "the only obstacle raised is bank secrecy",
        "bank secrecy is not the only obstacle raised"),
    "not_available_domestically": FactWording(
        "the measure would not be available to the requested State's authorities in a "
        "similar domestic case",
        "the measure would be available to the requested State's authorities in a similar "
        "domestic case"),
    "insufficient_evidence": FactWording(
        "the evidence offered does not meet the requested State's evidentiary standard for "
        "the measure",
        "the evidence offered meets the requested State's evidentiary standard for the "
        "measure"),
    "extradition_treaty": FactWording(
        "an extradition treaty other than the instrument under consideration binds the two "
        "States",
        "no extradition treaty other than the instrument under consideration binds the two "
        "States"),
    "treaty_required_for_extradition": FactWording(
        "the requested State makes extradition conditional on the existence of a treaty",
        "the requested State does not make extradition conditional on the existence of a "
        "treaty"),
    "amnesty": FactWording(
        "the offence is covered by an amnesty in the requested State, which had jurisdiction "
        "to prosecute it",
        "the offence is not covered by an amnesty in the requested State"),
    "person_under_age": FactWording(
        "the person may not be held criminally responsible for the acts, owing to age, under "
        "the requested State's law",
        "the person's age does not bar criminal responsibility under the requested State's "
        "law"),
    "statute_barred": FactWording(
        "prosecution or punishment is statute-barred under the requested State's law, where "
        "it had jurisdiction",
        "prosecution or punishment is not statute-barred under the requested State's law"),
    "prosecution_pending": FactWording(
        "the person is being prosecuted in the requested State for the same act",
        "the person is not being prosecuted in the requested State for the same act"),
    "trial_in_absentia": FactWording(
        "the request rests on a decision rendered in absentia without the guarantees the "
        "instrument requires",
        "the request does not rest on a decision rendered in absentia without the guarantees "
        "the instrument requires"),
    "committed_in_requested_state": FactWording(
        "the conduct took place wholly or partly on the requested State's territory",
        "the conduct did not take place on the requested State's territory"),
    "non_criminal_proceedings": FactWording(
        "the request arises from proceedings brought by administrative authorities, not "
        "criminal proceedings",
        "the request arises from criminal proceedings"),
    "special_tribunal": FactWording(
        "the request comes from a special or ad hoc tribunal",
        "the request does not come from a special or ad hoc tribunal"),
    "urgent": FactWording("the request is urgent", "the request is not urgent"),
}

# What `true` means, as the contract's section 6 words it.
FACT_MEANINGS: dict[str, str] = {f: w.true for f, w in FACT_WORDING.items()}

OFFENCE_FLAG_WORDING: dict[str, FactWording] = {
    "transnational": FactWording("the offence is transnational (UNTOC art. 3(2))",
                                 "the offence is not transnational (UNTOC art. 3(2))"),
    "organized_criminal_group": FactWording(
        "an organized criminal group is involved (UNTOC art. 3(1))",
        "no organized criminal group is involved (UNTOC art. 3(1))"),
    "committed_by_computer": FactWording(
        "the offence was committed by means of a computer system",
        "the offence was not committed by means of a computer system"),
    "electronic_evidence": FactWording(
        "the assistance seeks evidence in electronic form",
        "the assistance does not seek evidence in electronic form"),
}

_FIELD_WORDING = {
    "offence.category": "the offence category",
    "offence.max_penalty_years": "the maximum penalty in the requesting State, in years",
    "measure": "the assistance requested",
}


def value_clause(name: str, value: object) -> str | None:
    """A trace value (a fact, `offence.<field>` or `measure`) in words, right for that value:
    `political_offence = false` reads "the requested State does not regard the offence as
    political ...", never the meaning of `true`. None when there is nothing to add."""
    wording = FACT_WORDING.get(name) or OFFENCE_FLAG_WORDING.get(name.removeprefix("offence."))
    if wording is not None and isinstance(value, bool):
        return wording.of(value)
    return _FIELD_WORDING.get(name)


def unknown_question(name: str) -> str | None:
    """What an unknown of `depends_on` asks, as a 'whether ...' clause (or a noun phrase
    for the offence's category and penalty): a fact, an offence field, or party data left
    open (`party:<instrument>:<STATE>`, `reservation:<instrument>:<id>:<STATE>`)."""
    wording = FACT_WORDING.get(name) or OFFENCE_FLAG_WORDING.get(name.removeprefix("offence."))
    if wording is not None:
        return "whether " + wording.true
    kind, _, rest = name.partition(":")
    if kind == "party" and rest.count(":") == 1:
        instrument, state = rest.split(":")
        return f"whether {state} is bound by {instrument} on the date (party data incomplete)"
    if kind == "reservation" and rest.count(":") == 2:
        instrument, reservation, state = rest.split(":")
        return (f"whether {state} made the reservation {reservation} to {instrument} "
                "(party data incomplete)")
    return _FIELD_WORDING.get(name)


OFFENCE_FLAGS: tuple[str, ...] = (
    "transnational",
    "organized_criminal_group",
    "committed_by_computer",
    "electronic_evidence",
)

OFFENCE_FIELDS: tuple[str, ...] = ("category", "max_penalty_years", *OFFENCE_FLAGS)

STATUSES: tuple[str, ...] = ("mandatory", "refusable", "discretionary", "not_applicable")
UNDETERMINED = "undetermined"

# Strength order for the overall verdict (contract section 2): strongest first.
OVERALL_ORDER: tuple[str, ...] = ("mandatory", "refusable", "discretionary")

# Instrument ids named by the contract (section 8); user specs may add `mlat_<a>_<b>`.
CONTRACT_INSTRUMENTS: tuple[str, ...] = (
    "budapest",
    "budapest_ap2",
    "untoc",
    "un_cybercrime",
    "ecma_1959",
    "iacmamc",
    "ecowas",
    "sco",
    "au_malabo",
    "las_2010",
    "eu_eio",
    "eu_e_evidence",
    "eu_eaw",
    "letters_rogatory",
    "comity",
    "informal",
)
