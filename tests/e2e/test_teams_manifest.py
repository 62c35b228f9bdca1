"""The Teams app package: a manifest Teams accepts for sideloading, icons of the sizes it wants."""

from __future__ import annotations

import json
import os
import re
import struct
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

from bot.app import command_table
from bot.teams.package import PLACEHOLDER_ID, SOURCE, build_package

MANIFEST = SOURCE / "manifest.json"
APP_ID = "0c3a5f0e-8d1b-4c7a-9e2f-6b4d8a1c2e3f"


def _png(path: Path) -> tuple[int, int, list[tuple[int, ...]]]:
    """(width, height, RGBA pixels) of an 8-bit RGBA PNG written with filter 0 (as make_icons writes)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width, height = 8, b"", 0, 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            assert (depth, colour) == (8, 6)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * 4 + 1
    assert all(raw[row * stride] == 0 for row in range(height))
    pixels = [
        tuple(raw[row * stride + 1 + 4 * x : row * stride + 5 + 4 * x]) for row in range(height) for x in range(width)
    ]
    return width, height, pixels


def test_manifest_is_a_bot_for_every_scope_with_the_commands_the_parser_knows() -> None:
    manifest = json.loads(MANIFEST.read_text())
    assert manifest["manifestVersion"] == "1.17" and "v1.17" in manifest["$schema"]
    assert manifest["id"] == PLACEHOLDER_ID and re.fullmatch(r"\d+\.\d+\.\d+", manifest["version"])
    (bot,) = manifest["bots"]
    assert bot["botId"] == PLACEHOLDER_ID and set(bot["scopes"]) == {"personal", "team", "groupChat"}
    titles = {c["title"] for c in bot["commandLists"][0]["commands"]}
    assert titles == {*command_table().grammar.slash_commands, "help"}
    assert all(len(c["description"]) <= 128 for c in bot["commandLists"][0]["commands"])
    assert len(manifest["name"]["short"]) <= 30 and len(manifest["name"]["full"]) <= 100
    assert len(manifest["description"]["short"]) <= 80 and len(manifest["description"]["full"]) <= 4000
    assert all(url.startswith("https://") for key, url in manifest["developer"].items() if key.endswith("Url"))
    assert re.fullmatch(r"#[0-9A-Fa-f]{6}", manifest["accentColor"])
    assert manifest["icons"] == {"color": "color.png", "outline": "outline.png"}


def test_icons_are_the_sizes_teams_wants_and_the_outline_is_white_on_transparent() -> None:
    width, height, _ = _png(SOURCE / "color.png")
    assert (width, height) == (192, 192)
    width, height, pixels = _png(SOURCE / "outline.png")
    assert (width, height) == (32, 32)
    assert set(pixels) <= {(255, 255, 255, 255), (0, 0, 0, 0)}
    assert (255, 255, 255, 255) in pixels and (0, 0, 0, 0) in pixels


def test_the_icons_are_what_make_icons_draws(tmp_path: Path) -> None:
    script = tmp_path / "make_icons.py"
    script.write_text((SOURCE / "make_icons.py").read_text())
    subprocess.run([sys.executable, str(script)], check=True, timeout=120)
    for name in ("color.png", "outline.png"):
        assert (tmp_path / name).read_bytes() == (SOURCE / name).read_bytes(), name


def test_package_puts_our_app_id_in_and_the_files_at_the_root(tmp_path: Path) -> None:
    out = build_package(APP_ID, tmp_path / "pkg" / "releasebot-teams.zip")
    with zipfile.ZipFile(out) as archive:
        assert sorted(archive.namelist()) == ["color.png", "manifest.json", "outline.png"]
        manifest = json.loads(archive.read("manifest.json"))
        assert archive.read("outline.png") == (SOURCE / "outline.png").read_bytes()
    assert manifest["id"] == APP_ID and manifest["bots"][0]["botId"] == APP_ID
    assert PLACEHOLDER_ID not in json.dumps(manifest)


def test_teams_package_command(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TEAMS_")}
    out = tmp_path / "app.zip"
    done = subprocess.run(
        [sys.executable, "-m", "bot", "teams", "package", "--out", str(out)],
        env={**env, "TEAMS_CLIENT_ID": APP_ID},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert zipfile.ZipFile(out).read("manifest.json").decode().count(APP_ID) == 2
    missing = subprocess.run(
        [sys.executable, "-m", "bot", "teams", "package", "--out", str(out)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert missing.returncode == 2
    assert missing.stderr.strip().splitlines() == [
        "releasebot: TEAMS_CLIENT_ID is not set (needed by `releasebot teams package`)"
    ]
