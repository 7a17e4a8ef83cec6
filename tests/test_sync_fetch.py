"""The web app's sync transport (httpx over the browser's fetch) on CPython, with a fake fetch: the real
server behind it for a whole pairing and sync, and faults for what the client must make of them. The browser's
own fetch is run by tests/web/test_sync_pwa.py."""

from __future__ import annotations

import asyncio
import gzip
import json

import httpx
import pytest

from app.clock import FixedClock
from app.errors import AppError
from app.services import Services
from app.sync.client import SyncHttp
from app.sync.fetch import FetchCall, FetchFailed, FetchTransport
from app.sync.protocol import MAX_RESPONSE, hosted_server
from tests.sync_world import NOW, SERVER, World

ENTRY = "Fetch canary 3e9a: we talked on the porch."


def run(coro):
    return asyncio.run(coro)


class Answer:
    """A fetch's answer: the body in chunks, counting how many were read and whether it was cancelled."""

    def __init__(self, status=200, headers=(), chunks=(), *, redirected=False, stall_after=None, cut_after=None):
        self.status, self.headers, self.redirected = status, list(headers), redirected
        self._chunks, self._stall_after, self._cut_after = list(chunks), stall_after, cut_after
        self.read = 0
        self.cancelled = False

    async def chunks(self):
        for i, chunk in enumerate(self._chunks):
            if i == self._stall_after:
                await asyncio.sleep(3600)
            if i == self._cut_after:
                raise FetchFailed("TypeError")
            self.read += 1
            yield chunk

    async def cancel(self):
        self.cancelled = True


class AsgiFetch:
    """fetch as the browser does it, answered by the real server's app (httpx's ASGI transport); records
    every call."""

    def __init__(self, app):
        self.inner = httpx.ASGITransport(app=app)
        self.calls: list[FetchCall] = []

    async def __call__(self, call: FetchCall) -> Answer:
        self.calls.append(call)
        request = httpx.Request(call.method, call.url, headers=call.headers, content=call.body)
        response = await self.inner.handle_async_request(request)
        body = await response.aread()
        return Answer(response.status_code, response.headers.multi_items(), [body[:100], body[100:]])


def _health_error(fetch) -> AppError:
    """What the client makes of the health check's answer through this fetch."""
    async def go():
        async with httpx.AsyncClient(transport=FetchTransport(fetch)) as client:
            with pytest.raises(AppError) as err:
                await SyncHttp(client, SERVER).health()
        return err.value
    return run(go())


def _request(timeout: float = 5.0) -> httpx.Request:
    return httpx.Request("GET", SERVER + "/api/v1/health", extensions={"timeout": {
        "connect": timeout, "read": timeout, "write": timeout, "pool": timeout}})


def test_a_whole_pairing_and_sync_go_through_fetch(tmp_path):
    world = World(tmp_path)
    fetch = AsgiFetch(world.app)
    services = Services(tmp_path / "phone", clock=FixedClock(NOW, zone="UTC"),
                        http=lambda: httpx.AsyncClient(transport=FetchTransport(fetch)))

    async def go():
        await services.start()
        family = world.family()
        await services.sharing.pair(server=SERVER, code=world.code(family), name="Ana")
        entry = (await services.journal.save_entry(body=ENTRY)).entry
        await services.sharing.set_shared("journal_entry", entry.id, True)
        world.api.send(family, "message", {"body": "Thinking of you."})
        report = await services.sharing.sync_now()
        assert report.error is None and report.sent == 1 and report.received == 1
        assert world.api.records(family)[entry.id]["data"]["body"] == ENTRY
        assert [m.data["body"] for d, m in (await services.sharing.conversation()).messages if d == "in"] == \
            ["Thinking of you."]
        await services.close()
    run(go())
    sent = {k.lower() for call in fetch.calls for k, _v in call.headers}
    assert "authorization" in sent and "regroup-protocol" in sent
    assert not sent & {"host", "content-length", "accept-encoding", "connection", "user-agent"}  # fetch's own


def test_a_fetch_that_gets_no_answer_is_an_unreachable_server():
    async def refused(call):
        raise FetchFailed("TypeError")

    assert _health_error(refused).code == "server_unreachable"


def test_no_answer_in_time_is_a_timeout_and_the_fetch_is_aborted():
    aborted = []

    async def silent(call):
        call.abort = lambda: aborted.append(True)
        await asyncio.sleep(3600)

    async def go():
        with pytest.raises(httpx.ConnectTimeout):
            await FetchTransport(silent).handle_async_request(_request(0.05))
    run(go())
    assert aborted == [True]
    assert issubclass(httpx.ConnectTimeout, httpx.TransportError)


@pytest.mark.parametrize("fault, error", [({"stall_after": 1}, httpx.ReadTimeout), ({"cut_after": 1}, httpx.ReadError)])
def test_a_body_that_stalls_or_breaks_is_a_transport_error(fault, error):
    answer = Answer(200, [("content-type", "application/json")], [b'{"status"', b': "ok"}'], **fault)

    async def fetch(call):
        return answer

    async def go():
        response = await FetchTransport(fetch).handle_async_request(_request(0.05))
        with pytest.raises(error):
            await response.aread()
    run(go())


def test_the_clients_size_cap_stops_reading_and_cancels_the_body():
    chunk = b"x" * (1024 * 1024)
    answer = Answer(200, [("content-type", "application/json")], [chunk] * 20)

    async def fetch(call):
        return answer

    err = _health_error(fetch)
    assert err.code == "server_error" and "too large" in err.detail
    assert answer.read == MAX_RESPONSE // len(chunk) + 1 and answer.cancelled


def test_a_redirect_the_browser_hid_is_still_refused():
    async def fetch(call):
        return Answer(0, [], [], redirected=True)

    err = _health_error(fetch)
    assert err.code == "server_error" and "redirect" in err.detail


def test_a_body_the_browser_already_decompressed_is_not_decoded_again():
    body = json.dumps({"status": "ok"}).encode()

    async def fetch(call):
        return Answer(200, [("Content-Encoding", "gzip"), ("Content-Length", str(len(gzip.compress(body))))], [body])

    async def go():
        response = await FetchTransport(fetch).handle_async_request(_request())
        assert await response.aread() == body
        assert "content-encoding" not in response.headers and "content-length" not in response.headers
    run(go())


@pytest.mark.parametrize("page, server", [
    ("http://127.0.0.1:8700/app/", "http://127.0.0.1:8700"),
    ("http://127.0.0.1:8700/app/sharing?x=1", "http://127.0.0.1:8700"),
    ("https://regroup.practice.example/app", "https://regroup.practice.example"),
    ("https://practice.example/regroup/app/journal", "https://practice.example/regroup"),
    ("http://127.0.0.1:8650/", None),                 # make serve-web: not a specialist's server
    ("http://127.0.0.1:8650/journal", None),
    ("http://192.168.1.20:8700/app/", None),          # plain http to another machine: never
    ("file:///tmp/index.html", None),
    ("", None),
    (None, None),
])
def test_the_hosting_server_is_read_from_the_pages_address(page, server):
    assert hosted_server(page) == server


@pytest.mark.parametrize("typed", ["https://regroup.other.example", "http://localhost:8700", "http://127.0.0.1:9999"])
def test_in_the_browser_pairing_elsewhere_is_refused_before_anything_is_sent(tmp_path, typed):
    sent = []

    async def fetch(call):
        sent.append(call)
        raise FetchFailed("TypeError")

    services = Services(tmp_path / "phone", clock=FixedClock(NOW, zone="UTC"),
                        http=lambda: httpx.AsyncClient(transport=FetchTransport(fetch)))
    services.sharing.opened_in_browser_at("http://127.0.0.1:8700/app/sharing")
    assert services.sharing.hosting_server == "http://127.0.0.1:8700"

    async def go():
        await services.start()
        with pytest.raises(AppError) as err:
            await services.sharing.pair(server=typed, code="ABCD-EFGH-JKLM", name="Ana")
        assert err.value.code == "pair_server_elsewhere"
        with pytest.raises(AppError) as err:  # the same origin, another spelling: tried (and here unreachable)
            await services.sharing.pair(server="http://127.0.0.1:8700/", code="ABCD-EFGH-JKLM", name="Ana")
        assert err.value.code == "server_unreachable"
        await services.close()
    run(go())
    assert [c.url for c in sent] == ["http://127.0.0.1:8700/api/v1/health"]
