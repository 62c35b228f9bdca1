"""Keeping the record from the command line as a secretary would on a new store: real processes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

RELEASEBOT = [sys.executable, "-m", "bot"]


def run(args: list[str], db: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "RELEASEBOT_DATABASE_URL": f"sqlite+aiosqlite:///{db}"}
    return subprocess.run(
        RELEASEBOT + args, input=stdin, capture_output=True, text=True, timeout=120, env=env, cwd=db.parent
    )


def test_a_new_store_an_admin_a_linked_account_and_the_2016_decision_from_the_console(tmp_path: Path) -> None:
    db = tmp_path / "record.db"
    assert run(["db", "upgrade"], db).returncode == 0
    added = run(["members", "add", "U0SEC1", "--role", "admin", "--name", "Kayla Reinhart"], db)
    assert added.returncode == 0 and "Added Kayla Reinhart (slack:U0SEC1) as admin" in added.stdout, added.stderr
    # The same person on the console: linked, not a twin.
    again = run(["members", "add", "kayla", "--platform", "console", "--role", "admin", "--name", "kayla reinhart"], db)
    assert "Linked console:kayla to Kayla Reinhart" in again.stdout, again.stderr
    teams = run(["members", "link", "slack:U0SEC1", "--platform", "teams", "6f1c2a8e-4b7d-4e0a-9c35-2d8e1f0a7b99"], db)
    assert (
        teams.returncode == 0 and "Linked teams:6f1c2a8e-4b7d-4e0a-9c35-2d8e1f0a7b99 to Kayla Reinhart" in teams.stdout
    )
    taken = run(["members", "link", "Nobody", "--platform", "console", "kayla"], db)
    assert taken.returncode != 0 and "There is no member `Nobody`" in taken.stderr
    listed = run(["members", "list"], db).stdout.splitlines()
    assert len(listed) == 1 and "console:kayla" in listed[0] and "slack:U0SEC1" in listed[0]

    lines = [
        '/mod new SECMP0020 "Removing confidential classification of unique IDs in Schedule 5"',
        "/mod SECMP0020 decision cb approved 23 Nov 2016",
        "/mod SECMP0020",
    ]
    out = run(["console", "--user", "kayla"], db, stdin="\n".join(lines) + "\n")
    assert out.returncode == 0, out.stderr
    assert "Wed 7 Dec 2016 · Referral period ends" in out.stdout
    assert "Wed 14 Dec 2016 · Implementation" in out.stdout
