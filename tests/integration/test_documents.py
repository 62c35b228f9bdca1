"""The RID rebuilt from the demo data as Word and PDF, read back and compared with the seed papers.

Expectations are written from the papers themselves: 000 (Appendix A: June 2021 RID v1.1, 4 Dec
2020) and 003 (February 2021 RID v0.1, 7 Aug 2020). Where our wording differs from the paper's
(our sentences are our own), the test compares the facts: references, ticks, dates, amounts.
"""

from __future__ import annotations

import re
from datetime import date

import pytest

from commands.documents.build import build_rid, build_rid_diff
from commands.documents.errors import DocumentError
from commands.documents.rid import build_rid_model
from commands.documents.rid_layout import rid_document
from domain.snapshot import Snapshot
from tests.docreader import WordFile, pdf_outline, pdf_page_images, pdf_pages, read_docx

TODAY = date(2020, 12, 4)
TICK = "✓"
PARTIES = ["Modification", "Suppliers", "Electricity Networks", "Gas Networks", "Other SEC Parties", "DCC"]
HEADINGS = [
    (1, "About this document"), (1, "1. Scope"), (2, "Approved Modification Proposals"), (2, "Targeted Modification Proposals"),
    (2, "DCC Change Requests"), (1, "2. Impacts"), (2, "Participant impact matrix"), (2, "SEC Party impacts"), (2, "DCC impacts"),
    (2, "SEC document impacts"), (2, "SEC document impact matrix"), (2, "Other code impacts"), (1, "3. Implementation timetable"),
    (2, "Release implementation timetable"), (2, "Deadlines that follow by rule"), (1, "4. Test strategy"), (1, "5. Costs"),
    (2, "DCC costs"), (2, "SECAS costs"), (2, "Total costs"), (1, "6. Acceptance criteria"), (2, "Operational acceptance criteria"),
]  # fmt: skip


@pytest.fixture(scope="module")
def snapshot(demo_snapshot: Snapshot) -> Snapshot:
    """The demo data's read model (documents only read it)."""
    return demo_snapshot


@pytest.fixture(scope="module")
def june(snapshot: Snapshot) -> tuple[WordFile, bytes]:
    return read_docx(build_rid(snapshot, "june-2021", "docx", TODAY, version="1.1")), build_rid(
        snapshot, "june-2021", "pdf", TODAY, version="1.1"
    )


@pytest.fixture(scope="module")
def february(snapshot: Snapshot) -> tuple[WordFile, bytes]:
    return read_docx(build_rid(snapshot, "feb-2021", "docx", TODAY, version="0.1")), build_rid(
        snapshot, "feb-2021", "pdf", TODAY, version="0.1"
    )


def refs(lines: list[str]) -> list[str]:
    return [re.match(r"(SECMP\d{4}|MP\d{3}[A-Z]?|DP\d{3})\b", line).group(1) for line in lines]  # type: ignore[union-attr]


def test_june_2021_v1_1_word_structure(june: tuple[WordFile, bytes]) -> None:
    word, _ = june
    assert word.title == "June 2021 SEC Release Implementation Document"
    assert word.headings()[: len(HEADINGS)] == HEADINGS
    assert [h for _, h in word.headings()][-3:] == [
        "Annex A: Modification milestones",
        "Appendix 1: Version control",
        "Appendix 2: Glossary",
    ]
    assert len({h for _, h in word.headings()}) == len(word.headings()), "a heading appears twice"
    assert "Release Release" not in word.text()
    assert word.has_toc_field


def test_june_2021_v1_1_scope(june: tuple[WordFile, bytes]) -> None:
    word, _ = june
    approved = word.section("Approved Modification Proposals")
    assert approved.bullets == [] and "No Modification Proposal was approved" in approved.paragraphs[0]
    targeted = word.section("Targeted Modification Proposals").bullets
    assert refs(targeted) == ["MP106", "MP116", "MP138", "DP144", "DP145", "MP147"]
    assert targeted[0].startswith("MP106 ‘CHISM update for Unknown WAN Variant’: ")
    assert "SR12.1" in targeted[0] and "weekly" in targeted[5]
    assert "No DCC Change Requests" in word.section("DCC Change Requests").paragraphs[0]


def test_june_2021_v1_1_impact_tables(june: tuple[WordFile, bytes]) -> None:
    word, _ = june
    assert word.table("Participant impact matrix") == [
        PARTIES,
        ["MP106", TICK, TICK, TICK, TICK, ""],
        ["MP116", "", "", "", "", TICK],
        ["MP138", "", "", "", TICK, TICK],
        ["DP144", TICK, TICK, TICK, TICK, TICK],
        ["DP145", TICK, "", "", "", ""],
        ["MP147", "", "", "", "", TICK],
    ]
    party = word.table("SEC Party impacts")
    assert [row[0] for row in party] == [
        "Participant",
        "All SEC Parties",
        "Supplier Parties",
        "Electricity Network Parties",
        "Gas Network Parties",
        "Other SEC Parties",
    ]
    assert len(party[1][1].split("\n")) == 3  # three bullets for all SEC Parties, as in the paper
    dcc = word.table("DCC impacts")
    assert dcc[1][0] == "Operational changes" and len(dcc[1][1].split("\n")) == 2
    assert word.section("SEC document impacts").bullets == [
        "Section A ‘Definitions and Interpretation’", "Section H ‘DCC Services’", "Section I ‘Data Privacy’",
        "Schedule 7 ‘Specimen Enabling Services Agreement’", "Appendix I ‘CH Installation and Maintenance Support Materials’",
        "Appendix J ‘Enduring Testing Approach Document’", "Appendix O ‘SMKI Repository Interface Design Specification’",
    ]  # fmt: skip
    # The paper heads its columns MP144 and MP145: the same proposals as DP144 and DP145.
    assert word.table("SEC document impact matrix") == [
        ["Document", "MP106", "MP116", "MP138", "DP144", "DP145", "MP147"],
        ["Section A", "", "", "", "", TICK, ""],
        ["Section H", "", TICK, TICK, "", "", ""],
        ["Section I", "", "", "", TICK, "", ""],
        ["Schedule 7", "", "", TICK, "", "", ""],
        ["Appendix I", TICK, "", "", "", "", ""],
        ["Appendix J", "", "", TICK, "", "", ""],
        ["Appendix O", "", "", "", "", "", TICK],
    ]
    assert "No impacts on other industry codes" in word.section("Other code impacts").paragraphs[0]


def test_june_2021_v1_1_timetable_costs_criteria_versions_glossary(june: tuple[WordFile, bytes]) -> None:
    word, _ = june
    timetable = word.table("Release implementation timetable")
    assert [row[:2] for row in timetable[1:]] == [
        ["Fri 17 Jul 2020", "Panel baselines the June 2021 RID for DCC System impacting proposals"],
        ["Fri 11 Dec 2020", "Panel re-baselines the June 2021 RID to add non-DCC System impacting proposals"],
        ["Thu 24 Jun 2021", "June 2021 release go-live"],
    ]
    # Our addition: the 10 Working Day appeal windows, derived by rule, apart from the paper's rows.
    assert [row[0] for row in word.table("Deadlines that follow by rule")[1:]] == ["Fri 31 Jul 2020", "Tue 29 Dec 2020"]
    annex = word.table("Annex A: Modification milestones")
    assert {row[1] for row in annex[1:]} == {"MP106", "MP116", "MP138", "DP144", "DP145", "MP147"}
    assert (
        "not impact" in word.section("4. Test strategy").paragraphs[0]
        or "Nothing changes" in word.section("4. Test strategy").paragraphs[0]
    )
    assert [row[:3] for row in word.table("DCC costs")[1:]] == [["Implementation", "", "£0"]]
    assert [row[:3] for row in word.table("SECAS costs")[1:]] == [
        ["SEC update", "2 days", "£1,200"],
        ["Project management", "5 days", "£3,000"],
    ]
    assert word.table("Total costs") == [["Payer", "Amount"], ["DCC", "£0"], ["SECAS", "£4,200"], ["Total", "£4,200"]]
    criteria = word.table("Operational acceptance criteria")
    assert [row[0] for row in criteria[1:]] == ["1", "2"]
    assert all("SECAS" in row[1] for row in criteria[1:])
    assert [row[:2] for row in word.table("Appendix 1: Version control")[1:]] == [
        ["0.1", "Fri 10 Jul 2020"],
        ["1.0", "Fri 24 Jul 2020"],
        ["1.1", "Fri 4 Dec 2020"],
    ]
    glossary = dict(tuple(row) for row in word.table("Appendix 2: Glossary")[1:])
    # The paper's glossary: DCC, PIT, RID, SEC, SECAS, SR, SIT, UIT. Ours adds the acronyms our own text uses.
    assert {"DCC", "PIT", "RID", "SEC", "SECAS", "SR", "SIT", "UIT"} <= set(glossary)
    assert glossary["SECAS"] == "Smart Energy Code Administrator and Secretariat"
    _every_glossary_term_is_used(word, glossary)


def _every_glossary_term_is_used(word: WordFile, glossary: dict[str, str]) -> None:
    body = "\n".join(line for line in word.text().split("\n") if not any(line.startswith(f"{t}\t") for t in glossary))
    for term in glossary:
        assert re.search(rf"(?<![A-Za-z0-9]){re.escape(term)}(?![A-Za-z])", body), (
            f"{term} in the glossary but not used"
        )


def test_february_2021_v0_1_tables(february: tuple[WordFile, bytes]) -> None:
    word, _ = february
    assert word.title == "February 2021 SEC Release Implementation Document"
    assert word.headings()[: len(HEADINGS)] == HEADINGS
    assert word.section("Approved Modification Proposals").bullets == []
    assert refs(word.section("Targeted Modification Proposals").bullets) == ["MP092", "MP095", "MP111", "MP122"]
    all_ticks = [TICK] * 5
    assert word.table("Participant impact matrix") == [
        PARTIES,
        ["MP092", *all_ticks],
        ["MP095", *all_ticks],
        ["MP111", *all_ticks],
        ["MP122", "", "", "", "", TICK],
    ]
    assert [row[0] for row in word.table("SEC Party impacts")[1:]] == ["All SEC Parties"]
    assert [row[0] for row in word.table("DCC impacts")[1:]] == [
        "Contractual changes",
        "Regulatory changes",
        "Technical Operations Centre (TOC)",
    ]
    assert word.table("SEC document impact matrix") == [
        ["Document", "MP092", "MP095", "MP111", "MP122"],
        ["Section A", TICK, "", "", TICK],
        ["Section H", TICK, "", "", TICK],
        ["Section J", "", TICK, "", ""],
        ["Appendix AL", TICK, "", "", ""],
    ]
    assert [row[:2] for row in word.table("Release implementation timetable")[1:]] == [
        ["Fri 14 Aug 2020", "Panel reviews and baselines the February 2021 RID"],
        ["Tue 26 Jan 2021", "DCC submits evidence against the operational acceptance criteria"],
        ["Tue 2 Feb 2021", "Operations Group reviews the release against the acceptance criteria"],
        ["Fri 12 Feb 2021", "Panel go/no-go decision"],
        ["Thu 25 Feb 2021", "February 2021 release go-live"],
    ]
    # MP092's Change Board milestones come from the December paper: not known on 7 Aug 2020.
    with pytest.raises(AssertionError):
        word.section("Annex A: Modification milestones")
    assert [row[:3] for row in word.table("DCC costs")[1:]] == [
        ["Implementation (due to MP122)", "", "£340,000"],
        ["Operational", "", "—"],
    ]
    assert word.table("Total costs")[1:] == [["DCC", "£340,000"], ["SECAS", "£4,200"], ["Total", "£344,200"]]
    criteria = word.table("Operational acceptance criteria")[1:]
    assert [row[0] for row in criteria] == [str(n) for n in range(1, 11)]
    assert [row[1].split()[1] for row in criteria] == ["DCC"] * 8 + ["is", "has"]
    assert word.table("Appendix 1: Version control")[1:] == [
        ["0.1", "Fri 7 Aug 2020", "Initial draft sent to the SEC Panel for comments."]
    ]
    glossary = dict(tuple(row) for row in word.table("Appendix 2: Glossary")[1:])
    paper = {"ADT", "DCC", "OMR", "PIT", "PMR", "RID", "SEC", "SECAS", "SIT", "SMDA", "SSI", "TOC", "UIT"}
    assert paper - {"ADT", "SSI"} <= set(glossary)
    assert not {"ADT", "SSI"} & set(glossary), (
        "the paper lists ADT and SSI without using them; we list only what is used"
    )
    _every_glossary_term_is_used(word, glossary)


@pytest.mark.parametrize("which", ["june", "february"])
def test_pdf_text_headings_and_pages(which: str, request: pytest.FixtureRequest) -> None:
    word, pdf = request.getfixturevalue(which)
    pages = pdf_pages(pdf)
    assert 3 <= len(pages) <= 12
    text = "\n".join(pages)
    headings = [h for _, h in word.headings()]
    assert pdf_outline(pdf) == headings  # the PDF's bookmarks are the document's headings, in order
    lines = [line.strip() for line in text.splitlines()]
    body = lines[lines.index("About this document", lines.index("Contents") + 2) :]  # after the contents page
    assert [line for line in body if line in headings] == headings, "headings missing or out of order in the PDF text"
    for row in (
        word.table("Participant impact matrix")[1:]
        + word.table("Total costs")[1:]
        + word.table("Appendix 1: Version control")[1:]
    ):
        assert row[0] in text and row[1] in text
    images = pdf_page_images(pdf, scale=0.5)
    assert all(img.getbbox() is not None for img in images)  # type: ignore[attr-defined]


def test_rid_at_an_earlier_version_and_on_a_date(snapshot: Snapshot) -> None:
    rel = snapshot.release("june-2021")
    assert rel is not None
    v10 = build_rid_model(snapshot, rel, TODAY, version="1.0")
    assert v10.as_of == date(2020, 7, 24)
    assert [(s.ref, s.state) for s in v10.scope] == [("SECMP0067", "targeted")]
    assert [v for v, _, _ in v10.versions] == ["0.1", "1.0"]
    early = build_rid_model(snapshot, rel, TODAY, as_of=date(2020, 7, 1))
    assert early.scope == () and early.versions == ()
    doc = rid_document(early)
    assert "No version of this document had been issued by then." in list(doc.texts())
    with pytest.raises(DocumentError, match=r"no RID version 2\.0"):
        build_rid_model(snapshot, rel, TODAY, version="2.0")


def test_rid_diff_between_versions(snapshot: Snapshot) -> None:
    text = build_rid_diff(snapshot, "june-2021", "1.0", "1.1", "md", TODAY).decode()
    scope = text[text.index("## 1. Scope") : text.index("## 2. Impacts")]
    for ref in ("MP106", "MP116", "MP138", "DP144", "DP145", "MP147"):
        assert f"{ref} added (targeted)" in scope
    assert "SECMP0067: targeted → removed" in scope
    assert "Appendix O added (changed by: MP147)" in text
    assert "Version 1.1 of Fri 4 Dec 2020" in text
    # The costs were first recorded by the December 2020 paper (RID v1.1): v1.0 as recorded had none.
    costs = text[text.index("## 5. Costs") : text.index("## 6.")]
    assert "SECAS SEC update added: £1,200" in costs and "SECAS project management added: £3,000" in costs
