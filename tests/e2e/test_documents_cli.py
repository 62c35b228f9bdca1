"""`releasebot rid` and `releasebot report` as a secretary runs them: real processes, files, exit codes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.docreader import pdf_pages, read_docx


def run(args: list[str], db: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "RELEASEBOT_DATABASE_URL": f"sqlite+aiosqlite:///{db}"}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=db.parent,
        check=False,
    )


@pytest.fixture
def seeded(templates, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    path = tmp_path / "cli.db"
    shutil.copyfile(templates.sqlite_seeded, path)
    return path


def test_rid_files_and_report(seeded: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    done = run(
        [
            "rid",
            "jun-2021",
            "--version",
            "1.1",
            "--docx",
            str(out / "rid.docx"),
            "--pdf",
            str(out / "rid.pdf"),
            "--md",
            str(out / "rid.md"),
        ],
        seeded,
    )
    assert done.returncode == 0, done.stderr
    assert [line.split()[1] for line in done.stdout.splitlines()] == [
        str(out / f"rid.{ext}") for ext in ("docx", "pdf", "md")
    ]
    word = read_docx((out / "rid.docx").read_bytes())
    assert word.title == "June 2021 SEC Release Implementation Document"
    assert "Appendix 2: Glossary" in "\n".join(pdf_pages((out / "rid.pdf").read_bytes()))
    assert (out / "rid.md").read_text().startswith("# June 2021 SEC Release Implementation Document")
    report = run(
        [
            "report",
            "status",
            "--month",
            "Dec 2016",
            "--md",
            str(out / "status.md"),
            "--png",
            str(out / "progress.png"),
            "--today",
            "2020-12-04",
        ],
        seeded,
    )
    assert report.returncode == 0, report.stderr
    assert "There were 21 open modifications" in (out / "status.md").read_text()
    assert (out / "progress.png").read_bytes()[:4] == b"\x89PNG"
    diff = run(["rid", "june-2021", "diff", "1.0", "1.1"], seeded)
    assert diff.returncode == 0 and "SECMP0067: targeted → removed" in diff.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["rid", "jnue-2021", "--md", "x.md"], "There is no release `jnue-2021`. Did you mean `june-2021`?"),
        (["rid", "june-2021", "--version", "3.0", "--md", "x.md"], "June 2021 SEC Release has no RID version 3.0"),
        (
            ["rid", "june-2021", "--docx", "/no/such/folder/rid.docx"],
            "cannot write /no/such/folder/rid.docx: the folder /no/such/folder does not exist",
        ),
        (["report", "status", "--month", "2016-13"], "`2016-13` is not a month"),
        (["report", "panel", "--since", "someday"], "--since `someday` is not a date"),
    ],
)
def test_bad_input_is_one_line(seeded: Path, args: list[str], message: str) -> None:
    done = run(args, seeded)
    assert done.returncode == 2
    assert done.stderr.startswith("releasebot: ") and message in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr
