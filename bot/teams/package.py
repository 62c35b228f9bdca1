"""The app package Teams wants for sideloading: manifest.json with our app id, plus two icons, zipped.

`teams/manifest.json` in the repository carries a placeholder id; the Bot Framework app id
(TEAMS_CLIENT_ID) goes in as both the Teams app id and the bot id, so the package matches the bot
that `releasebot serve` runs as.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

__all__ = ["PLACEHOLDER_ID", "SOURCE", "build_package"]

PLACEHOLDER_ID = "00000000-0000-0000-0000-000000000000"
SOURCE = Path(__file__).resolve().parents[2] / "teams"
_FILES = ("manifest.json", "color.png", "outline.png")


def build_package(client_id: str, out: Path, source: Path = SOURCE) -> Path:
    """Write the zip to `out`; FileNotFoundError names what is missing from `source`."""
    missing = [name for name in _FILES if not (source / name).is_file()]
    if missing:
        raise FileNotFoundError(f"{source} has no {', '.join(missing)}")
    manifest = json.loads((source / "manifest.json").read_text(encoding="utf-8"))
    manifest["id"] = client_id
    for bot in manifest.get("bots", []):
        bot["botId"] = client_id
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
        for name in _FILES[1:]:
            archive.write(source / name, arcname=name)
    return out
