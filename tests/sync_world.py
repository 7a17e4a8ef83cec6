"""The specialist's server and family members' phones in one process, for sync tests.

The server is the real FastAPI app on a temporary SQLite database; each phone is the real app's
Services on its own data folder and clock, talking to the server through httpx's ASGI transport
(optionally wrapped by a transport that injects faults and records every byte sent).
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Callable

import httpx

from app.clock import FixedClock
from app.services import Services
from server import db
from server.app import create_app
from server.settings import Settings

SERVER = "http://127.0.0.1:8700"
NOW = "2026-11-26T12:00:00.000Z"


class Recording(httpx.AsyncBaseTransport):
    """Passes requests to the server, recording every request body and every answer; a fault function may
    intervene: the request never arrives, the answer is lost after the server did the work, or 500/429/410."""

    def __init__(self, inner: httpx.AsyncBaseTransport, fault: Callable[[httpx.Request], str | None] | None = None):
        self.inner, self.fault = inner, fault
        self.bodies: list[bytes] = []           # every request body, in order
        self.requests: list[str] = []           # "POST /api/v1/sync/push", ...
        self.all_bodies: list[bytes] = self.bodies
        self.all_answers: list[bytes] = []      # every answer body that reached the phone
        self._exchanges: list[tuple[bytes, bytes | None]] = []

    def take_exchanges(self) -> list[tuple[bytes, bytes | None]]:
        """(request body, answer body or None when lost) since the last call."""
        taken, self._exchanges = self._exchanges, []
        return taken

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        body = await request.aread()
        self.bodies.append(body)
        self.requests.append(f"{request.method} {request.url.path}")
        kind = self.fault(request) if self.fault else None
        if kind == "drop_request":
            self._exchanges.append((body, None))
            raise httpx.ConnectError("injected: the request never arrived", request=request)
        if kind in ("500", "429", "410"):
            answer = {"500": (500, {"error": "internal", "detail": "injected"}, {}),
                      "429": (429, {"error": "rate_limited", "detail": "injected"}, {"Retry-After": "7"}),
                      "410": (410, {"error": "resync_required", "detail": "injected"}, {})}[kind]
            response = httpx.Response(answer[0], json=answer[1], headers=answer[2])
            self._exchanges.append((body, None))
            return response
        response = await self.inner.handle_async_request(request)
        content = await response.aread()
        if kind == "drop_response":  # the server did the work; the answer is lost on the way
            self._exchanges.append((body, None))
            raise httpx.ReadError("injected: the answer was lost", request=request)
        self.all_answers.append(content)
        self._exchanges.append((body, content))
        return httpx.Response(response.status_code, headers=response.headers, content=content)


class ServerAdmin:
    """What the specialist and the practice do, through the server's admin module (one place to adapt)."""

    def __init__(self, engine):
        self.engine = engine

    def add_family(self, name: str, specialist_email: str) -> str:
        from server import admin
        return admin.add_family(self.engine, name, specialist_email)

    def pairing_code(self, family_id: str, member_id: str | None) -> str:
        from server import admin
        return admin.create_pairing_code(self.engine, family_id, member_id, "test")

    def send(self, family_id: str, entity: str, data: dict, member_id: str | None = None) -> None:
        from server import admin
        if entity == "message":
            admin.send_message(self.engine, family_id, member_id, data["body"], data.get("sender", "Sam"), "test")
        elif entity == "recommendation":
            admin.recommend(self.engine, family_id, member_id, data["journey_id"], data.get("step_id"),
                            data.get("note"), "test")
        else:
            admin.send_feedback(self.engine, family_id, data["worksheet_id"], data["body"], "test")

    def erase_member(self, family_id: str, member_id: str) -> None:
        from server import admin
        admin.erase_member(self.engine, family_id, member_id, "test")

    def erase_family(self, family_id: str) -> None:
        from server import admin
        admin.erase_family(self.engine, family_id, "test")

    def records(self, family_id: str) -> dict[str, dict]:
        """entity_id -> {entity, member_id, version, deleted, kind, data} of every record the server holds."""
        import json
        from sqlalchemy import select
        with self.engine.begin() as conn:
            rows = conn.execute(select(db.records).where(db.records.c.family_id == family_id)).mappings().all()
        return {r["entity_id"]: {"entity": r["entity"], "member_id": r["member_id"], "version": r["version"],
                                 "deleted": bool(r["deleted"]), "kind": r["tomb_kind"],
                                 "data": json.loads(r["data"]) if r["data"] else None} for r in rows}

    def revisions(self, family_id: str) -> list[dict]:
        import json
        from sqlalchemy import select
        with self.engine.begin() as conn:
            rows = conn.execute(select(db.revisions).where(db.revisions.c.family_id == family_id)).mappings().all()
        return [{"entity_id": r["entity_id"], "data": json.loads(r["data"])} for r in rows]


def server_api(engine) -> ServerAdmin:
    return ServerAdmin(engine)


def _cache_content() -> None:
    """Phones in one test process read the same content files: parse them once (start-up then takes a few ms)."""
    import functools
    import app.services as services
    for name in ("load_library", "load_prompts", "load_directory"):
        fn = getattr(services, name)
        if not hasattr(fn, "cache_info"):
            setattr(services, name, functools.lru_cache(maxsize=8)(fn))


class World:
    def __init__(self, tmp: Path):
        _cache_content()
        self.tmp = tmp
        self.app = create_app(Settings(data_dir=tmp / "server", secret_key="test-secret"))
        self.engine = self.app.state.engine
        self.specialist_email = "sam@practice.example"
        from server import admin
        admin.create_specialist(self.engine, self.specialist_email, "Sam Rivera", "a long enough password 12")
        self.api = server_api(self.engine)

    def family(self, name: str = "The Byrnes") -> str:
        return self.api.add_family(name, self.specialist_email)

    def code(self, family_id: str, member_id: str | None = None) -> str:
        return self.api.pairing_code(family_id, member_id)

    def phone(self, name: str, *, clock: FixedClock | None = None, fault=None) -> "Phone":
        return Phone(self, name, clock or FixedClock(NOW, zone="Europe/Dublin"), fault)


class Phone:
    """One installation of the app: its own data folder, clock and (recording) transport."""

    def __init__(self, world: World, name: str, clock: FixedClock, fault):
        self.world, self.name, self.clock = world, name, clock
        self.transport = Recording(httpx.ASGITransport(app=world.app), fault)
        self.data_dir = world.tmp / f"phone-{name}-{uuid.uuid4().hex[:6]}"
        self.services = self._services()

    def _services(self) -> Services:
        return Services(self.data_dir, clock=self.clock, http=lambda: httpx.AsyncClient(transport=self.transport))

    async def start(self) -> "Phone":
        await self.services.start()
        return self

    async def reopen(self) -> None:
        """As after a crash or a restart: a new process on the same data folder."""
        await self.services.close()
        self.services = self._services()
        await self.services.start()

    async def pair(self, family_id: str, member_id: str | None = None, name: str | None = None):
        return await self.services.sharing.pair(server=SERVER, code=self.world.code(family_id, member_id),
                                                name=name or self.name)

    async def sync(self):
        return await self.services.sharing.sync_now()

    async def close(self) -> None:
        await self.services.close()
