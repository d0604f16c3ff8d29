"""The fixed vocabulary of the public contract: measures, offence categories, facts, statuses.

These ids are the contract's (its sections 3-6); an id listed here never changes meaning.
This module holds names only; it must not import anything else from the package.
"""

from __future__ import annotations

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
    "available_domestically",
    "special_tribunal",
    "urgent",
)

FACT_MEANINGS: dict[str, str] = {
    "no_dual_criminality": "the conduct is not a criminal offence under the requested State's law",
    "political_offence": "the requested State regards the offence as political or connected with one",
    "essential_interests": "execution would prejudice the requested State's sovereignty, security, "
    "ordre public or other essential interests",
    "fiscal_offence": "the requested State regards the offence as a fiscal offence",
    "death_penalty_risk": "the offence carries the death penalty in the requesting State and no "
    "adequate assurance is given",
    "human_rights_risk": "substantial grounds to believe assistance would expose a person to serious "
    "human-rights violations",
    "discriminatory_purpose": "the request aims at prosecuting a person on account of sex, race, "
    "religion, nationality, ethnic origin or political opinions",
    "ne_bis_in_idem": "the person has been finally judged for the same conduct",
    "person_is_national": "the person concerned is a national of the requested State",
    "military_offence": "the offence is an offence under military law only",
    "domestic_law_prohibits": "the requested State's law forbids the action for a similar domestic "
    "offence",
    "contrary_to_legal_system": "granting would be contrary to the requested State's legal system",
    "request_defective": "the request does not meet the instrument's form and content requirements",
    "bank_secrecy_only": "the only obstacle raised is bank secrecy",
    "available_domestically": "the measure would be available in a similar domestic case",
    "special_tribunal": "the request comes from a special or ad hoc tribunal",
    "urgent": "the request is urgent",
}

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
    "letters_rogatory",
    "comity",
    "informal",
)
