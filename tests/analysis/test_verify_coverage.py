"""Article coverage: every provision a spec lists under `provisions:` (from its source digest)
is cited by a rule or a not_encoded entry; the citation parser behind the check."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import coop_logic
from coop_logic.analysis.verify import Verifier
from coop_logic.spec.citations import citation_parts, overlaps, parse_provision, references, uncovered
from tests.helpers import US_FR_TREATY_HEADER

EXE = Path(sys.executable).parent / "coop-logic"

# Instruments whose digest names no article (practice, or a text not found), or that have no
# digest at all (the EAW Framework Decision, encoded from the text itself): no list.
WITHOUT_PROVISIONS = {"comity", "informal", "letters_rogatory", "ecowas", "eu_eaw"}


# -- the parser ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("cite", "refs"), [
    ("Budapest Convention, Art. 29(5)", [("29", "5")]),
    ("Budapest Convention, Arts. 23 and 25(1)", [("23",), ("25", "1")]),
    ("Budapest Convention, Art. 29(1) and (3), first sentence", [("29", "1"), ("29", "3")]),
    ("Budapest Convention, Art. 24(2)-(4)", [("24", "2"), ("24", "3"), ("24", "4")]),
    ("Budapest Convention, Art. 33(1), second sentence, and 33(2)", [("33", "1"), ("33", "2")]),
    ("Budapest Convention, Arts. 16-17 and 29 (data retention)", [("16",), ("17",), ("29",)]),
    ("Budapest Convention, Arts. 24(7), 27(2), 35(2)-(3) and 40",
     [("24", "7"), ("27", "2"), ("35", "2"), ("35", "3"), ("40",)]),
    ("UNTOC, Art. 18(23)-(24) and (26)-(28)",
     [("18", "23"), ("18", "24"), ("18", "26"), ("18", "27"), ("18", "28")]),
    ("UNTOC, Art. 18(1) and (3), with Arts. 2(a)-(b) and 3",
     [("18", "1"), ("18", "3"), ("2", "a"), ("2", "b"), ("3",)]),
    ("Second Additional Protocol, Art. 7(2)(b), (5)(a)-(b), (9)",
     [("7", "2", "b"), ("7", "5", "a"), ("7", "5", "b"), ("7", "9")]),
    ("Inter-American Convention (1992), Art. 5(1)(a),(c)", [("5", "1", "a"), ("5", "1", "c")]),
    ("EIO Directive, Art. 11(1)(g) and Annex D", [("11", "1", "g"), ("Annex D",)]),
    ("EIO Directive, Art. 11(1)(a)-(c)", [("11", "1", "a"), ("11", "1", "b"), ("11", "1", "c")]),
    ("e-Evidence Regulation, Art. 5(3)-(4) (execution of custodial sentences)",
     [("5", "3"), ("5", "4")]),
    ("Comity of nations (no instrument)", []),
])
def test_citations_are_read_into_article_references(cite, refs):
    assert [r for _, rs in citation_parts(cite) for r in rs] == refs


def test_years_and_document_numbers_before_the_article_are_not_references():
    parts = citation_parts("Directive 2014/41/EU (EIO), Art. 34(1)(a); European Convention on "
                           "Mutual Assistance (1959), Art. 26(4)")
    assert parts == [("directive 2014/41/eu (eio)", [("34", "1", "a")]),
                     ("european convention on mutual assistance (1959)", [("26", "4")])]


def test_references_overlap_when_one_is_part_of_the_other():
    assert overlaps(("29",), ("29", "5"))
    assert overlaps(("29", "5"), ("29", "5", "a"))
    assert overlaps(("29", "5"), ("29", "5"))
    assert not overlaps(("29", "5"), ("29", "4"))
    assert not overlaps(("2",), ("29",))


def test_provisions_may_name_the_part_of_the_instrument_they_belong_to():
    assert parse_provision("29(1)-(3)") == (None, [("29", "1"), ("29", "2"), ("29", "3")])
    assert parse_provision("ETS 99: 1") == ("ets 99", [("1",)])
    assert references("Annex D") == [("Annex D",)]


def test_uncovered_names_each_provision_no_citation_reaches():
    cites = ["Budapest Convention, Arts. 23 and 25(1)", "Budapest Convention, Art. 29(1)-(3)"]
    assert uncovered(["23", "25", "25(1)", "29(2)", "29(1)-(3)"], cites) == []
    assert uncovered(["25(4)", "29(1)-(4)", "30"], cites) == ["25(4)", "29(1)-(4)", "30"]


def test_a_labelled_provision_is_covered_only_by_citations_of_that_part():
    cites = ["European Convention on Mutual Assistance (1959), Art. 2(a)",
             "Additional Protocol (ETS 99), Art. 1"]
    assert uncovered(["2", "ETS 99: 1"], cites) == []
    # Art. 1 of the Protocol does not cover Art. 1 of the Convention, nor the reverse.
    assert uncovered(["1", "ETS 99: 2"], cites) == ["1", "ETS 99: 2"]


# -- the spec key ------------------------------------------------------------------------------

HEADER = US_FR_TREATY_HEADER + textwrap.dedent("""\
    """)
RULES = textwrap.dedent("""\
    rules:
      - id: mlat_us_fr.art1
        cite: US-FR MLAT, Art. 1(1)
        summary: Covers evidence.
        source: https://example.org/treaty
        text_verified: true
        effect: scope
        measures: [evidence_collection]
      - id: mlat_us_fr.art2
        cite: US-FR MLAT, Arts. 2 and 3(1)
        summary: The Parties must assist.
        source: https://example.org/treaty
        text_verified: true
        effect: duty
        measures: all
    not_encoded:
      - cite: US-FR MLAT, Art. 5
        reason: Costs.
    """)


def write(tmp_path: Path, provisions: str) -> Path:
    folder = tmp_path / "specs"
    folder.mkdir(exist_ok=True)
    (folder / "mlat_us_fr.yaml").write_text(HEADER + provisions + RULES, encoding="utf-8")
    return folder


def coverage(folder: Path) -> list:
    kb = coop_logic.load(spec_dirs=[folder])
    return [f for f in Verifier(kb.compiled).run() if f.check == "coverage"]


def test_a_spec_citing_every_listed_provision_passes(tmp_path):
    folder = write(tmp_path, 'provisions:\n  digest: mlat.md\n  articles: [1, "2", "3(1)", 5]\n')
    inst = coop_logic.load(spec_dirs=[folder]).instruments["mlat_us_fr"]
    assert inst.provisions == ("1", "2", "3(1)", "5")
    assert inst.provisions_digest == "mlat.md"
    [finding] = coverage(folder)
    assert finding.ok and finding.subject == "mlat.md"


def test_a_spec_missing_a_provision_fails_naming_it(tmp_path):
    folder = write(tmp_path, 'provisions:\n  digest: mlat.md\n  articles: ["1", "3(2)", "4", "5"]\n')
    [finding] = coverage(folder)
    assert not finding.ok
    assert finding.message.endswith(": 3(2), 4")
    env = {k: v for k, v in os.environ.items() if k != "COOP_LOGIC_DEBUG"}
    proc = subprocess.run([str(EXE), "verify", str(folder), "--json"], capture_output=True,
                          text=True, env=env, timeout=300, check=False)
    assert proc.returncode == 3, proc.stderr
    failed = [f for f in json.loads(proc.stdout)["findings"] if not f["ok"]]
    assert [(f["check"], f["instrument"]) for f in failed] == [("coverage", "mlat_us_fr")]
    assert "3(2), 4" in failed[0]["message"]


def test_a_spec_without_a_provision_list_has_no_coverage_finding(tmp_path):
    assert coverage(write(tmp_path, "")) == []


@pytest.mark.parametrize(("provisions", "message"), [
    ('provisions:\n  digest: mlat.md\n  articles: ["first sentence"]\n',
     "'first sentence' is not an article reference"),
    ('provisions:\n  digest: mlat.md\n  articles: []\n', "is empty"),
    ('provisions:\n  digest: mlat.md\n  articles: ["1", "1"]\n', "duplicate provision '1'"),
    ('provisions:\n  articles: ["1"]\n', "missing required field 'digest'"),
    ('provisions: ["1"]\n', "is a list"),
])
def test_a_malformed_provision_list_is_a_spec_error_naming_the_field(tmp_path, provisions,
                                                                      message):
    folder = write(tmp_path, provisions)
    with pytest.raises(coop_logic.SpecError) as exc:
        coop_logic.load(spec_dirs=[folder])
    assert message in str(exc.value)
    assert "provisions" in str(exc.value)


# -- the bundled specs -------------------------------------------------------------------------


def test_every_bundled_instrument_with_a_digest_lists_its_provisions(kb):
    for inst in kb.instruments.values():
        if inst.id in WITHOUT_PROVISIONS:
            assert inst.provisions == (), inst.id
        else:
            assert inst.provisions, inst.id
            assert inst.provisions_digest.startswith("../shared/sources/"), inst.id


def test_every_bundled_provision_is_cited(kb):
    verifier = Verifier(kb.compiled)
    findings = [f for inst in kb.instruments.values() for f in verifier.coverage(inst)]
    assert len(findings) == len(kb.instruments) - len(WITHOUT_PROVISIONS & set(kb.instruments))
    assert [f.message for f in findings if not f.ok] == []
