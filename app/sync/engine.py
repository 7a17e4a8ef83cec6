"""The app's side of SYNC.md: pair, push until the outbox is empty, pull until done, unpair; with backoff.

Database work runs on the store's thread (each step one transaction); the network runs on this
task, so the person keeps writing during a sync. Only one sync runs at a time. A record edited
while its op is in flight gets a new op, sent after the first is answered: nothing is lost.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import random
from dataclasses import dataclass
from typing import Callable

import httpx

from app.errors import AppError
from app.runtime import Runtime
from app.store import inbox, outbox
from app.sync.client import RateLimited, ResyncRequired, SyncHttp
from app.sync.protocol import (PULL_LIMIT, clean_device_name, client_is_too_old, normalize_code, normalize_server,
                               origin_of)
from app.sync.tokens import TokenKeeper

log = logging.getLogger("regroup.sync")
BACKOFF_BASE_S, BACKOFF_CAP_S = 5.0, 15 * 60.0
MAX_PUSH_ROUNDS, MAX_PULL_PAGES = 1_000, 2_000
RETRYABLE = ("server_unreachable", "server_error", "rate_limited")


@dataclass(frozen=True)
class SyncReport:
    """What one run did: its outcome code (None when all went through), and what moved."""

    error: str | None = None   # an error code (app.errors.CODES), None when all went through
    skipped: str | None = None  # "not_paired" or "locked": nothing was tried
    sent: int = 0
    received: int = 0
    refused: int = 0
    retry_at: str | None = None


def backoff_seconds(attempt: int, rng: Callable[[], float] = random.random, retry_after: int | None = None) -> float:
    """Exponential with jitter (half to full), capped; never sooner than the server's Retry-After."""
    delay = min(BACKOFF_CAP_S, BACKOFF_BASE_S * 2 ** max(0, attempt - 1)) * (0.5 + rng() / 2)
    return max(delay, float(retry_after or 0))


class SyncEngine:
    def __init__(self, rt: Runtime, *, http: Callable[[], httpx.AsyncClient], tokens: TokenKeeper,
                 unlocked: Callable[[], contextlib.AbstractAsyncContextManager] | None = None,
                 rng: Callable[[], float] = random.random):
        self._rt, self._http, self._tokens, self._rng = rt, http, tokens, rng
        # Sync reads what the person wrote, so it runs only while unlocked; a lock waits for it to end.
        self._unlocked = unlocked or contextlib.nullcontext
        self._lock = asyncio.Lock()
        self.attempt = 0
        self.running = False
        # In the web app, the page's address: its origin is the only server its policy (connect-src 'self')
        # lets fetch reach.
        self.only_origin: str | None = None

    # --- pairing ------------------------------------------------------------------------------

    async def pair(self, server: str, code: str, name: str) -> outbox.Connection:
        """Check the input, the server and the code; keep the token; every local record stays as it was."""
        server, code, name = normalize_server(server), normalize_code(code), clean_device_name(name)
        if self.only_origin and origin_of(server) != origin_of(self.only_origin):
            raise AppError("pair_server_elsewhere")  # said before the browser blocks it as "unreachable"
        current = await self._rt.run(outbox.get_connection)
        if current is not None and current.status != "closed":
            raise AppError("already_paired")
        async with self._http() as client:
            api = SyncHttp(client, server)
            health = await api.health()
            if client_is_too_old(health["min_client_version"]):
                raise AppError("client_too_old", health["min_client_version"])
            paired = await api.pair(code, name)

        def save(s):
            if current is not None:  # a connection that ended (401) gives way to the new one
                outbox.forget_connection(s)
            outbox.save_pairing(s, server_url=server, device_id=paired["device_id"], member_id=paired["member_id"],
                                family_id=paired["family_id"], name=name)
            self._tokens.save(s, paired["token"])
            return outbox.get_connection(s)
        self.attempt = 0
        return await self._rt.run(save)

    # --- a sync run ------------------------------------------------------------------------------

    async def sync(self) -> SyncReport:
        """Push, then pull; one run at a time. Errors become the report's code (and a retry time)."""
        async with self._lock:
            self.running = True
            try:
                async with self._unlocked():
                    return await self._sync()
            except AppError as exc:
                if exc.code == "locked":
                    return SyncReport(skipped="locked")
                raise
            finally:
                self.running = False

    async def _sync(self) -> SyncReport:
        conn = await self._rt.run(outbox.get_connection)
        if conn is None:
            return SyncReport(skipped="not_paired")
        if conn.status == "closed":
            return SyncReport(error="connection_closed")
        token = await self._rt.run(self._tokens.load)
        try:
            async with self._http() as client:
                api = SyncHttp(client, conn.server_url, token)
                if conn.status == "unpairing":
                    await self._finish_unpair(api, bool(conn.unpair_erase))
                    return SyncReport()
                sent, refused = await self._push(api)
                received = await self._pull(api)
        except AppError as exc:
            return await self._failed(exc)
        self.attempt = 0
        await self._rt.run(lambda s: outbox.note_attempt(s, sent=True, pulled=True))
        return SyncReport(sent=sent, received=received, refused=refused)

    async def _push(self, api: SyncHttp, *, withdrawals_only: bool = False) -> tuple[int, int]:
        sent = refused = 0
        for _ in range(MAX_PUSH_ROUNDS):
            batch = await self._rt.run(lambda s: outbox.prepare_batch(s, withdrawals_only=withdrawals_only))
            if batch is None:
                break
            results = await api.push(batch.body, [op["op_id"] for op in batch.ops])
            counts = await self._rt.run(lambda s: outbox.apply_results(s, batch, results))
            refused += counts.get("rejected", 0)
            sent += len(results) - counts.get("rejected", 0)
        return sent, refused

    async def _pull(self, api: SyncHttp) -> int:
        received, restarted = 0, False
        for _ in range(MAX_PULL_PAGES):
            conn = await self._rt.run(outbox.get_connection)
            try:
                page = await api.pull(conn.cursor, PULL_LIMIT)
            except ResyncRequired:
                if restarted:
                    raise AppError("server_error", "410 twice") from None
                restarted = True
                await self._rt.run(inbox.reset_cursor)
                continue
            received += await self._rt.run(lambda s: inbox.apply_pull(s, page.changes, page.next_cursor))
            if not page.has_more:
                break
        return received

    async def _failed(self, exc: AppError) -> SyncReport:
        if exc.code == "connection_closed":
            log.info("sync: the server no longer knows this phone")
            await self._rt.run(outbox.mark_closed)
            await self._rt.run(self._tokens.clear)
            return SyncReport(error="connection_closed")
        if exc.code not in RETRYABLE:
            log.error("sync failed: %s", exc.code)
        self.attempt += 1
        wait = backoff_seconds(self.attempt, self._rng, exc.retry_after if isinstance(exc, RateLimited) else None)
        retry_at = self._rt.clock.now() + dt.timedelta(seconds=wait)
        stamp = retry_at.astimezone(dt.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")
        log.info("sync: %s; next try in %.0f s", exc.code, wait)
        await self._rt.run(lambda s: outbox.note_attempt(s, error=exc.code, retry_at=stamp))
        return SyncReport(error=exc.code, retry_at=stamp)

    # --- unpairing ------------------------------------------------------------------------------

    async def unpair(self, *, erase: bool) -> str:
        """`done` (the server heard, or no longer knew this phone), or `queued` (offline: tried again later)."""
        async with self._lock:
            conn = await self._rt.run(outbox.get_connection)
            if conn is None:
                raise AppError("not_paired")
            if conn.status == "closed":
                await self._forget()
                return "done"
            token = await self._rt.run(self._tokens.load)
            try:
                async with self._http() as client:
                    await self._finish_unpair(SyncHttp(client, conn.server_url, token), erase)
            except AppError as exc:
                if exc.code not in RETRYABLE:
                    raise
                await self._rt.run(lambda s: outbox.mark_unpairing(s, erase=erase))
                return "queued"
            return "done"

    async def _finish_unpair(self, api: SyncHttp, erase: bool) -> None:
        try:
            if not erase:
                # What the person deleted or stopped sharing must leave the specialist's view before the
                # phone goes quiet for good (found by the sharing model: a deleted entry stayed visible).
                # Waiting upserts stay unsent: leaving is not the moment to share more.
                await self._push(api, withdrawals_only=True)
            await api.unpair(erase)
        except AppError as exc:
            if exc.code != "connection_closed":  # 401: the server no longer knows this phone; nothing to undo
                raise
        await self._forget()

    async def _forget(self) -> None:
        def work(s):
            outbox.forget_connection(s)
            self._tokens.clear(s)
        await self._rt.run(work)
        self.attempt = 0
