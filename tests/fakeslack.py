"""A fake Slack Web API (and response_url sink) on an ephemeral loopback port.

It records every call, answers with scripted replies (429 with Retry-After, 500, ok:false) when
told to, and lets a test wait for a call with an event instead of sleeping. Used by the Slack
adapter tests, the reminder sender tests and the benchmarks.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from tests.servers import serve

__all__ = ["Call", "FakeSlack", "Uploaded"]


@dataclass
class Call:
    method: str  # "chat.postMessage", or "response" for a response_url post
    body: dict[str, Any]
    headers: dict[str, str]
    at: float = field(default_factory=time.monotonic)
    raw: bytes = b""  # an upload's bytes, exactly as sent


@dataclass(frozen=True)
class Uploaded:
    """A file that went through the whole files_upload_v2 flow: URL asked for, bytes sent, upload completed."""

    file_id: str
    filename: str
    title: str
    channel: str
    thread_ts: str
    data: bytes


class FakeSlack:
    """`async with FakeSlack() as slack:` then point SLACK_API_URL at `slack.api_url`."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self._scripted: defaultdict[str, deque[tuple[int, dict[str, Any], dict[str, str]]]] = defaultdict(deque)
        self._every: dict[str, tuple[int, int, dict[str, Any], dict[str, str]]] = {}
        self._counts: defaultdict[str, int] = defaultdict(int)
        self._changed = asyncio.Condition()
        self._ts = 0
        self._upload_count = 0
        self._filenames: dict[str, str] = {}
        self.base = ""
        self.api_url = ""
        self.socket_url = "ws://127.0.0.1:9/never"  # set by a test that fakes Socket Mode
        self.files: dict[str, tuple[str, bytes]] = {}  # file id -> (name, content), for files.info and downloads
        self.token = "xoxb-test"  # what a download must present

    # -- control ---------------------------------------------------------------------------

    def script(
        self, method: str, status: int = 200, body: dict[str, Any] | None = None, headers: dict[str, str] | None = None
    ) -> None:
        """The next call to `method` gets this answer (queued, first in first out)."""
        self._scripted[method].append((status, body if body is not None else {"ok": True}, headers or {}))

    def every(
        self,
        method: str,
        n: int,
        status: int,
        body: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        """Every n-th call to `method` gets this answer (e.g. a 429 every 5th call)."""
        self._every[method] = (n, status, body or {"ok": False, "error": "ratelimited"}, headers or {})

    def add_file(self, file_id: str, name: str, content: str | bytes) -> dict[str, Any]:
        """A file someone shared; returns the `files` entry of its file_share message event."""
        self.files[file_id] = (name, content.encode() if isinstance(content, str) else content)
        return {"id": file_id, "name": name, "mimetype": "text/yaml", "filetype": "yaml"}

    def response_url(self, name: str = "r1") -> str:
        return f"{self.base}/response/{name}"

    def uploads(self) -> list[Uploaded]:
        """Completed uploads, in the order completed (a file uploaded but never completed is not shared)."""
        sent = {c.body["file_id"]: c.raw for c in self.calls_to("upload")}
        done = []
        for call in self.calls_to("files.completeUploadExternal"):
            for f in call.body.get("files") or []:
                file_id = str(f.get("id", ""))
                done.append(
                    Uploaded(
                        file_id,
                        self._filenames.get(file_id, ""),
                        str(f.get("title", "")),
                        str(call.body.get("channel_id", "")),
                        str(call.body.get("thread_ts", "")),
                        sent.get(file_id, b""),
                    )
                )
        return done

    def calls_to(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    async def wait_for(self, method: str, count: int = 1, timeout: float = 10.0) -> list[Call]:
        """Wait until `count` calls to `method` arrived (no sleeping: woken by each call)."""

        async def enough() -> list[Call]:
            async with self._changed:
                await self._changed.wait_for(lambda: len(self.calls_to(method)) >= count)
            return self.calls_to(method)

        return await asyncio.wait_for(enough(), timeout)

    # -- life cycle ------------------------------------------------------------------------

    async def __aenter__(self) -> FakeSlack:
        app = Starlette(
            routes=[
                Route("/api/{method}", self._api, methods=["GET", "POST"]),
                Route("/response/{name}", self._response, methods=["POST"]),
                Route("/hooks/{name}", self._response, methods=["POST"]),
                Route("/upload/{name}", self._upload, methods=["POST"]),
                Route("/files/{file_id}/{name}", self._download, methods=["GET"]),
            ]
        )
        self._serving = serve(app)
        self.base = await self._serving.__aenter__()
        self.api_url = f"{self.base}/api/"
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._serving.__aexit__(None, None, None)

    # -- handlers --------------------------------------------------------------------------

    async def _record(self, method: str, request: Request) -> dict[str, Any]:
        raw = await request.body()
        if "json" in request.headers.get("content-type", ""):
            body = json.loads(raw or b"{}")
        else:
            body = dict(parse_qsl(raw.decode()))
        body.update(dict(request.query_params))
        for key in ("blocks", "attachments", "view", "files"):  # form-encoded calls carry JSON strings
            if isinstance(body.get(key), str):
                with contextlib.suppress(ValueError):
                    body[key] = json.loads(body[key])
        async with self._changed:
            self.calls.append(Call(method, body, dict(request.headers)))
            self._changed.notify_all()
        return body

    async def _api(self, request: Request) -> Response:
        method = request.path_params["method"]
        body = await self._record(method, request)
        self._counts[method] += 1
        if self._scripted[method]:
            status, answer, headers = self._scripted[method].popleft()
            return JSONResponse(answer, status_code=status, headers=headers)
        if method in self._every:
            n, status, answer, headers = self._every[method]
            if self._counts[method] % n == 0:
                return JSONResponse(answer, status_code=status, headers=headers)
        return JSONResponse(self._default(method, body))

    def _default(self, method: str, body: dict[str, Any]) -> dict[str, Any]:
        if method == "files.getUploadURLExternal":
            self._upload_count += 1
            file_id = f"F0FILE{self._upload_count:03d}"
            self._filenames[file_id] = str(body.get("filename", ""))
            return {"ok": True, "upload_url": f"{self.base}/upload/{file_id}", "file_id": file_id}
        if method == "files.completeUploadExternal":
            files = body.get("files") if isinstance(body.get("files"), list) else []
            return {"ok": True, "files": [{"id": f.get("id"), "title": f.get("title")} for f in files]}
        if method == "files.info":
            found = self.files.get(str(body.get("file", "")))
            if found is None:
                return {"ok": False, "error": "file_not_found"}
            file_id, (name, content) = str(body["file"]), found
            url = f"{self.base}/files/{file_id}/{name}"
            return {
                "ok": True,
                "file": {"id": file_id, "name": name, "size": len(content), "url_private_download": url},
            }
        if method == "apps.connections.open":
            return {"ok": True, "url": self.socket_url}
        if method == "auth.test":
            return {
                "ok": True,
                "team_id": "T0TEAM",
                "user_id": "U0BOT",
                "bot_id": "B0BOT",
                "url": "https://fake.slack.test/",
            }
        if method in ("chat.postMessage", "chat.update", "chat.postEphemeral"):
            self._ts += 1
            return {
                "ok": True,
                "channel": body.get("channel", ""),
                "ts": body.get("ts") or f"1700000000.{self._ts:06d}",
                "message": {"text": body.get("text", "")},
            }
        if method in ("views.open", "views.publish", "views.update"):
            return {"ok": True, "view": {"id": "V0VIEW", **(body.get("view") or {})}}
        if method == "users.info":
            return {"ok": True, "user": {"id": body.get("user"), "real_name": f"User {body.get('user')}"}}
        if method == "conversations.open":
            return {"ok": True, "channel": {"id": "D" + str(body.get("users", "U0"))[1:]}}
        return {"ok": True}

    async def _upload(self, request: Request) -> Response:
        raw = await request.body()
        file_id = request.path_params["name"]
        body = {"content": raw.decode("utf-8", "replace"), "file_id": file_id}
        async with self._changed:
            self.calls.append(Call("upload", body, dict(request.headers), raw=raw))
            self._changed.notify_all()
        return PlainTextResponse("OK - uploaded")

    async def _download(self, request: Request) -> Response:
        """A file's content, to the bot token only (as Slack serves url_private_download)."""
        async with self._changed:
            self.calls.append(Call("download", dict(request.path_params), dict(request.headers)))
            self._changed.notify_all()
        if request.headers.get("authorization") != f"Bearer {self.token}":
            return PlainTextResponse("not allowed", status_code=403)
        found = self.files.get(request.path_params["file_id"])
        if found is None:
            return PlainTextResponse("gone", status_code=404)
        return Response(found[1], media_type="application/octet-stream")

    async def _response(self, request: Request) -> Response:
        await self._record("response", request)
        if self._scripted["response"]:
            status, answer, headers = self._scripted["response"].popleft()
            return JSONResponse(answer, status_code=status, headers=headers)
        return PlainTextResponse("ok")
