"""Files for chat (bot.documents): built off the event loop, reused for the same request, day and
state version, one build for requests that arrive together; and the signed links (bot.links)."""

from __future__ import annotations

import asyncio
import copy
import threading
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

import bot.documents as documents_module
from bot.documents import DocumentFiles
from bot.links import DocumentLinks, LinkExpired, LinkTampered
from commands.documents.errors import DocumentError
from commands.documents.files import progress_request, report_request, rid_request, timeline_request
from domain.files import FileRequest
from domain.snapshot import Snapshot
from tests.helpers import SettableClock

DEMO_DAY = datetime(2020, 12, 4, 9, 0, tzinfo=UTC)


class Held:
    """A read model holding one snapshot, swapped by the test (a new state version)."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot


@pytest.fixture
def clock() -> SettableClock:
    c = SettableClock()
    c.set(DEMO_DAY)
    return c


def _files(snapshot: Snapshot, clock: SettableClock) -> tuple[DocumentFiles, Held]:
    held = Held(snapshot)
    return DocumentFiles(held, clock, processes=False), held  # type: ignore[arg-type]


async def test_same_request_same_state_is_built_once_and_a_new_version_rebuilds(
    demo_snapshot: Snapshot, clock: SettableClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    files, held = _files(demo_snapshot, clock)
    june = demo_snapshot.release("june-2021")
    assert june is not None
    threads: list[int] = []
    real = documents_module.file_model

    def recording(*args: Any) -> Any:
        threads.append(threading.get_ident())
        return real(*args)

    monkeypatch.setattr(documents_module, "file_model", recording)
    request = rid_request(june, "md")
    together = await asyncio.gather(*(files.build(request) for _ in range(5)))  # asked five times at once
    assert files.builds == 1 and len({b.data for b in together}) == 1
    assert threads and threading.get_ident() not in threads  # the model was built in a worker thread
    again = await files.build(request)
    assert files.builds == 1 and again.data == together[0].data
    # Another format, another day or another state version is another file.
    await files.build(rid_request(june, "docx"))
    assert files.builds == 2
    clock.set(DEMO_DAY + timedelta(days=1))
    await files.build(request)
    assert files.builds == 3
    newer = copy.copy(demo_snapshot)
    newer.version = demo_snapshot.version + 1
    held.snapshot = newer
    await files.build(request)
    assert files.builds == 4
    await files.stop()


async def test_every_kind_builds_and_a_vanished_release_is_a_document_error(
    demo_snapshot: Snapshot, clock: SettableClock
) -> None:
    files, _ = _files(demo_snapshot, clock)
    june = demo_snapshot.release("june-2021")
    assert june is not None
    built = {
        "md": (await files.build(rid_request(june, "md", versions=("1.0", "1.1")))).data,
        "report": (await files.build(report_request("panel", date(2020, 11, 6), "md"))).data,
        "timeline": (await files.build(timeline_request(june, date(2020, 12, 4)))).data,
        "progress": (await files.build(progress_request(date(2016, 12, 1)))).data,
    }
    assert b"1.0" in built["md"] and b"SEC Releases Update" in built["report"]
    assert built["timeline"].startswith(b"\x89PNG") and built["progress"].startswith(b"\x89PNG")
    gone = FileRequest("rid", "pdf", "Nowhere RID", "rid-nowhere.pdf", slug="march-2031")
    with pytest.raises(DocumentError):
        await files.build(gone)


def test_links_round_trip_and_refuse_tampering_expiry_and_other_secrets(clock: SettableClock) -> None:
    links = DocumentLinks(b"k" * 32, clock, timedelta(hours=1))
    request = FileRequest(
        "rid_diff",
        "pdf",
        "June 2021 SEC Release: RID changes 1.0 → 1.1",
        "rid-june-2021-diff-1.0-1.1.pdf",
        slug="june-2021",
        versions=("1.0", "1.1"),
    )
    token = links.token(request)
    assert links.read(token) == request
    assert "june" not in token.split(".")[1]  # the signature is not the payload
    with pytest.raises(LinkTampered):
        DocumentLinks(b"o" * 32, clock).read(token)  # another secret
    body, signature = token.split(".")
    for bad in (f"{body}x.{signature}", f"{body}.", "", "é.é", f"{body}.{signature}.x", "a" * 3000):
        with pytest.raises(LinkTampered):
            links.read(bad)
    clock.set(DEMO_DAY + timedelta(hours=1))
    with pytest.raises(LinkExpired):
        links.read(token)
    with pytest.raises(ValueError):
        DocumentLinks(b"short", clock)
