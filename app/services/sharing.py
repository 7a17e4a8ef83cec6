"""Sharing use-cases: pair, share or stop sharing, see what the specialist sees, sync, messages, unpair."""

from __future__ import annotations

from dataclasses import dataclass

from app.errors import AppError
from app.journal import check_text
from app.runtime import Runtime
from app.store import Store, inbox, outbox
from app.store.settings import get_settings, save_settings
from app.sync.engine import SyncEngine, SyncReport
from app.sync.protocol import hosted_server, parse_pair_link
from app.sync.scheduler import SyncScheduler

DEFAULT_KINDS = {"checkin": "share_checkins", "wellbeing": "share_wellbeing", "journey_progress": "share_progress"}


@dataclass(frozen=True)
class SharingStatus:
    """The sharing screen's state, read in one trip."""

    state: str                 # none, active, closed (the server no longer knows this phone), unpairing
    server: str | None
    name: str | None
    waiting: int
    refused: int
    last_sent_at: str | None
    last_pulled_at: str | None
    last_error: str | None
    retry_at: str | None
    unread: int
    defaults: dict[str, bool]  # checkin, wellbeing, journey_progress
    closed_at: str | None

    @property
    def paired(self) -> bool:
        return self.state in ("active", "unpairing")


@dataclass(frozen=True)
class Conversation:
    """Messages both ways, oldest first, and what else the specialist sent."""

    messages: list[tuple[str, object]]   # ("in", inbox.Received) or ("out", inbox.SentMessage)
    recommendations: list[inbox.Received]
    feedback: list[inbox.Received]
    unread: int


def _status(s: Store, running: bool) -> SharingStatus:
    conn = outbox.get_connection(s)
    box = outbox.outbox_state(s)
    settings = get_settings(s)
    defaults = {kind: bool(getattr(settings, key)) for kind, key in DEFAULT_KINDS.items()}
    if conn is None:
        return SharingStatus("none", None, None, 0, 0, None, None, None, None, inbox.unread_count(s), defaults, None)
    return SharingStatus(conn.status, conn.server_url, outbox.device_name(s), box.waiting, box.refused,
                         conn.last_sent_at, conn.last_pulled_at, conn.last_error, conn.retry_at,
                         inbox.unread_count(s), defaults, conn.closed_at)


class SharingService:
    def __init__(self, rt: Runtime, engine: SyncEngine, scheduler: SyncScheduler):
        self._rt, self.engine, self.scheduler = rt, engine, scheduler
        rt.on_outbox = scheduler.poke
        self.hosting_server: str | None = None  # the web app served by the specialist's server: its address

    def opened_in_browser_at(self, page_url: str) -> None:
        """The web app: pair only with the page's own origin (its policy lets fetch reach no other), and
        offer the hosting server's address when the specialist's server served the app at /app/."""
        self.engine.only_origin = page_url or "about:blank"  # no address: no server at all
        self.hosting_server = hosted_server(page_url)

    async def status(self) -> SharingStatus:
        return await self._rt.run(lambda s: _status(s, self.engine.running))

    async def pair(self, *, server: str, code: str, name: str) -> SharingStatus:
        """Pair with a typed address and code; a first sync follows at once."""
        await self.engine.pair(server, code, name)
        await self.scheduler.run_now()
        return await self.status()

    async def pair_with_link(self, link: str, *, name: str) -> SharingStatus:
        parsed = parse_pair_link(link)
        return await self.pair(server=parsed.server, code=parsed.code, name=name)

    async def sync_now(self) -> SyncReport:
        return await self.scheduler.run_now()

    async def unpair(self, *, erase: bool) -> str:
        """`done`, or `queued` when the server could not be reached (tried again at the next sync)."""
        return await self.engine.unpair(erase=erase)

    # What erasing everything on the phone asks first (app.services.privacy.Unpairing).
    async def is_paired(self) -> bool:
        return (await self.status()).state in ("active", "unpairing")

    def before_erasing(self) -> "UnpairFirst":
        return UnpairFirst(self)


    async def set_shared(self, entity: str, record_id: str, shared: bool) -> outbox.Mark:
        def work(s: Store) -> outbox.Mark:
            outbox.set_shared(s, entity, record_id, shared)
            return outbox.marks(s, entity, [record_id])[record_id]
        return await self._rt.run(work)

    async def marks(self, entity: str, ids: list[str]) -> dict[str, outbox.Mark]:
        return await self._rt.run(lambda s: outbox.marks(s, entity, ids))

    async def worksheet_mark(self, step_id: str) -> tuple[str | None, outbox.Mark | None]:
        """A step's worksheet record id and its sharing state (None, None before it is filled in)."""
        def work(s: Store):
            rid = outbox.worksheet_id(s, step_id)
            return (rid, outbox.marks(s, "worksheet", [rid]).get(rid)) if rid else (None, None)
        return await self._rt.run(work)

    async def worksheet_steps(self) -> dict[str, str]:
        return await self._rt.run(outbox.worksheet_steps)

    def listen(self, callback) -> callable:
        """Be told after each sync run (a screen refreshes its status); returns the way to stop listening."""
        return self.scheduler.listen(callback)

    async def set_journey_shared(self, journey_id: str, shared: bool) -> None:
        await self._rt.run(lambda s: outbox.set_journey_shared(s, journey_id, shared))

    async def journey_shared(self, journey_id: str) -> bool:
        return await self._rt.run(lambda s: outbox.journey_shared(s, journey_id))

    async def count_unshared(self, kind: str) -> int:
        """How many existing records of a kind are not shared (asked before a default is turned on)."""
        return await self._rt.run(lambda s: outbox.count_unshared(s, kind))

    async def set_default(self, kind: str, on: bool, *, include_existing: bool = False) -> SharingStatus:
        """Share new check-ins (WHO-5 results, journey progress) from now on; and, if asked, the ones there are."""
        def work(s: Store) -> SharingStatus:
            save_settings(s, **{DEFAULT_KINDS[kind]: on})
            if on and include_existing and kind != "journey_progress":
                outbox.share_existing(s, kind)
            elif on and include_existing:
                for journey in outbox.journeys_with_progress(s):
                    outbox.set_journey_shared(s, journey, True)
            return _status(s, self.engine.running)
        return await self._rt.run(work)

    async def shared_items(self) -> list[outbox.SharedRecord]:
        return await self._rt.run(outbox.list_shared)

    async def refused_items(self) -> list[tuple[str, str, str]]:
        return await self._rt.run(outbox.list_refused)

    async def dismiss_refusals(self) -> None:
        await self._rt.run(outbox.dismiss_refusals)

    async def conversation(self) -> Conversation:
        def work(s: Store) -> Conversation:
            received = inbox.list_received(s)
            sent = inbox.list_sent(s)
            messages = [("in", r) for r in received if r.entity == "message"] + [("out", m) for m in sent]
            messages.sort(key=lambda m: m[1].data.get("created_at", m[1].received_at) if m[0] == "in"
                          else m[1].created_at)
            return Conversation(messages, [r for r in received if r.entity == "recommendation"],
                                [r for r in received if r.entity == "feedback"], inbox.unread_count(s))
        return await self._rt.run(work)

    async def send_message(self, body: str, in_reply_to: str | None = None) -> inbox.SentMessage:
        text = (body or "").strip()
        if not text:
            raise AppError("empty_entry")
        check_text(text)

        def work(s: Store) -> inbox.SentMessage:
            if outbox.get_connection(s) is None:
                raise AppError("not_paired")
            return inbox.add_message(s, text, in_reply_to)
        return await self._rt.run(work)

    async def mark_read(self, ids: list[str] | None = None) -> None:
        await self._rt.run(lambda s: inbox.mark_read(s, ids))

    async def feedback_for(self, step_id: str) -> list[inbox.Received]:
        """What the specialist said about this step's worksheet (the re-approach plan first of all)."""
        return await self._rt.run(lambda s: inbox.feedback_for_step(s, step_id))


class UnpairFirst:
    """What erasing everything on the phone asks first (app.services.privacy.Unpairing): the server must
    hear the unpairing before the phone forgets its token, else nothing is erased (unpair_failed)."""

    def __init__(self, sharing: SharingService):
        self._sharing = sharing

    async def is_paired(self) -> bool:
        return await self._sharing.is_paired()

    async def unpair(self, *, erase_shared: bool) -> None:
        try:
            outcome = await self._sharing.unpair(erase=erase_shared)
        except AppError as exc:
            raise AppError("unpair_failed", exc.code) from None
        if outcome != "done":
            raise AppError("unpair_failed", "the server could not be reached")
