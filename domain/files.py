"""A file a reply hands over: which document or picture, in which format, named how.

A handler that is asked for a file (`/release june-2021 rid docx`) answers with a short reply
that carries one of these; the platform adapter builds the bytes off the event loop and uploads
them (Slack) or links them (Teams). It is data only, so the same request can be cached with the
reply, signed into a download link and rebuilt later.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

__all__ = ["FILE_FORMATS", "FILE_KINDS", "FileFormat", "FileKind", "FileRequest", "media_type"]

FileKind = Literal["rid", "rid_diff", "status", "panel", "timeline", "progress"]
FileFormat = Literal["docx", "pdf", "md", "png"]
FILE_KINDS: tuple[FileKind, ...] = ("rid", "rid_diff", "status", "panel", "timeline", "progress")
FILE_FORMATS: tuple[FileFormat, ...] = ("docx", "pdf", "md", "png")

_MEDIA_TYPES: dict[FileFormat, str] = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "md": "text/markdown; charset=utf-8",
    "png": "image/png",
}


def media_type(fmt: FileFormat) -> str:
    return _MEDIA_TYPES[fmt]


@dataclass(frozen=True, slots=True)
class FileRequest:
    """What to build: `slug` is the release's canonical slug ("" for documents across releases)."""

    kind: FileKind
    fmt: FileFormat
    title: str  # what people see: "June 2021 SEC Release RID v1.1"
    filename: str  # "rid-june-2021-v1.1.docx"
    slug: str = ""
    version: str | None = None  # rid: this version
    day: date | None = None  # rid: as of; status/progress: the month's first day; panel: since
    versions: tuple[str, str] | None = None  # rid_diff: (older, newer)

    @property
    def key(self) -> tuple[str, ...]:
        """What identifies the bytes at one state version (with the kind and format)."""
        return (
            self.slug,
            self.version or "",
            self.day.isoformat() if self.day else "",
            *(self.versions or ("", "")),
        )
