"""httpx over the browser's fetch: the web build's transport (Pyodide has no sockets).

`FetchTransport` turns an httpx request into one fetch and the answer back into an httpx response, so
`app/sync/client.py` runs unchanged: a network failure is an `httpx.ConnectError` (a fetch that never got an
answer is the same as an unreachable server: offline, refused, blocked by the page's CSP), a timeout an
`httpx.ConnectTimeout` (no answer in time) or `httpx.ReadTimeout` (the body stalled), both `TransportError`s.
The body is handed over chunk by chunk as the browser reads it, so the client's size cap (`_read_capped`)
stops a huge answer without holding it all; closing the response cancels the read.

The fetch itself is injected (`fetch`): `browser_fetch` in the web build, a fake in the CPython tests.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import AsyncIterator, Awaitable, Callable, Protocol

import httpx

# Headers fetch sets itself (or refuses to be given): sent by httpx, dropped here.
REQUEST_DROPS = frozenset({"host", "content-length", "connection", "accept-encoding", "user-agent",
                           "transfer-encoding", "keep-alive"})
DEFAULT_S = 30.0


class FetchAnswer(Protocol):
    """What a fetch gives back: the status, the headers, and the body as chunks."""

    status: int
    redirected: bool          # fetch with redirect "manual" answers an opaque redirect: status 0
    headers: list[tuple[str, str]]

    def chunks(self) -> AsyncIterator[bytes]: ...

    async def cancel(self) -> None: ...


@dataclass
class FetchCall:
    method: str
    url: str
    headers: list[tuple[str, str]]
    body: bytes | None
    abort: Callable[[], None] = field(default=lambda: None)  # set by the fetch: cancels it in flight


Fetch = Callable[[FetchCall], Awaitable[FetchAnswer]]


class FetchFailed(Exception):
    """The fetch rejected: no answer (offline, refused, blocked). Raised by the fetch adapter."""


def _timeouts(request: httpx.Request) -> tuple[float | None, float | None]:
    """(seconds to the answer's headers, seconds between body chunks) from httpx's timeout extension."""
    t = request.extensions.get("timeout") or {}
    connect, read, write = t.get("connect", DEFAULT_S), t.get("read", DEFAULT_S), t.get("write", DEFAULT_S)
    if connect is None or read is None:
        return None, read
    return connect + read + (write or 0), read


def _response_headers(answer: FetchAnswer) -> list[tuple[str, str]]:
    """The browser has already undone any content-encoding: its header (and the encoded length) would make
    httpx decode twice, so both go."""
    encoded = any(k.lower() == "content-encoding" for k, _v in answer.headers)
    return [(k, v) for k, v in answer.headers
            if k.lower() != "content-encoding" and not (encoded and k.lower() == "content-length")]


class _FetchStream(httpx.AsyncByteStream):
    def __init__(self, answer: FetchAnswer, request: httpx.Request, read_s: float | None, abort):
        self._answer, self._request, self._read_s, self._abort = answer, request, read_s, abort

    async def __aiter__(self) -> AsyncIterator[bytes]:
        chunks = self._answer.chunks().__aiter__()
        while True:
            try:
                chunk = await asyncio.wait_for(chunks.__anext__(), self._read_s)
            except StopAsyncIteration:
                return
            except asyncio.TimeoutError:
                self._abort()
                raise httpx.ReadTimeout("the answer stalled", request=self._request) from None
            except FetchFailed as exc:
                raise httpx.ReadError(str(exc) or "the answer was cut off", request=self._request) from None
            yield bytes(chunk)

    async def aclose(self) -> None:
        try:
            await self._answer.cancel()
        except Exception:  # noqa: BLE001 - already finished or failed: nothing to cancel
            pass


class FetchTransport(httpx.AsyncBaseTransport):
    def __init__(self, fetch: Fetch | None = None):
        self._fetch = fetch or browser_fetch

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        body = await request.aread()
        headers = [(k, v) for k, v in request.headers.multi_items() if k.lower() not in REQUEST_DROPS]
        call = FetchCall(request.method, str(request.url), headers, body or None)
        answer_s, read_s = _timeouts(request)
        try:
            answer = await asyncio.wait_for(self._fetch(call), answer_s)
        except asyncio.TimeoutError:
            call.abort()
            raise httpx.ConnectTimeout("no answer in time", request=request) from None
        except FetchFailed as exc:
            raise httpx.ConnectError(str(exc) or "no answer", request=request) from None
        status = answer.status
        if answer.redirected:  # the client refuses redirects; the browser hides where it pointed
            status = 302
        return httpx.Response(status, headers=_response_headers(answer),
                              stream=_FetchStream(answer, request, read_s, call.abort), request=request)


# --- the browser's fetch (Pyodide only; exercised by tests/web/test_sync_pwa.py) ---------------------------

class _BrowserAnswer:
    def __init__(self, response, reader):
        self._reader = reader
        self.status = int(response.status)
        self.redirected = response.type == "opaqueredirect"
        self.headers = [(str(k), str(v)) for k, v in response.headers.entries()]

    async def chunks(self) -> AsyncIterator[bytes]:
        if self._reader is None:
            return
        while True:
            try:
                part = await self._reader.read()
            except Exception as exc:  # noqa: BLE001 - a JS error: the connection broke mid-answer
                raise FetchFailed(type(exc).__name__) from None
            if part.done:
                return
            yield part.value.to_bytes()

    async def cancel(self) -> None:
        if self._reader is not None:
            await self._reader.cancel()


async def browser_fetch(call: FetchCall) -> FetchAnswer:
    """One `fetch` in the page's worker: no cookies, no cache, redirects not followed (the client refuses
    them), aborted through an AbortController on a timeout."""
    import js  # Pyodide only
    from pyodide.ffi import to_js

    controller = js.AbortController.new()
    call.abort = lambda: controller.abort()
    headers = js.Headers.new()
    for name, value in call.headers:
        headers.append(name, value)
    options = {"method": call.method, "headers": headers, "redirect": "manual", "cache": "no-store",
               "credentials": "omit", "signal": controller.signal}
    if call.body is not None:
        options["body"] = to_js(call.body)
    try:
        response = await js.fetch(call.url, to_js(options, dict_converter=js.Object.fromEntries))
    except Exception as exc:  # noqa: BLE001 - fetch rejects with a TypeError for every network failure
        raise FetchFailed(type(exc).__name__) from None
    reader = response.body.getReader() if response.body else None
    return _BrowserAnswer(response, reader)
