"""Start-up stays light: what `releasebot --help` and `releasebot ask` import (issue 13, item 6).

Behaviour, not timing: a fresh process reports which heavy libraries are in `sys.modules`
after the command ran. `--help` needs typer alone; `ask` needs the store and the command
language, never the chat SDKs, httpx, the PostgreSQL driver or the document libraries, and
alembic only when the schema is behind.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

NEVER_FOR_ASK = (
    "alembic",
    "asyncpg",
    "docx",
    "holidays.countries",
    "httpx",
    "matplotlib",
    "microsoft_teams",
    "opentelemetry",
    "rapidfuzz",  # the plain-words reader: a command as typed never needs it
    "slack_bolt",
    "slack_sdk",
    "typst",
    "uvicorn",
)
NEVER_FOR_HELP = (*NEVER_FOR_ASK, "jinja2", "pydantic", "rich", "sqlalchemy", "sqlmodel", "holidays")

# Runs the command line in-process, then prints which of the named top-level packages were loaded.
PROBE = """
import json, sys
from bot.cli import app
try:
    app(sys.argv[2:], prog_name="releasebot")
except SystemExit as exc:
    code = exc.code
else:
    code = 0
names = json.loads(sys.argv[1])
print(json.dumps({"code": code, "loaded": sorted(n for n in names if n in sys.modules)}))
"""


def probe(args: list[str], names: tuple[str, ...], db: Path) -> tuple[object, list[str], str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "RELEASEBOT_DATABASE_URL": f"sqlite+aiosqlite:///{db}"}
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(names), *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=db.parent,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    return report["code"], report["loaded"], done.stdout


@pytest.fixture
def seeded(templates, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    path = tmp_path / "startup.db"
    shutil.copyfile(templates.sqlite_seeded, path)
    return path


def test_help_imports_typer_alone(tmp_path: Path) -> None:
    code, loaded, out = probe(["--help"], NEVER_FOR_HELP, tmp_path / "unused.db")
    assert code == 0
    assert "ask" in out and "serve" in out  # the help itself is whole
    assert loaded == []


def test_importing_the_command_line_loads_no_sdk_or_http_client(tmp_path: Path) -> None:
    code, loaded, _ = probe([], NEVER_FOR_HELP, tmp_path / "unused.db")  # no arguments: the usage
    assert code in (0, 2)
    assert loaded == []


def test_ask_loads_no_sdk_http_client_driver_or_document_library(seeded: Path) -> None:
    code, loaded, out = probe(["ask", "/release june-2021 scope"], NEVER_FOR_ASK, seeded)
    assert code == 0
    assert "June 2021 SEC Release scope" in out
    assert loaded == []


def test_ask_on_a_schema_behind_runs_the_migrations(tmp_path: Path) -> None:
    code, loaded, out = probe(["ask", "/release"], ("alembic",), tmp_path / "blank.db")
    assert code == 0 and "SEC Releases" in out
    assert loaded == ["alembic"]  # a pending migration is the one reason to load alembic
    code, loaded, _ = probe(["ask", "/release"], ("alembic",), tmp_path / "blank.db")
    assert (code, loaded) == (0, [])  # now current: told by one query
