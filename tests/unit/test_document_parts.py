"""Pure parts of the documents: acronyms, the cache's bounds, months, ordering, the RID diff, Markdown,
and the words after `rid` / `report`. No database, no files: each test runs in milliseconds."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from bot.app import command_table
from commands.documents.cache import DocumentCache
from commands.documents.errors import DocumentError
from commands.documents.glossary import annotate, used_terms
from commands.documents.markdown import render_markdown
from commands.documents.model import Bullets, Document, Paragraph, Section, Table
from commands.documents.phases import parse_month
from commands.documents.rid import CostRow, RidModel, ScopeItem, TimetableRow, ref_order
from commands.documents.rid_diff import diff_rid
from commands.documents.rid_layout import rid_document, rid_title
from commands.language import Command, ParseError, ReportRequest, RidRequest
from commands.parse import parse

GRAMMAR = command_table().grammar
TERMS = (
    ("SEC", "Smart Energy Code"), ("SECAS", "Smart Energy Code Administrator and Secretariat"),
    ("PMR", "Performance Measurement Report"), ("TAG", "Testing Advisory Group"), ("SR", "Service Request"),
    ("ETAD", "Enduring Testing Approach Document"),
)  # fmt: skip
TODAY = date(2020, 12, 4)


def _texts(sections: tuple[Section, ...]) -> list[str]:
    return [
        t
        for s in sections
        for b in s.blocks
        for t in (b.items if isinstance(b, Bullets) else (b.text,) if isinstance(b, Paragraph) else ())
    ]


def test_acronym_spelled_out_once_at_first_use() -> None:
    sections = annotate(
        [
            Section(
                "A",
                (
                    Paragraph("The Performance Measurement Report is due."),
                    Paragraph("The Performance Measurement Report again."),
                ),
            )
        ],
        TERMS,
    )
    assert _texts(sections) == [
        "The Performance Measurement Report (PMR) is due.",
        "The Performance Measurement Report again.",
    ]


def test_longer_meaning_wins_and_possessive_is_kept() -> None:
    texts = _texts(
        annotate(
            [
                Section(
                    "A",
                    (
                        Paragraph(
                            "Smart Energy Code Administrator and Secretariat costs; the Testing Advisory Group's remit."
                        ),
                    ),
                )
            ],
            TERMS,
        )
    )
    assert texts == [
        "Smart Energy Code Administrator and Secretariat (SECAS) costs; the Testing Advisory Group's (TAG) remit."
    ]


def test_no_expansion_when_the_acronym_came_first_or_inside_brackets() -> None:
    texts = _texts(
        annotate(
            [
                Section(
                    "A",
                    (
                        Paragraph("ETAD: see Appendix J (Enduring Testing Approach Document)."),
                        Paragraph("SEC, then Smart Energy Code."),
                    ),
                )
            ],
            TERMS,
        )
    )
    assert texts == ["ETAD: see Appendix J (Enduring Testing Approach Document).", "SEC, then Smart Energy Code."]


def test_used_terms_are_whole_words_and_numbers_may_follow() -> None:
    assert used_terms(["SECAS only", "reply to SR12.1"], TERMS) == [("SECAS", TERMS[1][1]), ("SR", "Service Request")]
    assert used_terms(["SECURE", "XSR"], TERMS) == []


def test_cache_is_bounded_by_count_and_bytes_and_keyed_by_version() -> None:
    cache = DocumentCache(max_items=2, max_bytes=10)
    cache.put("rid", ("a",), 1, b"1234")
    cache.put("rid", ("b",), 1, b"5678")
    assert cache.get("rid", ("a",), 1) == b"1234"  # now the most recent
    cache.put("rid", ("c",), 1, b"9")
    assert len(cache) == 2 and cache.get("rid", ("b",), 1) is None  # least recently used went
    cache.put("rid", ("d",), 1, b"abcdefgh")
    assert cache.size <= 10
    assert cache.get("rid", ("a",), 2) is None  # another state version is another document
    cache.put("rid", ("huge",), 1, b"x" * 11)
    assert cache.get("rid", ("huge",), 1) is None
    built = []
    assert cache.get_or_build("md", (), 3, lambda: built.append(1) or b"x") == b"x"
    assert cache.get_or_build("md", (), 3, lambda: built.append(1) or b"y") == b"x" and built == [1]
    with pytest.raises(ValueError):
        DocumentCache(max_items=0)


@pytest.mark.parametrize("text", ["2016-12", "Dec 2016", "december 2016", "12/2016"])
def test_months(text: str) -> None:
    assert parse_month(text) == date(2016, 12, 1)


@pytest.mark.parametrize("text", ["2016-13", "Decem", "2016", "31 Dec 2016", ""])
def test_bad_months(text: str) -> None:
    with pytest.raises(DocumentError, match="is not a month"):
        parse_month(text)


def test_papers_order_proposals_by_number() -> None:
    assert sorted(["MP122B", "DP144", "SECMP0007", "MP090", "MP077"], key=ref_order) == [
        "SECMP0007",
        "MP077",
        "MP090",
        "MP122B",
        "DP144",
    ]


def test_rid_title_is_never_doubled() -> None:
    assert rid_title("June 2021 SEC Release") == "June 2021 SEC Release Implementation Document"
    assert rid_title("Special 2022") == "Special 2022 Release Implementation Document"


def _model(**changes: object) -> RidModel:
    base = RidModel(
        slug="june-2030", name="June 2030 SEC Release", go_live=date(2030, 6, 27), dcc_system_impacting=False, version="1.0",
        as_of=date(2030, 1, 10), built_on=TODAY, state_version=7, latest_version=("1.0", date(2030, 1, 10)),
        scope=(ScopeItem("MP200", "A change", "MP", "targeted", "Changes a thing.", date(2030, 1, 1)),),
        parties=("Suppliers", "DCC"), party_rows=(("MP200", ("DCC",)),), party_summaries=(), dcc_summaries=(("Operations", ("Runs a job.",)),),
        documents=(("Section H", "DCC Services"),), document_refs=("MP200",), document_ticks=(("Section H", ("MP200",)),),
        timetable=(TimetableRow(date(2030, 6, 27), "Release go-live", key="go_live"),), derived=(), mod_milestones=(), has_opsg_review=False,
        test_strategy="None needed.", costs=(CostRow("SECAS", "SEC update", 1200, 2, "", ""),), criteria=((1, "operational", "SECAS is ready."),),
        versions=(("1.0", date(2030, 1, 10), "First."),), notes="", acronyms=TERMS,
    )  # fmt: skip
    return replace(base, **changes)  # type: ignore[arg-type]


def test_rid_diff_section_by_section() -> None:
    old = _model()
    new = _model(
        version="1.1",
        scope=(
            replace(old.scope[0], state="approved"),
            ScopeItem("MP201", "Another", "MP", "targeted", "", date(2030, 2, 1)),
        ),
        party_rows=(("MP200", ("DCC", "Suppliers")), ("MP201", ("DCC",))),
        timetable=(TimetableRow(date(2030, 6, 20), "Release go-live (moved)", key="go_live"),),
        costs=(CostRow("SECAS", "SEC update", 1800, 3, "", ""),),
        criteria=((1, "operational", "SECAS is ready on the day."), (2, "operational", "The DCC is ready.")),
        versions=(("1.0", date(2030, 1, 10), "First."), ("1.1", date(2030, 2, 1), "Adds MP201.")),
    )
    diff = dict(diff_rid(old, new).sections)
    assert diff["1. Scope"] == ("MP201 added (targeted)", "MP200: targeted → approved")
    assert "MP200: now Suppliers" in diff["2. Impacts"] and "MP201 added (participants: DCC)" in diff["2. Impacts"]
    assert diff["3. Implementation timetable"] == ("Release go-live (moved): Thu 27 Jun 2030 → Thu 20 Jun 2030",)
    assert diff["5. Costs"] == ("SECAS SEC update: £1,200 → £1,800",)
    assert diff["6. Acceptance criteria"] == (
        "Criterion 2 added: The DCC is ready.",
        "Criterion 1 reworded: SECAS is ready on the day.",
    )
    assert diff["Appendix 1: Version control"] == ("Version 1.1 of Fri 1 Feb 2030: Adds MP201.",)
    assert diff_rid(old, old).unchanged


def test_rid_layout_lists_only_used_acronyms_and_keeps_sections_in_order() -> None:
    doc = rid_document(_model())
    titles = [s.title for s in doc.sections]
    assert (
        titles.index("1. Scope")
        < titles.index("2. Impacts")
        < titles.index("5. Costs")
        < titles.index("Appendix 2: Glossary")
    )
    glossary = doc.section("Appendix 2: Glossary").blocks[1]
    assert isinstance(glossary, Table)
    assert {row[0] for row in glossary.rows} == {"SEC", "SECAS"}  # RID is used but has no glossary entry here
    assert doc.section("Total costs").blocks[0] == Table(
        ("Payer", "Amount"), (("DCC", "£0"), ("SECAS", "£1,200"), ("Total", "£1,200")), widths=(2, 1)
    )


def test_markdown_escapes_and_keeps_lists_in_cells() -> None:
    doc = Document("x", "Title | with pipe", "Sub", (Section("One", (Table(("A", "B"), (("a|b", ("x", "y")),)),)),))
    md = render_markdown(doc)
    assert "# Title \\| with pipe" in md
    assert "| a\\|b | • x<br>• y |" in md
    assert "- One" in md  # contents


def _read(line: str) -> Command | ParseError:
    return parse(GRAMMAR, "release", line, TODAY)


def test_words_after_rid_and_report() -> None:
    assert _read("june-2021 rid") == RidRequest(text="/release june-2021 rid", slug="june-2021")
    assert _read("june-2021 rid version 1.0") == RidRequest(
        text="/release june-2021 rid version 1.0", slug="june-2021", version="1.0"
    )
    assert _read("june-2021 rid v1.1") == RidRequest(
        text="/release june-2021 rid v1.1", slug="june-2021", version="1.1"
    )
    as_of = _read("june-2021 rid as of 1 Aug 2020")
    assert isinstance(as_of, RidRequest) and as_of.day == date(2020, 8, 1)
    diff = _read("june-2021 rid diff 1.0 v1.1")
    assert isinstance(diff, RidRequest) and (diff.action, diff.versions) == ("release.rid_diff", ("1.0", "1.1"))
    assert isinstance(_read("june-2021 rid diff 1.0"), ParseError)
    assert isinstance(_read("june-2021 rid banana"), ParseError)
    status = _read("report status")
    assert isinstance(status, ReportRequest) and (status.kind, status.day) == ("status", date(2020, 12, 1))
    dec = _read("report status Dec 2016")
    assert isinstance(dec, ReportRequest) and dec.day == date(2016, 12, 1)
    panel = _read("report panel since 2020-11-06")
    assert isinstance(panel, ReportRequest) and (panel.kind, panel.day) == ("panel", date(2020, 11, 6))
    assert isinstance(_read("report status 2016-13"), ParseError)
    assert isinstance(_read("report weekly"), ParseError)
