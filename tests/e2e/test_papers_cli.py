"""`releasebot import` and `releasebot export` as an admin runs them: real processes, both databases."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.paperkit import BAD_PAPER, NEW_PAPER

RELEASEBOT = [sys.executable, "-m", "bot"]


def run(args: list[str], url: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "RELEASEBOT_DATABASE_URL": url}
    return subprocess.run(RELEASEBOT + args, capture_output=True, text=True, timeout=120, env=environment, cwd=cwd)


def test_import_dry_run_then_for_real_then_undo(database_url: str, tmp_path: Path) -> None:
    paper = tmp_path / "march.yaml"
    paper.write_text(NEW_PAPER, encoding="utf-8")
    before = run(["export", "-"], database_url, tmp_path)
    assert before.returncode == 0, before.stderr

    dry = run(["import", str(paper), "--dry-run"], database_url, tmp_path)
    assert dry.returncode == 0, dry.stderr
    assert "Papers to load: panel-2021-03-05" in dry.stdout
    assert "new releases: november-2022" in dry.stdout and "Dry run: nothing was changed." in dry.stdout
    assert run(["export", "-"], database_url, tmp_path).stdout == before.stdout
    assert "There is no release" in run(["ask", "/release november-2022 scope"], database_url, tmp_path).stdout

    done = run(["import", str(paper)], database_url, tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Imported march.yaml: panel-2021-03-05" in done.stdout and "/release undo reverses it" in done.stdout
    scope = run(["ask", "/release november-2022 scope"], database_url, tmp_path).stdout
    assert "MP300" in scope
    again = run(["import", str(paper)], database_url, tmp_path)
    assert "Already stored (skipped): panel-2021-03-05" in again.stdout  # importing twice adds nothing
    assert "Nothing was changed." in again.stdout

    undo = run(["ask", "/release undo"], database_url, tmp_path)
    assert "Undid: Imported march.yaml: panel-2021-03-05" in undo.stdout, undo.stdout
    assert run(["export", "-"], database_url, tmp_path).stdout == before.stdout


def test_export_import_export_round_trip(database_url: str, empty_database_url: str, tmp_path: Path) -> None:
    first, second = tmp_path / "first.yaml", tmp_path / "second.yaml"
    exported = run(["export", str(first)], database_url, tmp_path)
    assert exported.returncode == 0, exported.stderr
    assert "wrote" in exported.stdout and "(6 papers)" in exported.stdout
    imported = run(["import", str(first)], empty_database_url, tmp_path)
    assert imported.returncode == 0, imported.stderr
    assert run(["export", str(second)], empty_database_url, tmp_path).returncode == 0
    assert second.read_bytes() == first.read_bytes()


def test_bad_file_says_file_line_and_field(database_url: str, tmp_path: Path) -> None:
    paper = tmp_path / "broken.yaml"
    paper.write_text(BAD_PAPER, encoding="utf-8")
    result = run(["import", str(paper)], database_url, tmp_path)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[0].startswith("broken.yaml:8: releases[0].status: must be one of")
    assert lines[1] == "broken.yaml:10: releases[0].scope[0].ref: `not a ref` is not a modification ref (e.g. MP122)"
    assert lines[2].startswith("broken.yaml:12: releases[0].scope[1].ref: modification MP999 is not listed")
    assert lines[-1] == "releasebot: broken.yaml: not imported (3 problems); nothing was changed"
    assert "Traceback" not in result.stderr
    missing = run(["import", str(tmp_path / "nowhere.yaml")], database_url, tmp_path)
    assert missing.returncode == 2 and "cannot read" in missing.stderr
