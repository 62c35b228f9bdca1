"""What an import says it does: counts by kind, the things people check by name, changes bounded."""

from __future__ import annotations

import json

from commands.papers import button_value, describe, digest
from store.papers.importer import Added, Altered, ImportPreview


def test_counts_names_and_changes() -> None:
    preview = ImportPreview(
        ("panel-2030-01-10",),
        ("panel-2020-12-04",),
        (Added("release", "june-2030"), Added("cost", "june-2030 DCC implementation £1,000"), Added("cost", "x")),
        (
            Altered("release", "june-2021", (("status", "baselined", "frozen"),)),
            Altered("cost", "june-2021 DCC implementation", (("until", None, "2030-01-10"),)),
        ),
    )
    lines = describe(preview)
    assert lines[:3] == [
        "Papers to load: panel-2030-01-10",
        "Already stored (skipped): panel-2020-12-04",
        "Adds 1 release, 2 costs.",
    ]
    assert "  new releases: june-2030" in lines and "  new costs: june-2030 DCC implementation £1,000; x" in lines
    assert "Changes release june-2021: status: baselined → frozen" in lines
    assert lines[-1] == "Ends 1 RID content rows in force before (replaced from the paper's date)."


def test_a_chat_preview_lists_a_bounded_number_of_changes() -> None:
    altered = tuple(Altered("modification", f"MP{n:03d}", (("phase", "Refinement", "Report"),)) for n in range(30))
    lines = describe(ImportPreview(("p",), (), (), altered), changes=12)
    assert sum(line.startswith("Changes modification") for line in lines) == 12
    assert lines[-1].startswith("... and 18 more changes")
    assert len(describe(ImportPreview(("p",), (), (), altered))) == 31


def test_nothing_new_and_the_button_value() -> None:
    assert describe(ImportPreview((), ("a",), (), ()))[-1].startswith("Nothing to change")
    assert json.loads(button_value("F0X", "text")) == {"f": "F0X", "d": digest("text")}
    assert digest("text") != digest("text ")
