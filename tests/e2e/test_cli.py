"""The command line as a newcomer uses it: real processes, piped input, exit codes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from commands.render.checks import check_adaptive_card, check_slack_blocks

RELEASEBOT = [sys.executable, "-m", "bot"]


def run(args: list[str], db: Path, stdin: str | None = None, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "RELEASEBOT_DATABASE_URL": f"sqlite+aiosqlite:///{db}", **env}
    return subprocess.run(
        RELEASEBOT + args, input=stdin, capture_output=True, text=True, timeout=120, env=environment, cwd=db.parent
    )


@pytest.fixture
def seeded(templates, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    path = tmp_path / "cli.db"
    shutil.copyfile(templates.sqlite_seeded, path)
    return path


def test_demo_on_an_empty_database_with_piped_input(tmp_path: Path) -> None:
    db = tmp_path / "fresh.db"
    result = run(["demo"], db, stdin="/release june-2021 scope\n/mod MP 122A\n")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("> /release june-2021 scope\nJune 2021 SEC Release scope")
    assert (
        "\n> /mod MP 122A\nMP122A Operational Metrics" in result.stdout
    )  # piped: each command echoed above its answer
    assert "MP147 SMKI Full Extract" in result.stdout
    assert "MP122A Operational Metrics" in result.stdout
    again = run(["seed", "demo"], db)
    assert "0 documents" in again.stdout.replace("loaded 0 documents", "0 documents")  # idempotent


def test_ask_prints_one_reply_in_each_format(seeded: Path) -> None:
    text = run(["ask", "/workdays 2016-11-23 +10"], seeded)
    assert text.returncode == 0 and "Wed 7 Dec 2016" in text.stdout
    slack = run(["ask", "--format", "slack", "/release june-2021 scope"], seeded)
    assert slack.returncode == 0
    assert check_slack_blocks(json.loads(slack.stdout)["blocks"]) == []
    teams = run(["ask", "--format", "teams", "/release june-2021 impacts"], seeded)
    assert check_adaptive_card(json.loads(teams.stdout)) == []


def test_bad_input_is_a_reply_not_a_failure(seeded: Path) -> None:
    result = run(["ask", "/release jnue-2021 scope"], seeded)
    assert result.returncode == 0
    assert "Did you mean `june-2021`" in result.stdout
    assert "Traceback" not in result.stderr


def test_members_add_gives_a_role_that_changes_answers(seeded: Path) -> None:
    refused = run(["ask", "--user", "U0NEWBIE", "/release june-2022 approve MP099"], seeded)
    assert "don't know you yet" in refused.stdout
    added = run(["members", "add", "U0NEWBIE", "--role", "admin", "--name", "New Admin"], seeded)
    assert added.returncode == 0 and "Added New Admin (slack:U0NEWBIE) as admin" in added.stdout
    done = run(["ask", "--user", "U0NEWBIE", "/release june-2022 approve MP099"], seeded)
    assert "Approved MP099" in done.stdout
    listed = run(["members", "list"], seeded)
    assert "New Admin" in listed.stdout and "slack:U0NEWBIE" in listed.stdout
    audit = run(["ask", "--user", "U0NEWBIE", "/release audit"], seeded)
    assert "Added New Admin" in audit.stdout and "New Admin (slack:U0NEWBIE) · Approved MP099" in audit.stdout


def test_malformed_setting_stops_with_one_line_naming_it(tmp_path: Path) -> None:
    result = run(["ask", "/release"], tmp_path / "x.db", RELEASEBOT_DATABASE_URL="mysql://nope")
    assert result.returncode == 2
    assert result.stderr.strip().startswith("releasebot: RELEASEBOT_DATABASE_URL:")
    assert len(result.stderr.strip().splitlines()) == 1


def test_db_upgrade_on_a_blank_file(tmp_path: Path) -> None:
    result = run(["db", "upgrade"], tmp_path / "blank.db")
    assert result.returncode == 0 and "newest schema" in result.stdout


def test_votes_export_writes_one_row_per_panel_member(seeded: Path, tmp_path: Path) -> None:
    opened = run(["ask", '/release june-2022 vote open closes 2099-01-01 "Go?"'], seeded)
    assert "Go?" in opened.stdout
    run(["ask", "--user", "U0PANEL01", "/release june-2022 vote go fine by me"], seeded)
    run(["ask", "--user", "U0PANEL02", "/release june-2022 vote no-go"], seeded)
    target = tmp_path / "votes.csv"
    result = run(["votes", "export", "June 2022", "--csv", str(target)], seeded)
    assert result.returncode == 0 and "wrote 5 rows" in result.stdout
    import csv as csv_module

    rows = list(csv_module.DictReader(target.open()))
    assert [r["vote"] for r in rows].count("not voted") == 3
    assert next(r for r in rows if r["vote"] == "Go")["comment"] == "fine by me"
    missing = run(["votes", "export", "june-2030"], seeded)
    assert missing.returncode == 2 and "no release" in missing.stderr
