"""Questions in plain words, as a Panel member or the secretariat would type them, from the seed papers.

Each asks through what a DM, a mention or the console does (`bot.answers.line`), on 4 Dec 2020, and
checks both how the question was read (the `Read as` command) and the facts of the answer: the
dates, refs, states and counts the papers give. The paper is named in each group's comment.
Runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import re

import pytest

from bot.core import Releasebot
from commands.buttons import Pressed
from commands.render import render_slack, render_teams, render_text
from commands.render.checks import check_adaptive_card, check_slack_blocks
from domain.reply import Note, Reply
from tests.helpers import section
from tests.papers import ask_words, read_as, words_text

pytestmark = pytest.mark.usefixtures("bot")

REF = re.compile(r"\b(?:SECMP\d{4}|MP\d{3}[A-Z]?|DP\d{3}|CR\d{3})\b")


def refs(text: str) -> set[str]:
    return set(REF.findall(text))


# Each question, then `=>` the command it must be read as, then `+` each fact its answer must state.
QUESTIONS_TEXT = """
# 003: the February 2021 RID timetable (go/no-go 12 Feb, go-live 25 Feb), counted from 4 Dec 2020.
when is the feb 2021 go/no-go
  => /release february-2021 timeline
  + Fri 12 Feb 2021 · Panel go/no-go decision · in 47 WD
when is the next go/no-go
  => /release february-2021 timeline
  + Fri 12 Feb 2021 · Panel go/no-go decision
what's the feb 2021 timetable
  => /release february-2021 timeline
  + Tue 26 Jan 2021 · DCC submits evidence
  + Thu 25 Feb 2021
when does the dcc submit evidence for feb 2021
  => /release february-2021 timeline
  + Tue 26 Jan 2021 · DCC submits evidence against the operational acceptance criteria · in 34 WD
when is the operations group review
  => /release february-2021 timeline
  + Tue 2 Feb 2021 · Operations Group reviews the release
whens the november 2021 go live
  => /release november-2021 timeline
  + Thu 4 Nov 2021 · November 2021 release go-live · in 231 WD
what is the november 2021 go-live date
  => /release november-2021 timeline
  + Thu 4 Nov 2021
# 000: June 2021 RID v1.1 timetable; the appeal window on the re-baseline (004: 10 WD) ends 29 Dec 2020.
when does the june 2021 release go live
  => /release june-2021 timeline
  + Thu 24 Jun 2021 · June 2021 release go-live · in 137 WD
when does the appeal window close for june 2021
  => /release june-2021 timeline
  + Tue 29 Dec 2020 · Appeal window on the non-system RID re-baseline closes
  + in 15 WD
what are the milestones of june 2021
  => /release june-2021 timeline
  + Fri 11 Dec 2020 · Panel re-baselines the June 2021 RID
  + in 5 WD
how many working days until the june 2021 go live
  => /release june-2021 timeline
  + in 137 WD
what is the timline for june 2021
  => /release june-2021 timeline
  + Thu 24 Jun 2021
  + read “timline” as “timeline”
what is the go live date for june 2022
  => /release june-2022 timeline
  + Thu 30 Jun 2022 · June 2022 release go-live (Thursday)
when will june 2022 go live
  => /release june-2022 timeline
  + Thu 30 Jun 2022
# 000: scope of each release on 4 Dec 2020.
what's in june 2021
  => /release june-2021 scope
  + 6 targeted, 2 removed
  + MP095 Alignment of SEC Credit Cover — A decision is not expected in time
what's in the june release
  => /release june-2021 scope
  + 6 targeted, 2 removed
what has been removed from june 2021
  => /release june-2021 scope
  + Removed (2)
  + SECMP0067
jnue 2021 scope
  => /release june-2021 scope
  + 6 targeted
  + read “jnue” as “june”
what is the scope of november 2021
  => /release november-2021 scope
  + 2 approved, 4 targeted, 1 moved
which modifications are in the november 2021 release
  => /release november-2021 scope
  + MP090 Incorporation of Non GBCS Non-Mandated Alerts
targeted modifications in november 2021
  => /release november-2021 scope
  + Targeted (in if approved by the cut-off) (4)
what's in the june 2022 release
  => /release june-2022 scope
  + 1 targeted
  + MP099 Incorporation of multiple Issue Resolution Proposals
sceop of june 2022
  => /release june-2022 scope
  + 1 targeted
what was moved out of feb 2021
  => /release february-2021 scope
  + MP095 Alignment of SEC Credit Cover → June 2021 SEC Release
what's the scope of the next release
  => /release february-2021 scope
  + 1 approved, 1 targeted
# 003 (7 Aug 2020) against 000 (4 Dec 2020): the February 2021 scope then.
what was in feb 2021 on 1 sep 2020
  => /release february-2021 scope as of 2020-09-01
  + 4 targeted
what was in june 2021 as of 1 aug 2020
  => /release june-2021 scope as of 2020-08-01
  + SECMP0067
# 000 and 003: costs. On 4 Dec 2020 MP122 has left February 2021 (split into MP122A and
# MP122B), so 003's £340,000 DCC implementation cost due to MP122 went with it.
how much will the february 2021 release cost
  => /release february-2021 costs
  + SECAS £4,200
  + DCC operational
what are the costs for the feb release
  => /release february-2021 costs
  + SECAS SEC update: £1,200
what does the DCC have to pay for feb 2021
  => /release february-2021 costs
  + DCC operational
how much does the june 2021 release cost
  => /release june-2021 costs
  + DCC implementation: £0
  + £1,200
  + £3,000
costs of june 2021
  => /release june-2021 costs
  + Stated amounts: DCC £0 · SECAS £4,200
# 003: ten operational acceptance criteria; 000: two for June 2021.
what are the acceptance criteria for feb 2021
  => /release february-2021 criteria
  + 10. SECAS has made ready
what are the go-live criteria for feb 2021
  => /release february-2021 criteria
  + 8. The DCC has finished assuring its Business Continuity
list the acceptance criteria of june 2021
  => /release june-2021 criteria
  + 2. SECAS has made ready
# 000: June 2021 impact matrices.
who is affected by the june 2021 release
  => /release june-2021 impacts
  + Participant impact matrix
  + SEC document impact matrix
which parties does june 2021 affect
  => /release june-2021 impacts parties
  + Other SEC Parties
which documents change in june 2021
  => /release june-2021 impacts documents
  + Appendix O SMKI Repository Interface Design Specification
which parties are affected by feb 2021
  => /release february-2021 impacts parties
  + Participant impact matrix
what documents does feb 2021 change
  => /release february-2021 impacts documents
  + Appendix AL SMETS1 Transition and Migration Approach Document
# 000 and 003: RID versions and history.
show me the june 2021 RID
  => /release june-2021 rid
  + Working draft after version 1.1 · Fri 4 Dec 2020
what's the latest RID version for june 2021
  => /release june-2021 rid
  + Appendix 1: Version control
show the february 2021 release implementation document
  => /release february-2021 rid
  + 0.1      Fri 7 Aug 2020
what's the history of june 2021
  => /release june-2021 history
  + Fri 10 Jul 2020 RID v0.1
  + Fri 24 Jul 2020 RID v1.0
what changed in june 2021 since november
  => /release june-2021 changes since 2020-11-01
  + RID v1.1
  + MP106 targeted
  + MP095 removed
what changed in feb 2021 since 1 sep 2020
  => /release february-2021 changes since 2020-09-01
  + MP122A approved
  + MP122 removed
what changed in november 2021 since 1 oct 2020
  => /release november-2021 changes since 2020-10-01
  + MP099 moved
# 000 and 002: one modification.
is MP122A approved
  => /mod MP122A
  + Phase:             Approved
  + February 2021 SEC Release `february-2021`: approved
tell me about MP 147
  => /mod MP147
  + MP147 SMKI Full Extract
  + Appendix O SMKI Repository Interface Design Specification · June 2021 SEC Release
what is the status of DP144
  => /mod DP144
  + Phase:             Development
  + Also known as:     MP144
what happened to MP095
  => /mod MP095
  + February 2021 SEC Release `february-2021`: moved to June 2021 SEC Release
  + June 2021 SEC Release `june-2021`: removed
is MP099 in november 2021
  => /mod MP099
  + November 2021 SEC Release `november-2021`: moved to June 2022 SEC Release
who is affected by MP106
  => /mod MP106
  + June 2021 SEC Release: Suppliers, Electricity Networks, Gas Networks, Other SEC Parties
when is the MP092 change board vote
  => /mod MP092
  + Wed 20 Jan 2021 · Change Board vote on MP092 (Self-Governance) · in 30 WD
when was SECMP0020 implemented
  => /mod SECMP0020
  + Wed 14 Dec 2016 · SECMP0020 implemented
what did the Change Board decide on SECMP0022
  => /mod SECMP0022
  + Wed 23 Nov 2016 Change Board: approved
what did the CSC recommend for DP145
  => /mod DP145
  + Tue 24 Nov 2020 CSC: recommended
which working group has SECMP0005
  => /mod SECMP0005
  + Working Group:     WG1
when does the consultation on SECMP0016 close
  => /mod SECMP0016
  + Wed 7 Dec 2016 · SECMP0016 Modification Report consultation closes
what is the status of the credit cover modification
  => /mod MP095
  + MP095 Alignment of SEC Credit Cover
tell me about the planned maintenance change
  => /mod MP092
  + MP092 New Planned Maintenance methodology
# 000, 002, 004 and the common terms: the glossary, and SEC documents by name.
what is a SEC Release
  => /release glossary SEC Release
  + approved Modification Proposals
what does DUIS stand for
  => /release glossary DUIS
  + DCC User Interface Specification
what does RID mean
  => /release glossary RID
  + Release Implementation Document
what is the appeal window
  => /release glossary RID appeal window
  + 10 Working Days
what is self-governance
  => /release glossary Self-Governance
  + Change Board
what is a modification report
  => /release glossary Modification Report
  + end of refinement
what does SSC stand for
  => /release glossary SSC
  + Security Sub-Committee
what is the meaning of TABASC
  => /release glossary TABASC
  + Technical Architecture and Business Architecture Sub-Committee
explain the referral period
  => /release glossary Referral period
  + 10 Working Days after a Change Board approval
define CHTS
  => /release glossary CHTS
  + Communications Hub Technical Specifications
what does Appendix J cover
  => /release glossary Appendix J
  + Enduring Testing Approach Document
  + MP138 DCC Service Testing in ETAD
# Searches: 000 (impact matrices, the paper's author), 002.
which releases touch Appendix O
  => /release find Appendix O
  + Releases touched: June 2021 SEC Release
  + MP147 SMKI Full Extract
which modifications affect Other SEC Parties
  => /release find Other SEC Parties
  + Other SEC Parties · MP138 DCC Service Testing in ETAD · June 2021 SEC Release
who is Joe Hehir
  => /release find Joe Hehir
  + SEC Releases Update (Panel paper) with June 2021 RID v1.1 · Joe Hehir, SECAS Team
who is Kayla Reinhart
  => /release find Kayla Reinhart
  + issued Wed 7 Dec 2016
what touches Section H
  => /release find Section H
  + MP116 Service Request Forecasting
  + MP092 New Planned Maintenance methodology
what is in working group 1
  => /release find WG1
  + SECMP0005 Inclusion of Tariff and Register Labels on SMETS2 Devices
# Views across releases on 4 Dec 2020.
due next week
  => /release due next week
  + Fri 11 Dec 2020 · Panel re-baselines the June 2021 RID
  + in 5 WD
what is due this month
  => /release due this month
  + 7 milestones
  + Tue 29 Dec 2020
what is due in the next 10 working days
  => /release due 10 WD
  + to Fri 18 Dec 2020
  + Fri 11 Dec 2020
what is coming up
  => /release due
  + Fri 11 Dec 2020
  + Wed 20 Jan 2021
what's targeted but not yet decided
  => /release targeted
  + 12 modifications targeted and still to be decided
what is waiting for a decision
  => /release targeted
  + MP092 New Planned Maintenance methodology
what was decided since 1 nov 2020
  => /release decisions since 2020-11-01
  + 11 decisions
  + Tue 24 Nov 2020 · CSC · recommended · DP144
what decisions were made since november
  => /release decisions since 2020-11-01
  + 11 decisions
show the decisions log
  => /release decisions
  + Wed 23 Nov 2016 · Change Board · approved · SECMP0020
# 002: Working Days (the referral period arithmetic).
10 working days after 23 Nov 2016
  => /workdays 2016-11-23 +10
  + Wed 7 Dec 2016
5 working days before 14 dec 2016
  => /workdays 2016-12-14 -5
  + Wed 7 Dec 2016
how many working days between 11 dec 2020 and 29 dec 2020
  => /workdays 2020-12-11 to 2020-12-29
  + 10 Working Days
is 25 dec 2020 a working day
  => /workdays 2020-12-25
  + Christmas Day
what are the bank holidays in 2021
  => /workdays holidays 2021
  + Mon 3 May 2021
which releases are there
  => /release
  + February 2021 SEC Release `february-2021` · go-live Thu 25 Feb 2021 (in 56 WD)
give me an overview of june 2021
  => /release june-2021
  + Thu 24 Jun 2021 (in 137 WD)
  + Next milestone: Panel re-baselines the June 2021 RID
  + v1.1 of Fri 4 Dec 2020
"""


def _questions(text: str) -> list[tuple[str, str, tuple[str, ...]]]:
    found: list[tuple[str, str, list[str]]] = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("  => "):
            found[-1] = (found[-1][0], line[5:], found[-1][2])
        elif line.startswith("  + "):
            found[-1][2].append(line[4:])
        else:
            found.append((line, "", []))
    return [(q, command, tuple(facts)) for q, command, facts in found]


QUESTIONS = _questions(QUESTIONS_TEXT)


@pytest.mark.parametrize(("question", "command", "facts"), QUESTIONS, ids=[q for q, _, _ in QUESTIONS])
async def test_a_question_in_plain_words(bot: Releasebot, question: str, command: str, facts: tuple[str, ...]) -> None:
    text = await words_text(bot, question)
    assert read_as(text) == command, text[:600]
    for fact in facts:
        assert fact in text, (fact, text)


async def test_the_reading_is_the_answer_of_its_command(bot: Releasebot) -> None:
    # The same answer as typing the command, with only the reading added on top.
    question = await ask_words(bot, "when is the feb 2021 go/no-go")
    command = await bot.answers.answer(
        None, "/release february-2021 timeline", bot.actors.resolve("console", "console")
    )
    note = question.blocks[1]
    assert isinstance(note, Note) and render_text(Reply("", (note,))).startswith(
        "(Read as `/release february-2021 timeline`"
    )
    assert question.blocks[:1] + question.blocks[2:] == command.blocks and question.title == command.title


async def test_scope_questions_name_the_papers_refs(bot: Releasebot) -> None:
    text = await words_text(bot, "what's in june 2021")
    assert refs(section(text, "Targeted")) == {"MP106", "MP116", "MP138", "DP144", "DP145", "MP147"}
    august = await words_text(bot, "what was in feb 2021 on 1 sep 2020")
    assert refs(section(august, "Targeted")) == {"MP092", "MP095", "MP111", "MP122"}


async def test_how_each_part_was_read_and_what_was_left(bot: Releasebot) -> None:
    text = await words_text(bot, "which documents change in june 2021")
    assert "“june 2021” → release: June 2021 SEC Release" in text
    assert "“documents” → aspect: documents" in text
    assert "not used: “change”" in text
    assert re.search(r"confidence 0\.\d\d \(cue [\d.]+, entities [\d.]+, words used \d+%\)", text)


async def test_two_close_readings_are_offered_as_buttons_not_guessed(bot: Releasebot) -> None:
    reply = await ask_words(bot, "what is due before the feb go live")
    text = render_text(reply)
    assert read_as(text) is None and "Did you mean one of these?" in text
    buttons = [button for block in reply.blocks if hasattr(block, "buttons") for button in block.buttons]
    assert [(b.action, b.value) for b in buttons] == [
        ("command", "/release due"),
        ("command", "/release february-2021 timeline"),
    ]


async def test_a_change_asked_in_plain_words_changes_nothing(bot: Releasebot) -> None:
    before = bot.read_model.snapshot.version
    reply = await ask_words(bot, "approve MP099 for june 2022")
    assert reply.is_error and "never from plain words" in render_text(reply)
    assert bot.read_model.snapshot.version == before
    scope = await words_text(bot, "/release june-2022 scope")
    assert "1 targeted" in scope and "Approved" not in scope


async def test_words_it_cannot_read_get_the_usage_and_a_pointer(bot: Releasebot) -> None:
    text = await words_text(bot, "asdf qwerty")
    assert "I don't know the command `asdf`" in text and "Usage" in text
    assert "/release help questions" in text


async def test_a_sentence_too_long_is_not_read(bot: Releasebot) -> None:
    text = await words_text(bot, "when is the go live " + "please " * 60)
    assert read_as(text) is None and "too long to read as a question (300 characters, 40 words at most)" in text


async def test_commands_are_answered_as_they_are(bot: Releasebot) -> None:
    for command in ("/release june-2021 scope", "june-2021 scope", "mod MP122A", "help"):
        text = await words_text(bot, command)
        assert read_as(text) is None, command
    # A typo in a command is the command language's to answer (did you mean), not a guess.
    typo = await words_text(bot, "/release june-2021 scpoe")
    assert "Did you mean `scope`?" in typo and read_as(typo) is None


def test_at_least_sixty_questions_from_the_papers() -> None:
    assert len(QUESTIONS) >= 60
    assert len({q for q, _, _ in QUESTIONS}) == len(QUESTIONS)
    assert all(command.startswith("/") and facts for _, command, facts in QUESTIONS)


async def test_every_kind_of_plain_word_reply_renders_for_slack_and_teams(bot: Releasebot) -> None:
    for question in (
        "when is the feb 2021 go/no-go",
        "what is due before the feb go live",
        "approve MP099",
        "asdf qwerty",
    ):
        r = await ask_words(bot, question)
        slack = render_slack(r)
        assert check_slack_blocks(slack["blocks"]) == [], question
        assert check_adaptive_card(render_teams(r)) == [], question


async def test_a_reading_button_runs_its_command(bot: Releasebot) -> None:
    r = await ask_words(bot, "what is due before the feb go live")
    actions = [block for block in render_slack(r)["blocks"] if block["type"] == "actions"]
    button = actions[0]["elements"][1]
    pressed = await bot.answers.press("command", button["value"], bot.actors.resolve("slack", "U0PANEL01"))
    assert isinstance(pressed, Pressed) and pressed.command == "/release february-2021 timeline"
