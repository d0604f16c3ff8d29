"""The condition language of spec files (docs/spec-language.md, "Conditions").

The parser itself (`coop_logic.model.conditions.parse_condition`): precedence not > and > or,
parentheses, the atoms, and errors that carry the 0-based column of the first problem;
then the same errors as a spec author sees them (a SpecError naming file, field and the
1-based column).
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

import coop_logic
from coop_logic.model.conditions import (
    FALSE,
    TRUE,
    And,
    Bound,
    BoundAny,
    CategoryIn,
    ConditionError,
    Flag,
    MeasureIn,
    Not,
    Or,
    Penalty,
    Protocol,
    Reservation,
    parse_condition,
)

A, B, C = Flag("urgent"), Flag("political_offence"), Flag("fiscal_offence")


def parse(text: str, **kw) -> object:
    return parse_condition(text, **kw)


# -- precedence and grouping --------------------------------------------------------------


def test_and_binds_tighter_than_or():
    assert parse("urgent or political_offence and fiscal_offence") == Or((A, And((B, C))))
    assert parse("urgent and political_offence or fiscal_offence") == Or((And((A, B)), C))


def test_not_binds_tighter_than_and():
    assert parse("not urgent and political_offence") == And((Not(A), B))
    assert parse("not urgent or political_offence") == Or((Not(A), B))


def test_not_binds_tighter_than_and_and_or_together():
    assert parse("not urgent and political_offence or fiscal_offence") == Or(
        (And((Not(A), B)), C))


def test_parentheses_override_precedence():
    assert parse("(urgent or political_offence) and fiscal_offence") == And((Or((A, B)), C))
    assert parse("not (urgent and political_offence)") == Not(And((A, B)))
    assert parse("urgent and (political_offence or fiscal_offence)") == And((A, Or((B, C))))


def test_nested_parentheses_and_double_negation():
    assert parse("((urgent))") == A
    assert parse("not not urgent") == Not(Not(A))


def test_chains_of_one_operator_are_flat():
    assert parse("urgent or political_offence or fiscal_offence") == Or((A, B, C))
    assert parse("urgent and political_offence and fiscal_offence") == And((A, B, C))


def test_whitespace_and_line_breaks_do_not_matter():
    assert parse("  urgent\n  and\tpolitical_offence ") == And((A, B))


# -- atoms ----------------------------------------------------------------------------------


def test_constants():
    assert parse("true") == TRUE
    assert parse("false") == FALSE
    assert parse("not false") == Not(FALSE)


@pytest.mark.parametrize("name", [*coop_logic.FACTS, *coop_logic.OFFENCE_FLAGS])
def test_every_fact_and_offence_flag_is_a_name(name):
    assert parse(name) == Flag(name)


def test_category_in_a_set():
    assert parse("category in {illegal_access, computer_fraud}") == CategoryIn(
        frozenset({"illegal_access", "computer_fraud"}))
    assert parse("category in {fraud}") == CategoryIn(frozenset({"fraud"}))


def test_category_in_combines_with_the_operators():
    assert parse("not category in {fraud} and urgent") == And(
        (Not(CategoryIn(frozenset({"fraud"}))), A))


def test_measure_in_a_set():
    assert parse("measure in {evidence_collection, extradition}") == MeasureIn(
        frozenset({"evidence_collection", "extradition"}))


@pytest.mark.parametrize(("text", "op", "threshold"), [
    ("max_penalty_years >= 4", ">=", 4.0),
    ("max_penalty_years > 1", ">", 1.0),
    ("max_penalty_years <= 10", "<=", 10.0),
    ("max_penalty_years < 0.5", "<", 0.5),
])
def test_penalty_comparisons(text, op, threshold):
    assert parse(text) == Penalty(op, threshold)


def test_penalty_comparison_inside_a_condition():
    assert parse("category in {money_laundering} or max_penalty_years >= 4") == Or(
        (CategoryIn(frozenset({"money_laundering"})), Penalty(">=", 4.0)))


def test_bound_bound_any_and_protocol():
    assert parse("bound(ecma_1959)") == Bound("ecma_1959")
    assert parse("not bound_any(mla_treaty)") == Not(BoundAny("mla_treaty"))
    assert parse("protocol(additional_protocol_1978)") == Protocol("additional_protocol_1978")


def test_a_declared_reservation():
    assert parse("reservation(art29_4)", reservations=frozenset({"art29_4"})) == Reservation(
        "art29_4")


def test_definitions_are_expanded_in_place():
    defs = {"serious": Penalty(">=", 4.0)}
    assert parse("serious and not urgent", definitions=defs) == And(
        (Penalty(">=", 4.0), Not(A)))


# -- errors, with the column of the first problem ------------------------------------------


@pytest.mark.parametrize(("text", "column", "words"), [
    ("urgent and and political_offence", 11, "unexpected 'and'"),
    ("urgent political_offence", 7, "missing 'and' or 'or'"),
    ("(urgent or political_offence", 28, "expected ')'"),
    ("urgent )", 7, "unexpected ')'"),
    ("", 0, "ends too early"),
    ("not", 3, "ends too early"),
    ("urgent or", 9, "ends too early"),
    ("urgent & political_offence", 7, "unexpected character '&'"),
    ("urgent || political_offence", 7, "unexpected character '|'"),
    ("max_penalty_years = 4", 18, "unexpected character '='"),
    ("max_penalty_years >= four", 21, "expected a number"),
    ("max_penalty_years urgent", 18, "expected a comparison"),
    ("category in {}", 13, "expected a category id"),
    ("category in fraud", 12, "expected '{'"),
    ("category {fraud}", 9, "expected 'in'"),
    ("category in {fraud, hacking}", 20, "unknown category 'hacking'"),
    ("category in {fraud urgent}", 19, "expected ',' or '}'"),
    ("measure in {evidence_collecton}", 12, "unknown measure 'evidence_collecton'"),
    ("urgent and bogus_fact", 11, "unknown name 'bogus_fact'"),
    ("bound(Budapest)", 6, "expected an id"),
    ("bound budapest", 6, "expected '(' after bound"),
])
def test_syntax_and_name_errors_carry_the_column(text, column, words):
    with pytest.raises(ConditionError) as info:
        parse(text)
    assert info.value.column == column, info.value.message
    assert words in info.value.message


def test_an_unknown_name_gets_a_suggestion():
    with pytest.raises(ConditionError) as info:
        parse("politcal_offence")
    assert "did you mean 'political_offence'" in info.value.message
    assert info.value.column == 0


def test_an_unknown_category_gets_a_suggestion():
    with pytest.raises(ConditionError) as info:
        parse("category in {ilegal_access}")
    assert "did you mean 'illegal_access'" in info.value.message


def test_a_reservation_must_be_declared():
    with pytest.raises(ConditionError) as info:
        parse("urgent or reservation(art29_4)")
    assert info.value.column == 22
    assert "art29_4" in info.value.message and "not declared" in info.value.message
    with pytest.raises(ConditionError):
        parse("reservation(art29_4)", reservations=frozenset({"art29_5"}))


def test_a_condition_is_never_evaluated_as_python():
    for text in ("__import__('os')", "urgent; import os", "1 == 1", "urgent.__class__"):
        with pytest.raises(ConditionError):
            parse(text)


@pytest.mark.parametrize("keyword", ["and", "or", "in"])
def test_a_keyword_is_not_an_atom(keyword):
    with pytest.raises(ConditionError) as info:
        parse(keyword)
    assert info.value.column == 0


# -- as a spec author sees them ------------------------------------------------------------


def write_spec(folder: Path, *, definitions: str = "", reservations: str = "",
               when: str = "true") -> Path:
    text = textwrap.dedent("""\
        spec_version: 1
        id: mlat_us_fr
        title: Test treaty
        sources:
          - {url: https://example.org/treaty, note: Official text.}
        parties: all
        """)
    if definitions:
        text += "definitions:\n" + textwrap.indent(textwrap.dedent(definitions), "  ")
    if reservations:
        text += "reservations:\n" + textwrap.indent(textwrap.dedent(reservations), "  ")
    text += textwrap.dedent(f"""\
        rules:
          - id: mlat_us_fr.art1
            cite: Art. 1
            summary: Scope.
            source: https://example.org/treaty
            text_verified: true
            effect: scope
            measures: all
            when: {when}
        """)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "mlat_us_fr.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def spec_error(folder: Path) -> coop_logic.SpecError:
    with pytest.raises(coop_logic.SpecError) as info:
        coop_logic.load(spec_dirs=[folder])
    return info.value


def test_a_spec_condition_error_names_file_line_field_and_1_based_column(tmp_path):
    path = write_spec(tmp_path, when="urgent and and political_offence")
    err = spec_error(tmp_path)
    text = str(err)
    assert err.file == str(path)
    assert err.field == "rules[0].when"
    assert err.line == 15
    assert "column 12" in text
    assert "expected" in text


def test_a_spec_using_an_undeclared_reservation_is_refused(tmp_path):
    write_spec(tmp_path, when="reservation(art9)")
    err = spec_error(tmp_path)
    assert err.field == "rules[0].when"
    assert "art9" in str(err) and "not declared" in str(err)


def test_a_spec_using_a_declared_reservation_loads(tmp_path):
    write_spec(tmp_path, when="reservation(art9)",
               reservations='- {id: art9, article: "9", summary: A reservation.}\n')
    kb = coop_logic.load(spec_dirs=[tmp_path])
    assert kb.ids == ("mlat_us_fr",)


def test_a_definition_is_usable_below_it_but_not_above(tmp_path):
    write_spec(tmp_path, definitions="serious: max_penalty_years >= 4\n"
                                     "grave: serious and not urgent\n", when="grave")
    coop_logic.load(spec_dirs=[tmp_path])
    write_spec(tmp_path, definitions="grave: serious and not urgent\n"
                                     "serious: max_penalty_years >= 4\n", when="grave")
    err = spec_error(tmp_path)
    assert err.field == "definitions.grave"
    assert "unknown name 'serious'" in str(err)


def test_a_definition_may_not_take_a_fact_name(tmp_path):
    write_spec(tmp_path, definitions="urgent: political_offence\n")
    err = spec_error(tmp_path)
    assert err.field == "definitions.urgent"


def test_a_definition_may_not_take_an_offence_flag_name(tmp_path):
    write_spec(tmp_path, definitions="transnational: urgent\n", when="transnational")
    err = spec_error(tmp_path)
    assert err.field == "definitions.transnational"


def test_a_definition_may_use_a_declared_reservation(tmp_path):
    write_spec(tmp_path, definitions="reserved: reservation(art9)\n", when="reserved",
               reservations='- {id: art9, article: "9", summary: A reservation.}\n')
    kb = coop_logic.load(spec_dirs=[tmp_path])
    assert kb.ids == ("mlat_us_fr",)
