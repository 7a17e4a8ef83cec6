"""Sharing with the specialist, end to end in one process: the real app store and the real server.

Each test is a short story; the model-based test (tests/test_sync_model.py) tries every order.
"""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest

from app.errors import AppError
from app.store import outbox
from app.store.outbox import Mark
from app.sync.protocol import normalize_server
from app.sync.tokens import SecureTokens
from tests.sync_world import SERVER, World
from tests.test_crypto import FakeSecureStorage

CANARY = "Private words 7c1d that never leave the phone"


def run(coro):
    return asyncio.run(coro)


@pytest.fixture
def world(tmp_path):
    return World(tmp_path)


async def _paired(world, name="Ana", family=None, **kw):
    family = family or world.family()
    phone = await world.phone(name, **kw).start()
    await phone.pair(family)
    return phone, family


def test_pairing_then_sharing_a_checkin_and_stopping(world):
    async def go():
        phone, family = await _paired(world)
        status = await phone.services.sharing.status()
        assert status.state == "active" and status.server == SERVER and status.name == "Ana"
        checkin = (await phone.services.checkins.add(mood=2, note="A long day", stress=7)).checkin
        entry = (await phone.services.journal.save_entry(body=CANARY)).entry
        await phone.services.sharing.set_shared("checkin", checkin.id, True)
        await phone.sync()
        held = world.api.records(family)
        assert set(held) == {checkin.id}  # the journal entry was never shared, so it never left
        assert held[checkin.id]["data"]["note"] == "A long day" and held[checkin.id]["version"] == 1
        assert CANARY.encode() not in b"".join(phone.transport.bodies)
        marks = await phone.services.sharing.marks("checkin", [checkin.id])
        assert marks[checkin.id].state == "shared"
        await phone.services.sharing.set_shared("checkin", checkin.id, False)
        assert (await phone.services.sharing.marks("checkin", [checkin.id]))[checkin.id] == Mark("unsharing")
        await phone.sync()
        assert (await phone.services.sharing.marks("checkin", [checkin.id]))[checkin.id] == Mark("private")
        held = world.api.records(family)
        assert held[checkin.id]["deleted"] and held[checkin.id]["kind"] == "revoke" and held[checkin.id]["data"] is None
        assert (await phone.services.checkins.overview()).recent[0].note == "A long day"  # kept on the phone
        await phone.services.sharing.set_shared("checkin", checkin.id, True)  # share again, by choice
        await phone.sync()
        assert world.api.records(family)[checkin.id]["data"]["mood"] == 2
        assert entry.id not in world.api.records(family)
        await phone.close()
    run(go())


def test_defaults_share_new_checkins_and_ask_about_existing_ones(world):
    async def go():
        phone, family = await _paired(world)
        old = (await phone.services.checkins.add(mood=3)).checkin
        assert await phone.services.sharing.count_unshared("checkin") == 1
        await phone.services.sharing.set_default("checkin", True, include_existing=False)
        new = (await phone.services.checkins.add(mood=4)).checkin
        await phone.sync()
        assert set(world.api.records(family)) == {new.id}
        await phone.services.sharing.set_default("checkin", True, include_existing=True)
        await phone.sync()
        assert set(world.api.records(family)) == {new.id, old.id}
        await phone.close()
    run(go())


def test_edits_and_deletes_of_a_shared_entry_reach_the_server(world):
    async def go():
        phone, family = await _paired(world)
        saved = await phone.services.journal.save_entry(body="first words", title="Tuesday")
        await phone.services.sharing.set_shared("journal_entry", saved.entry.id, True)
        await phone.sync()
        await phone.services.journal.save_entry(body="second words", entry_id=saved.entry.id, tags=["hope"],
                                                custom_tags=["sister"])
        await phone.sync()
        held = world.api.records(family)[saved.entry.id]
        assert held["version"] == 2 and held["data"]["body"] == "second words"
        assert held["data"]["tags"] == ["hope", "sister"] and held["data"]["title"] is None
        await phone.services.journal.delete_entry(saved.entry.id)
        await phone.sync()
        held = world.api.records(family)[saved.entry.id]
        assert held["deleted"] and held["kind"] == "delete"
        await phone.close()
    run(go())


def test_a_deleted_shared_checkin_is_erased_on_the_server_too(world):
    async def go():
        phone, family = await _paired(world)
        checkin = (await phone.services.checkins.add(mood=2, note="A note 3b9e to take back")).checkin
        await phone.services.sharing.set_shared("checkin", checkin.id, True)
        await phone.sync()
        assert world.api.records(family)[checkin.id]["data"]["note"] == "A note 3b9e to take back"
        await phone.services.checkins.delete(checkin.id)
        await phone.sync()
        held = world.api.records(family)[checkin.id]
        assert held["deleted"] and held["kind"] == "delete" and held["data"] is None
        assert world.api.revisions(family) == []
        await phone.close()
    run(go())


def test_a_delete_undone_before_the_sync_leaves_the_shared_entry_on_the_server(world):
    async def go():
        phone, family = await _paired(world)
        saved = await phone.services.journal.save_entry(body="words to keep")
        await phone.services.sharing.set_shared("journal_entry", saved.entry.id, True)
        await phone.sync()
        await phone.services.journal.delete_entry(saved.entry.id)
        assert (await phone.services.journal.undo_delete(saved.entry.id)).body == "words to keep"
        await phone.sync()
        held = world.api.records(family)[saved.entry.id]
        assert not held["deleted"] and held["data"]["body"] == "words to keep"
        await phone.close()
    run(go())


def test_a_change_to_share_wakes_the_sync_and_a_private_one_does_not(world):
    async def go():
        phone, _ = await _paired(world)
        await phone.services.sharing.set_default("checkin", True, include_existing=False)
        pokes = []
        phone.services._rt.on_outbox = lambda: pokes.append(1)  # the scheduler's poke: sync soon
        await phone.services.journal.save_entry(body="private words")
        assert pokes == []
        await phone.services.checkins.add(mood=4)
        assert pokes == [1]
        await phone.close()
    run(go())


def test_an_op_over_the_size_limit_is_set_aside_before_sending(world, monkeypatch):
    monkeypatch.setattr(outbox, "MAX_OP_BYTES", 4096)  # the real limit (512 KiB) is past what a screen allows

    async def go():
        phone, family = await _paired(world)
        big = (await phone.services.journal.save_entry(body="big 9e3f " + "x" * 5000)).entry
        small = (await phone.services.journal.save_entry(body="small words")).entry
        for entry in (big, small):
            await phone.services.sharing.set_shared("journal_entry", entry.id, True)
        assert (await phone.sync()).refused == 0  # refused here, never asked of the server
        assert set(world.api.records(family)) == {small.id}
        assert b"big 9e3f" not in b"".join(phone.transport.bodies)
        marks = await phone.services.sharing.marks("journal_entry", [big.id, small.id])
        assert marks == {big.id: Mark("refused", "too_large"), small.id: Mark("shared")}
        assert (await phone.services.sharing.status()).refused == 1
        await phone.close()
    run(go())


def test_ops_for_one_record_collapse_before_sending(world):
    async def go():
        phone, family = await _paired(world)
        saved = await phone.services.journal.save_entry(body="v1")
        await phone.services.sharing.set_shared("journal_entry", saved.entry.id, True)
        for n in range(2, 6):
            await phone.services.journal.save_entry(body=f"v{n}", entry_id=saved.entry.id)
        before = len(phone.transport.bodies)
        await phone.sync()
        pushes = [json.loads(b) for b in phone.transport.bodies[before:] if b.startswith(b'{"ops"')]
        assert [len(p["ops"]) for p in pushes] == [1] and pushes[0]["ops"][0]["data"]["body"] == "v5"
        assert world.api.records(family)[saved.entry.id]["version"] == 1
        await phone.close()
    run(go())


def _first_push_answer_lost():
    """A fault for the test server: the first push is stored, its answer never reaches the phone."""
    drop = {"on": True}

    def fault(request):
        if drop["on"] and request.url.path.endswith("/push"):
            drop["on"] = False
            return "drop_response"
        return None
    return fault


def test_a_crash_after_the_server_committed_loses_and_doubles_nothing(world):
    fault = _first_push_answer_lost()

    async def go():
        phone, family = await _paired(world, fault=fault)
        await phone.services.sharing.set_default("checkin", True)
        checkin = (await phone.services.checkins.add(mood=5)).checkin
        report = await phone.sync()
        assert report.error == "server_unreachable" and report.retry_at
        await phone.reopen()  # as after a crash: the op is still there, frozen
        report = await phone.sync()
        assert report.error is None
        held = world.api.records(family)
        assert list(held) == [checkin.id] and held[checkin.id]["version"] == 1
        sent = [json.loads(b) for b in phone.transport.bodies if b.startswith(b'{"ops"')]
        assert sent[0] == sent[1]  # the very same op again; the server answered duplicate
        assert (await phone.services.sharing.status()).waiting == 0
        await phone.close()
    run(go())


def test_shared_and_taken_back_before_any_sync_not_even_the_id_leaves(world):
    async def go():
        phone, family = await _paired(world)
        checkin = (await phone.services.checkins.add(mood=2, note="second thoughts")).checkin
        await phone.services.sharing.set_shared("checkin", checkin.id, True)
        assert await phone.services.sharing.set_shared("checkin", checkin.id, False) == Mark("private")
        deleted = (await phone.services.checkins.add(mood=3, note="deleted before it went")).checkin
        await phone.services.sharing.set_shared("checkin", deleted.id, True)
        await phone.services.checkins.delete(deleted.id)
        assert (await phone.sync()).error is None
        assert world.api.records(family) == {}
        sent = b"".join(phone.transport.bodies)
        assert checkin.id.encode() not in sent and deleted.id.encode() not in sent
        await phone.close()
    run(go())


def test_taken_back_after_an_unanswered_push_is_revoked_on_the_server(world):
    """The push reached the server but its answer was lost: the phone must take the record back, not
    just call it private (the op it sent may have landed)."""
    fault = _first_push_answer_lost()

    async def go():
        phone, family = await _paired(world, fault=fault)
        checkin = (await phone.services.checkins.add(mood=2, note="sent, unanswered")).checkin
        await phone.services.sharing.set_shared("checkin", checkin.id, True)
        assert (await phone.sync()).error == "server_unreachable"
        assert world.api.records(family)[checkin.id]["data"]["note"] == "sent, unanswered"
        assert await phone.services.sharing.set_shared("checkin", checkin.id, False) == Mark("unsharing")
        assert (await phone.sync()).error is None
        held = world.api.records(family)[checkin.id]
        assert held["deleted"] and held["kind"] == "revoke" and held["data"] is None
        await phone.close()
    run(go())


def test_messages_recommendations_and_feedback_come_down_and_replies_go_up(world):
    async def go():
        phone, family = await _paired(world)
        status = await phone.services.sharing.status()
        assert await phone.services.sharing.worksheet_mark("reapproach.plan") == (None, None)  # nothing written
        await phone.services.journeys.save_worksheet("reapproach.plan", {"who": "Me and my sister"})
        plan = (await phone.services.sharing.shared_items())
        assert plan == []
        worksheet_id = await _worksheet_id(phone, "reapproach.plan")
        assert (await phone.services.sharing.worksheet_mark("reapproach.plan"))[1].state == "private"
        await phone.services.sharing.set_shared("worksheet", worksheet_id, True)
        assert (await phone.services.sharing.worksheet_mark("reapproach.plan"))[1].state == "waiting"
        await phone.sync()
        assert await phone.services.sharing.worksheet_mark("reapproach.plan") == (worksheet_id, Mark("shared"))
        assert await phone.services.sharing.worksheet_steps() == {worksheet_id: "reapproach.plan"}
        member = world.api.records(family)[worksheet_id]["member_id"]
        world.api.send(family, "message", {"body": "How did the weekend go?", "in_reply_to": None,
                                           "sender": "Sam Rivera"}, member)
        world.api.send(family, "recommendation", {"journey_id": "coping", "step_id": "coping.breathe",
                                                  "note": "Try this before the call"})
        world.api.send(family, "feedback", {"worksheet_id": worksheet_id, "body": "A good plan. Add a time."},
                       member)
        report = await phone.sync()
        assert report.received == 3 and status.unread == 0
        talk = await phone.services.sharing.conversation()
        assert [m[1].data["body"] for m in talk.messages] == ["How did the weekend go?"] and talk.unread == 3
        assert talk.recommendations[0].data["step_id"] == "coping.breathe"
        assert [f.data["body"] for f in await phone.services.sharing.feedback_for("reapproach.plan")] == [
            "A good plan. Add a time."]
        await phone.services.sharing.send_message("Better than last week.", in_reply_to=talk.messages[0][1].id)
        await phone.sync()
        replies = [r for r in world.api.records(family).values() if r["entity"] == "message"]
        assert replies[0]["data"]["body"] == "Better than last week."
        await phone.services.sharing.mark_read()
        assert (await phone.services.sharing.status()).unread == 0
        await phone.close()
    run(go())


def test_a_reply_is_checked_before_it_is_kept_and_sent(world):
    """An empty reply or one over 100,000 characters is refused with its reason and never queued; exactly
    100,000 characters go up whole."""

    async def go():
        phone, family = await _paired(world)
        for body, code in (("   ", "empty_entry"), ("x" * 100_001, "text_too_long")):
            with pytest.raises(AppError) as refused:
                await phone.services.sharing.send_message(body)
            assert refused.value.code == code
        await phone.sync()
        assert [r for r in world.api.records(family).values() if r["entity"] == "message"] == []
        await phone.services.sharing.send_message("y" * 100_000)
        await phone.sync()
        sent = [r["data"]["body"] for r in world.api.records(family).values() if r["entity"] == "message"]
        assert sent == ["y" * 100_000]
        await phone.close()
    run(go())


async def _worksheet_id(phone, step_id):
    items = await phone.services._rt.run(
        lambda s: s.db.execute("SELECT id FROM worksheets WHERE step_id = ?", [step_id]).fetchone())
    return items[0]


def test_an_erasure_by_the_specialist_keeps_the_record_on_the_phone_and_never_shares_it_again(world):
    async def go():
        phone, family = await _paired(world)
        await phone.services.sharing.set_default("wellbeing", True)
        result = await phone.services.checkins.add_wellbeing([3, 3, 3, 3, 3])
        await phone.sync()
        member = world.api.records(family)[result.record.id]["member_id"]
        world.api.erase_member(family, member)
        await phone.sync()
        marks = await phone.services.sharing.marks("wellbeing", [result.record.id])
        assert marks[result.record.id].state == "removed" and marks[result.record.id].note == "erased"
        with pytest.raises(AppError) as err:
            await phone.services.sharing.set_shared("wellbeing", result.record.id, True)
        assert err.value.code == "share_refused"
        assert (await phone.services.checkins.overview()).status.day  # the phone still works
        await phone.close()
    run(go())


def test_an_edit_queued_behind_an_op_the_server_refuses_as_erased_never_leaves(world):
    """The phone sent an edit that never arrived, then the person edited again (queued behind it); meanwhile
    the specialist erased the member's records. The first op comes back `erased`: the one behind it is dropped."""
    down = {"on": False}

    def fault(request):
        return "drop_request" if down["on"] and request.url.path.endswith("/push") else None

    async def go():
        phone, family = await _paired(world, fault=fault)
        saved = await phone.services.journal.save_entry(body="first words")
        await phone.services.sharing.set_shared("journal_entry", saved.entry.id, True)
        await phone.sync()
        await phone.services.journal.save_entry(body="second words", entry_id=saved.entry.id)
        down["on"] = True
        assert (await phone.sync()).error == "server_unreachable"  # frozen and sent, never arrived
        down["on"] = False
        await phone.services.journal.save_entry(body="third words 5d0a", entry_id=saved.entry.id)
        world.api.erase_member(family, world.api.records(family)[saved.entry.id]["member_id"])
        assert (await phone.sync()).error is None
        assert b"third words 5d0a" not in b"".join(phone.transport.bodies)
        marks = await phone.services.sharing.marks("journal_entry", [saved.entry.id])
        assert marks[saved.entry.id] == Mark("removed", "erased")
        assert (await phone.services.sharing.status()).waiting == 0
        await phone.close()
    run(go())


def test_a_401_ends_the_connection_once_and_keeps_everything(world):
    async def go():
        phone, family = await _paired(world)
        await phone.services.sharing.set_default("checkin", True)
        checkin = (await phone.services.checkins.add(mood=4)).checkin
        await phone.sync()
        world.api.erase_family(family)
        await phone.services.checkins.add(mood=3)
        report = await phone.sync()
        assert report.error == "connection_closed"
        status = await phone.services.sharing.status()
        assert status.state == "closed" and status.waiting == 0
        marks = await phone.services.sharing.marks("checkin", [checkin.id])
        assert marks[checkin.id].state == "closed"  # never told it left the server when it did not
        assert len((await phone.services.checkins.overview()).recent) == 2
        before = len(phone.transport.requests)
        assert (await phone.sync()).error == "connection_closed" and len(phone.transport.requests) == before
        # taken back by the person after the close: private here (run 6: the closed state misspelt kept it "closed")
        assert await phone.services.sharing.set_shared("checkin", checkin.id, False) == Mark("private")
        await phone.close()
    run(go())


def test_on_a_phone_the_token_lives_in_secure_storage_and_leaves_with_the_pairing(world):
    storage = FakeSecureStorage()

    async def go():
        phone = world.phone("Ana")
        phone.services.use_secure_storage(storage)
        await phone.start()
        family = world.family()
        await phone.pair(family)
        token = storage.values[SecureTokens.NAME]
        assert token and await phone.services._rt.run(outbox.get_token) is None  # not in the store too
        assert (await phone.sync()).error is None
        world.api.erase_family(family)
        assert (await phone.sync()).error == "connection_closed"
        assert storage.values[SecureTokens.NAME] == ""  # the server no longer knows it: wiped at once
        await phone.pair(world.family("The Walshes"))
        token = storage.values[SecureTokens.NAME]
        assert token and (await phone.sync()).error is None
        assert await phone.services.sharing.unpair(erase=False) == "done"
        assert storage.values[SecureTokens.NAME] == ""
        await phone.close()
        return token
    token = run(go())

    async def with_old_token():
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=world.app), base_url=SERVER) as client:
            return await client.get("/api/v1/sync/pull", headers={"Authorization": f"Bearer {token}"})
    assert run(with_old_token()).status_code == 401


def test_unpairing_a_phone_the_server_already_forgot_ends_the_pairing_here_too(world):
    async def go():
        phone, family = await _paired(world)
        world.api.erase_family(family)  # the server no longer knows the phone; it has not synced since
        assert await phone.services.sharing.unpair(erase=False) == "done"
        assert (await phone.services.sharing.status()).state == "none"
        assert await phone.services._rt.run(outbox.get_token) is None
        await phone.close()
    run(go())


def test_unpairing_asks_to_erase_or_keep_and_offline_it_waits(world):
    down = {"on": False}

    def fault(request):
        return "drop_request" if down["on"] else None

    async def go():
        phone, family = await _paired(world, fault=fault)
        await phone.services.sharing.set_default("checkin", True)
        checkin = (await phone.services.checkins.add(mood=4)).checkin
        await phone.sync()
        down["on"] = True
        assert await phone.services.sharing.unpair(erase=True) == "queued"
        assert (await phone.services.sharing.status()).state == "unpairing"
        down["on"] = False
        await phone.sync()
        assert (await phone.services.sharing.status()).state == "none"
        held = world.api.records(family)[checkin.id]
        assert held["deleted"] and held["data"] is None
        marks = await phone.services.sharing.marks("checkin", [checkin.id])
        assert marks[checkin.id].state == "private"  # the record stays, not shared
        await phone.close()
    run(go())


def test_unpairing_first_sends_what_was_taken_back_and_nothing_new(world):
    """Found by the sharing model: an entry deleted just before unpairing stayed on the dashboard."""
    down = {"on": False}

    async def go():
        phone, family = await _paired(world, fault=lambda r: "drop_request" if down["on"] else None)
        s = phone.services
        gone = (await s.journal.save_entry(body="deleted before leaving")).entry
        stopped = (await s.journal.save_entry(body="unshared before leaving")).entry
        for entry in (gone, stopped):
            await s.sharing.set_shared("journal_entry", entry.id, True)
        await phone.sync()
        await s.journal.delete_entry(gone.id)
        await s.sharing.set_shared("journal_entry", stopped.id, False)
        late = (await s.journal.save_entry(body="shared a moment before leaving")).entry
        await s.sharing.set_shared("journal_entry", late.id, True)
        down["on"] = True  # offline: the unpairing waits, and so do the withdrawals
        assert await s.sharing.unpair(erase=False) == "queued"
        assert world.api.records(family)[gone.id]["deleted"] is False
        down["on"] = False
        await phone.sync()
        held = world.api.records(family)
        assert held[gone.id]["deleted"] and held[gone.id]["kind"] == "delete"
        assert held[stopped.id]["deleted"] and held[stopped.id]["kind"] == "revoke"
        assert late.id not in held  # waiting to be sent when the person left: never sent
        assert b"shared a moment before leaving" not in b"".join(phone.transport.all_bodies)
        assert (await s.sharing.status()).state == "none"
        await phone.close()
    run(go())


@pytest.mark.parametrize("answer", [
    httpx.Response(200, text="<html>Welcome to nginx</html>"),
    httpx.Response(200, content=b'{"results": [{"op_id"'),
    httpx.Response(200, json={"results": "all good"}),
    httpx.Response(200, json={"results": []}),
    httpx.Response(302, headers={"Location": "https://evil.example/"}),
    httpx.Response(200, content=b"x" * (9 * 1024 * 1024)),
])
def test_a_bad_answer_changes_nothing_and_is_a_clear_error(world, answer):
    state = {"bad": False}

    async def go():
        phone, family = await _paired(world)
        await phone.services.sharing.set_default("checkin", True)
        await phone.services.checkins.add(mood=1)
        inner = phone.transport.inner

        class Bad(httpx.AsyncBaseTransport):
            async def handle_async_request(self, request):
                if state["bad"]:
                    return answer
                return await inner.handle_async_request(request)
        phone.transport.inner = Bad()
        state["bad"] = True
        report = await phone.sync()
        assert report.error == "server_error" and report.retry_at
        status = await phone.services.sharing.status()
        assert status.waiting == 1 and status.state == "active" and status.last_error == "server_error"
        state["bad"] = False
        assert (await phone.sync()).error is None
        assert len(world.api.records(family)) == 1
        await phone.close()
    run(go())


@pytest.mark.parametrize("server", ["http://localhost:8700", "http://LOCALHOST:8700", "http://127.0.0.2:8700",
                                    "http://[::1]:8700/", "https://regroup.example.org/"])
def test_plain_http_is_taken_only_for_this_device_itself(server):
    assert normalize_server(server) == server.rstrip("/")


def test_an_address_without_a_scheme_is_taken_as_https():
    assert normalize_server(" regroup.example.org/practice/ ") == "https://regroup.example.org/practice"


@pytest.mark.parametrize("server", ["https://sam@regroup.example.org", "https://sam:pw@regroup.example.org",
                                    "https://:pw@regroup.example.org"])
def test_an_address_carrying_a_name_or_password_is_refused(server):
    with pytest.raises(AppError) as err:
        normalize_server(server)
    assert err.value.code == "pair_server_invalid"


@pytest.mark.parametrize("server", ["http://example.org", "http://localhost.example.org", "http://[2001:db8::1]",
                                    "http://10.0.0.1:8700"])
def test_plain_http_to_any_other_host_is_refused(server):
    with pytest.raises(AppError) as err:
        normalize_server(server)
    assert err.value.code == "pair_server_insecure"


@pytest.mark.parametrize("server, code", [
    ("http://192.168.1.20:8700", "pair_server_insecure"),
    ("ftp://example.org", "pair_server_invalid"),
    ("", "pair_server_missing"),
])
def test_an_unsafe_or_wrong_address_is_refused_before_anything_is_sent(world, server, code):
    async def go():
        phone = await world.phone("Ana").start()
        with pytest.raises(AppError) as err:
            await phone.services.sharing.pair(server=server, code="ABCD-EFGH-JKLM", name="Ana")
        assert err.value.code == code and phone.transport.requests == []
        await phone.close()
    run(go())


def test_a_paired_phone_refuses_a_second_pairing_before_asking_the_server(world):
    async def go():
        phone, family = await _paired(world)
        before = len(phone.transport.requests)
        with pytest.raises(AppError) as err:
            await phone.pair(world.family("The Walshes"))
        assert err.value.code == "already_paired" and len(phone.transport.requests) == before
        assert (await phone.services.sharing.status()).state == "active"
        await phone.close()
    run(go())


def test_wrong_and_used_codes_are_named(world):
    async def go():
        family = world.family()
        phone = await world.phone("Ana").start()
        with pytest.raises(AppError) as err:
            await phone.services.sharing.pair(server=SERVER, code="ABCD-EFGH-JKLM", name="Ana")
        assert err.value.code == "invalid_code"
        code = world.code(family)
        await phone.services.sharing.pair(server=SERVER, code=code.lower(), name="Ana")
        other = await world.phone("Ben").start()
        with pytest.raises(AppError) as err:
            await other.services.sharing.pair(server=SERVER, code=code, name="Ben")
        assert err.value.code == "used_code"
        await phone.close()
        await other.close()
    run(go())


def test_an_unreachable_server_is_named(world):
    async def go():
        phone = await world.phone("Ana", fault=lambda r: "drop_request").start()
        with pytest.raises(AppError) as err:
            await phone.pair(world.family())
        assert err.value.code == "server_unreachable"
        await phone.close()
    run(go())


def test_a_server_that_needs_a_newer_app_says_so(world, monkeypatch):
    monkeypatch.setattr("server.api.MIN_CLIENT_VERSION", "9.0.0")

    async def go():
        phone = await world.phone("Ana").start()
        with pytest.raises(AppError) as err:
            await phone.pair(world.family())
        assert err.value.code == "client_too_old"
        assert (await phone.services.sharing.status()).state == "none"
        await phone.close()
    run(go())


def test_too_many_wrong_codes_say_how_long_to_wait(world):
    from app.sync.client import RateLimited

    async def go():
        phone = await world.phone("Ana").start()
        codes = []
        for _ in range(6):
            try:
                await phone.services.sharing.pair(server=SERVER, code="ABCD-EFGH-JKLM", name="Ana")
            except AppError as exc:
                codes.append(exc)
        assert [e.code for e in codes] == ["invalid_code"] * 5 + ["rate_limited"]
        assert isinstance(codes[-1], RateLimited) and 60 <= codes[-1].retry_after <= 15 * 60
        await phone.close()
    run(go())


def test_a_pairing_link_is_read_as_the_dashboard_writes_it():
    from app.sync.protocol import parse_pair_link
    link = parse_pair_link("regroup://pair?server=https://regroup.practice.example&code=abcd-efgh-jkmn")
    assert (link.server, link.code) == ("https://regroup.practice.example", "ABCDEFGHJKMN")
    for bad in ("https://pair?server=x&code=y", "regroup://pair?code=ABCDEFGHJKMN",
                "regroup://pair?server=http://10.0.0.2&code=ABCDEFGHJKMN", "regroup://other?server=a&code=b"):
        with pytest.raises(AppError):
            parse_pair_link(bad)


@pytest.mark.parametrize("text", ["ABCD-EFGH-JKMN", "abcd efgh jkmn", " ABCDEFGHJKMN "])
def test_codes_forgive_dashes_spaces_and_case(text):
    from app.sync.protocol import normalize_code
    assert normalize_code(text) == "ABCDEFGHJKMN"


@pytest.mark.parametrize("text", ["ABCD-EFGH-JKL", "ABCD-EFGH-JKL0", "ABCD-EFGH-JKLI1"])
def test_codes_with_look_alikes_or_the_wrong_length_are_refused(text):
    from app.sync.protocol import normalize_code
    with pytest.raises(AppError):
        normalize_code(text)


def test_the_hybrid_clock_never_goes_back():
    import datetime as dt
    from app.sync.protocol import next_hlc
    t0 = dt.datetime(2026, 11, 26, 12, tzinfo=dt.timezone.utc)
    first = next_hlc(None, None, t0)
    second = next_hlc(*first, t0 - dt.timedelta(hours=1))  # the phone's clock jumped back
    third = next_hlc(*second, t0 + dt.timedelta(seconds=1))
    assert first == ("2026-11-26T12:00:00.000Z", 0) and second == ("2026-11-26T12:00:00.000Z", 1)
    assert third == ("2026-11-26T12:00:01.000Z", 0)


def test_backoff_grows_with_jitter_and_honours_retry_after():
    from app.sync.engine import BACKOFF_CAP_S, backoff_seconds
    assert backoff_seconds(1, lambda: 0.0) == 2.5 and backoff_seconds(1, lambda: 1.0) == 5.0
    assert backoff_seconds(3, lambda: 1.0) == 20.0 and backoff_seconds(30, lambda: 1.0) == BACKOFF_CAP_S
    assert backoff_seconds(1, lambda: 0.0, retry_after=90) == 90


def test_an_import_that_brings_newer_words_to_a_shared_entry_sends_them(world, tmp_path):
    """The privacy export on another device, imported here: a shared record's newer text goes up again;
    the conversation with the specialist moves with the file; nothing arrives shared by itself."""
    async def go():
        phone, family = await _paired(world)
        saved = await phone.services.journal.save_entry(body="before")
        await phone.services.sharing.set_shared("journal_entry", saved.entry.id, True)
        world.api.send(family, "message", {"body": "Hello from Sam", "in_reply_to": None, "sender": "Sam"})
        await phone.sync()
        other = await world.phone("Ana-tablet").start()
        exported = (await phone.services.exchange.export_file("a passphrase long enough")).data
        await other.services.exchange.import_file(exported, "a passphrase long enough")
        phone.clock.advance(minutes=5)
        other.clock.advance(minutes=10)
        await other.services.journal.save_entry(body="after, on the tablet", entry_id=saved.entry.id)
        assert (await other.services.sharing.conversation()).messages[0][1].data["body"] == "Hello from Sam"
        again = (await other.services.exchange.export_file("a passphrase long enough")).data
        await phone.services.exchange.import_file(again, "a passphrase long enough")
        await phone.sync()
        assert world.api.records(family)[saved.entry.id]["data"]["body"] == "after, on the tablet"
        await other.close()
        await phone.close()
    run(go())


def test_erasing_everything_unpairs_first_and_erases_what_was_shared(world):
    async def go():
        phone, family = await _paired(world)
        await phone.services.sharing.set_default("checkin", True)
        checkin = (await phone.services.checkins.add(mood=2, note="shared once")).checkin
        await phone.sync()
        await phone.services.privacy.erase_everything("ERASE", unpair=True, erase_shared=True)
        held = world.api.records(family)[checkin.id]
        assert held["deleted"] and held["data"] is None
        await phone.close()
    run(go())


def test_erasing_everything_waits_when_the_server_cannot_hear_the_unpairing(world):
    down = {"on": False}

    async def go():
        phone, family = await _paired(world, fault=lambda r: "drop_request" if down["on"] else None)
        await phone.services.checkins.add(mood=2)
        down["on"] = True
        with pytest.raises(AppError) as err:
            await phone.services.privacy.erase_everything("ERASE", unpair=True, erase_shared=True)
        assert err.value.code == "unpair_failed"
        assert len((await phone.services.checkins.overview()).recent) == 1  # nothing erased
        await phone.close()
    run(go())


def test_a_locked_phone_does_not_sync(world):
    async def go():
        phone, family = await _paired(world)
        await phone.services.sharing.set_default("checkin", True)
        await phone.services.checkins.add(mood=2)
        await phone.services.privacy.set_secret("correct horse battery", "passphrase")
        await phone.services.privacy.lock()
        before = len(phone.transport.requests)
        report = await phone.sync()
        assert report.skipped == "locked" and len(phone.transport.requests) == before
        await phone.services.privacy.unlock("correct horse battery")
        assert (await phone.sync()).error is None and len(world.api.records(family)) == 1
        await phone.close()
    run(go())


async def _second_phone_with_the_same_entries(world, phone, family, member):
    """Ana's tablet, paired as the same member, holding the phone's entries (moved by an export file)."""
    tablet = await world.phone("Ana-tablet").start()
    await tablet.pair(family, member_id=member)
    exported = (await phone.services.exchange.export_file("a passphrase long enough")).data
    await tablet.services.exchange.import_file(exported, "a passphrase long enough")
    return tablet


def test_stopped_on_one_phone_the_other_phone_can_share_it_again_by_choice(world):
    """Ana stops sharing an entry on her phone; her tablet, which had not heard, edits it: refused
    (revoked), marked not shared; when she chooses to share it again on the tablet, it is shared."""
    async def go():
        phone, family = await _paired(world)
        saved = await phone.services.journal.save_entry(body="on both")
        await phone.services.sharing.set_shared("journal_entry", saved.entry.id, True)
        await phone.sync()
        member = world.api.records(family)[saved.entry.id]["member_id"]
        tablet = await _second_phone_with_the_same_entries(world, phone, family, member)
        await tablet.services.sharing.set_shared("journal_entry", saved.entry.id, True)
        await tablet.sync()
        await phone.services.sharing.set_shared("journal_entry", saved.entry.id, False)
        await phone.sync()
        assert world.api.records(family)[saved.entry.id]["kind"] == "revoke"
        tablet.clock.advance(minutes=1)
        await tablet.services.journal.save_entry(body="edited on the tablet", entry_id=saved.entry.id)
        await tablet.sync()
        mark = (await tablet.services.sharing.marks("journal_entry", [saved.entry.id]))[saved.entry.id]
        assert mark.state == "revoked_elsewhere", mark
        assert world.api.records(family)[saved.entry.id]["kind"] == "revoke"  # nothing shared again by itself
        await tablet.services.sharing.set_shared("journal_entry", saved.entry.id, True)
        await tablet.sync()
        held = world.api.records(family)[saved.entry.id]
        assert not held["deleted"] and held["data"]["body"] == "edited on the tablet"
        await tablet.close()
        await phone.close()
    run(go())


# --- found by mutation testing, run 5 (docs/mutation-testing.md) --------------------------------------------

async def _queued(phone) -> list[tuple[str, str, str]]:
    """(entity, record id, kind) of every op waiting in the outbox, in queue order."""
    return await phone.services._rt.run(lambda s: [tuple(r) for r in s.db.execute(
        "SELECT entity, entity_id, kind FROM outbox ORDER BY n")])


async def _step_record(phone, step_id: str) -> str:
    return (await phone.services._rt.run(
        lambda s: s.db.execute("SELECT id FROM journey_progress WHERE step_id = ?", [step_id]).fetchone()))[0]


def test_a_step_started_in_a_journey_whose_progress_is_shared_is_shared_and_others_are_not(world):
    """"Share progress" is per journey: a step opened later follows its own journey's choice, and the
    person's default only speaks for journeys they made no choice about."""
    async def go():
        phone, family = await _paired(world)
        await phone.services.sharing.set_journey_shared("coping", True)
        await phone.services.journeys.open_step("coping.breathe")
        await phone.services.journeys.open_step("after.not-the-end")
        breathe = await _step_record(phone, "coping.breathe")
        assert await _queued(phone) == [("journey_progress", breathe, "upsert")]
        await phone.services.sharing.set_default("journey_progress", True)
        await phone.services.sharing.set_journey_shared("after", False)
        await phone.services.journeys.open_step("after.keep-safe")
        await phone.services.journeys.open_step("learn.what-it-is")
        learn = await _step_record(phone, "learn.what-it-is")
        assert await _queued(phone) == [("journey_progress", breathe, "upsert"), ("journey_progress", learn, "upsert")]
        await phone.sync()
        assert {r["data"]["step_id"] for r in world.api.records(family).values()} == {"coping.breathe",
                                                                                      "learn.what-it-is"}
        await phone.close()
    run(go())


def test_a_checkin_added_after_unpairing_stays_private_though_its_default_is_still_on(world):
    async def go():
        phone, family = await _paired(world)
        await phone.services.sharing.set_default("checkin", True)
        assert await phone.services.sharing.unpair(erase=False) == "done"
        checkin = (await phone.services.checkins.add(mood=3, note="after the pairing ended")).checkin
        assert await _queued(phone) == []
        assert await phone.services.sharing.marks("checkin", [checkin.id]) == {checkin.id: Mark("private")}
        await phone.close()
    run(go())


def test_an_op_exactly_at_the_size_limit_is_sent_and_one_byte_more_is_not(world, monkeypatch):
    """Two entries whose bodies have the same length make ops of the same length (same clock, ids of one
    length): the first, sent under no limit, measures it."""
    async def go():
        phone, family = await _paired(world)
        entries = []
        for body in ("probe 4a1c " + "x" * 300, "edge 77b0 " + "x" * 301, "over 2d9e " + "x" * 302):
            entries.append((await phone.services.journal.save_entry(body=body)).entry)
        probe, edge, over = entries
        await phone.services.sharing.set_shared("journal_entry", probe.id, True)
        await phone.sync()
        push = next(b for b, r in zip(phone.transport.bodies, phone.transport.requests) if r.endswith("/push"))
        monkeypatch.setattr(outbox, "MAX_OP_BYTES", len(push) - len(b'{"ops":[]}'))
        for entry in (edge, over):
            await phone.services.sharing.set_shared("journal_entry", entry.id, True)
        await phone.sync()
        assert set(world.api.records(family)) == {probe.id, edge.id}
        marks = await phone.services.sharing.marks("journal_entry", [edge.id, over.id])
        assert marks == {edge.id: Mark("shared"), over.id: Mark("refused", "too_large")}
        await phone.close()
    run(go())


def test_only_the_trailing_slash_of_an_address_is_dropped():
    assert normalize_server("https://regroup.example.org/teamX/") == "https://regroup.example.org/teamX"


def test_a_record_taken_back_elsewhere_before_this_phone_ever_sent_it_can_still_be_shared_again(world):
    """The tablet never had a version of the entry when its first upsert was refused as revoked: the revoke it
    then sends learns the tombstone's version, so sharing again by choice is not refused for ever. The op
    behind the refused one in the same push is answered there, not sent again."""
    async def go():
        phone, family = await _paired(world)
        saved = await phone.services.journal.save_entry(body="taken back first")
        await phone.services.sharing.set_shared("journal_entry", saved.entry.id, True)
        await phone.sync()
        await phone.services.sharing.set_shared("journal_entry", saved.entry.id, False)
        await phone.sync()
        member = world.api.records(family)[saved.entry.id]["member_id"]
        tablet = await _second_phone_with_the_same_entries(world, phone, family, member)
        await tablet.services.sharing.set_shared("journal_entry", saved.entry.id, True)
        other = (await tablet.services.journal.save_entry(body="written on the tablet")).entry
        await tablet.services.sharing.set_shared("journal_entry", other.id, True)
        await tablet.sync()  # one push: the refused op first, the other after it
        mark = (await tablet.services.sharing.marks("journal_entry", [saved.entry.id]))[saved.entry.id]
        assert mark.state == "revoked_elsewhere", mark
        pushes = [b for b, r in zip(tablet.transport.bodies, tablet.transport.requests) if r.endswith("/push")]
        assert sum(other.id.encode() in b for b in pushes) == 1  # answered in that push: never sent twice
        await tablet.services.sharing.set_shared("journal_entry", saved.entry.id, True)
        await tablet.sync()
        held = world.api.records(family)[saved.entry.id]
        assert not held["deleted"] and held["data"]["body"] == "taken back first"
        await tablet.close()
        await phone.close()
    run(go())


def test_only_a_live_record_of_a_paired_phone_can_be_shared(world):
    """Run 6: a record in its undo window (deleted, not yet gone) was shared when the check lost its
    `deleted_at`; and the codes the screens speak by were never looked at."""
    async def go():
        phone = await world.phone("Ana").start()
        entry = (await phone.services.journal.save_entry(body="deleted, still undoable")).entry
        with pytest.raises(AppError) as err:
            await phone.services.sharing.set_shared("journal_entry", entry.id, True)
        assert err.value.code == "not_paired"
        await phone.pair(world.family())
        await phone.services.journal.delete_entry(entry.id)
        for record_id in (entry.id, "no-such-record"):
            with pytest.raises(AppError) as err:
                await phone.services.sharing.set_shared("journal_entry", record_id, True)
            assert err.value.code == "not_found"
        assert await _queued(phone) == []
        await phone.close()
    run(go())


def test_sharing_again_what_is_already_shared_queues_nothing(world):
    async def go():
        phone, family = await _paired(world)
        entry = (await phone.services.journal.save_entry(body="shared once")).entry
        await phone.services.sharing.set_shared("journal_entry", entry.id, True)
        await phone.sync()
        assert await phone.services.sharing.set_shared("journal_entry", entry.id, True) == Mark("shared")
        assert await _queued(phone) == []
        await phone.close()
    run(go())


# --- found by mutation testing, run 7 (apply_results; docs/mutation-testing.md) ------------------------------

async def _shared_entries(phone, *bodies: str) -> list[str]:
    ids = []
    for body in bodies:
        entry = (await phone.services.journal.save_entry(body=body)).entry
        await phone.services.sharing.set_shared("journal_entry", entry.id, True)
        ids.append(entry.id)
    return ids


def _answer(op: dict, status: str, **more) -> dict:
    return {"op_id": op["op_id"], "status": status, **more}


def test_a_late_answer_to_an_op_already_answered_does_not_stop_the_answers_after_it(world):
    """An answer for an op the phone no longer waits for is skipped, and the ops behind it in the same
    answer are still stored (with break instead of continue, the second entry would be sent again forever)."""
    async def go():
        phone, _family = await _paired(world)
        first, second = await _shared_entries(phone, "first words", "second words")
        rt = phone.services._rt
        batch = await rt.run(outbox.prepare_batch)
        assert [op["entity_id"] for op in batch.ops] == [first, second]
        early = outbox.Batch(ops=batch.ops[:1], body=b"")
        await rt.run(lambda s: outbox.apply_results(s, early, [_answer(batch.ops[0], "applied", version=1)]))
        counts = await rt.run(lambda s: outbox.apply_results(
            s, batch, [_answer(op, "applied", version=1) for op in batch.ops]))
        assert counts == {"applied": 2}
        assert await _queued(phone) == []
        marks = await phone.services.sharing.marks("journal_entry", [first, second])
        assert marks == {first: Mark("shared"), second: Mark("shared")}
        await phone.close()
    run(go())


def test_the_answers_are_counted_per_status_so_the_report_says_how_many_were_refused(world):
    async def go():
        phone, _family = await _paired(world)
        await _shared_entries(phone, "one", "two", "three")
        rt = phone.services._rt
        batch = await rt.run(outbox.prepare_batch)
        refused = {"error": {"code": "too_long", "field": "body"}}
        counts = await rt.run(lambda s: outbox.apply_results(s, batch, [
            _answer(batch.ops[0], "rejected", **refused), _answer(batch.ops[1], "applied", version=1),
            _answer(batch.ops[2], "rejected", **refused)]))
        assert counts == {"rejected": 2, "applied": 1}
        await phone.close()
    run(go())


def test_a_refusal_without_a_code_is_kept_as_an_unknown_reason(world):
    """A rejected answer whose error has no code is still set aside, with "?" as its reason (the screens
    then say the server refused it without saying why), never with no reason at all."""
    async def go():
        phone, _family = await _paired(world)
        (entry,) = await _shared_entries(phone, "words")
        rt = phone.services._rt
        batch = await rt.run(outbox.prepare_batch)
        await rt.run(lambda s: outbox.apply_results(s, batch, [_answer(batch.ops[0], "rejected")]))
        stored = await rt.run(lambda s: (
            s.db.execute("SELECT state, error FROM outbox").fetchall(),
            s.db.execute("SELECT sync_note FROM journal_entries WHERE id = ?", [entry]).fetchone()[0]))
        assert stored == ([("rejected", "?")], "?")
        assert (await phone.services.sharing.marks("journal_entry", [entry]))[entry] == Mark("refused", "?")
        await phone.close()
    run(go())


def test_an_accepted_edit_clears_the_note_of_an_earlier_refusal(world):
    """Refused once (the words too long for the server), then edited and accepted: the record is shared,
    not still marked refused (the accepted upsert clears the refusal's note)."""
    async def go():
        phone, family = await _paired(world)
        (entry,) = await _shared_entries(phone, "words the server refuses")
        rt = phone.services._rt
        batch = await rt.run(outbox.prepare_batch)
        await rt.run(lambda s: outbox.apply_results(s, batch, [
            _answer(batch.ops[0], "rejected", error={"code": "too_long", "field": "body"})]))
        assert (await phone.services.sharing.marks("journal_entry", [entry]))[entry] == Mark("refused", "too_long")
        await rt.run(outbox.dismiss_refusals)  # the person read the refusal
        await phone.services.journal.save_entry(body="shorter words", entry_id=entry)
        await phone.sync()
        assert world.api.records(family)[entry]["data"]["body"] == "shorter words"
        note = await rt.run(lambda s: s.db.execute("SELECT sync_note FROM journal_entries WHERE id = ?",
                                                   [entry]).fetchone()[0])
        assert note is None
        assert (await phone.services.sharing.marks("journal_entry", [entry]))[entry] == Mark("shared")
        await phone.close()
    run(go())


# --- found by mutation testing, run 8 (prepare_batch; docs/mutation-testing.md) ------------------------------

async def _kinds(phone, **kw) -> list[tuple[str, str]] | None:
    batch = await phone.services._rt.run(lambda s: outbox.prepare_batch(s, **kw))
    return None if batch is None else [(op["entity_id"], op["kind"]) for op in batch.ops]




def test_a_batch_is_made_only_while_connected_and_withdrawals_also_on_the_way_out(world):
    """Active: everything waiting; withdrawals only (an unpairing asked online, or retried): the delete, not
    the new share. Unpairing: nothing but withdrawals. Closed (the server ended it): nothing at all."""
    async def go():
        phone, _family = await _paired(world)
        (gone,) = await _shared_entries(phone, "to be deleted")
        await phone.sync()
        await phone.services.journal.delete_entry(gone)
        (new,) = await _shared_entries(phone, "shared but never sent")
        assert await _kinds(phone, withdrawals_only=True) == [(gone, "delete")]  # while still active
        rt = phone.services._rt
        await rt.run(lambda s: outbox.mark_unpairing(s, erase=False))  # asked offline: tried again later
        assert await _kinds(phone) is None
        assert await _kinds(phone, withdrawals_only=True) == [(gone, "delete")]  # the unanswered one again
        await rt.run(lambda s: s.db.execute(f"UPDATE {outbox.CONNECTION} SET status = 'active'"))  # changed their mind
        assert await _kinds(phone) == [(gone, "delete"), (new, "upsert")]
        await rt.run(outbox.mark_closed)  # the server ended it
        assert await _kinds(phone) is None and await _kinds(phone, withdrawals_only=True) is None
        await phone.close()
    run(go())


def test_an_op_waiting_behind_an_unanswered_one_does_not_hold_up_other_records(world):
    """The second change of a record waits for the answer to its first; the records after it still go."""
    async def go():
        phone, _family = await _paired(world)
        first, = await _shared_entries(phone, "first, version 1")
        assert await _kinds(phone) == [(first, "upsert")]  # sent, not yet answered
        await phone.services.journal.save_entry(body="first, version 2", entry_id=first)
        (other,) = await _shared_entries(phone, "another record")
        assert await _kinds(phone) == [(first, "upsert"), (other, "upsert")]  # the edit waits, the other goes
        assert [k for _, _, k in await _queued(phone)] == ["upsert", "upsert", "upsert"]
        await phone.close()
    run(go())


def test_a_batch_stops_at_its_op_count_and_at_its_size_to_the_byte(world, monkeypatch):
    async def go():
        phone, _family = await _paired(world)
        ids = await _shared_entries(phone, "one", "two", "three")
        monkeypatch.setattr(outbox, "MAX_OPS", 2)
        assert [i for i, _ in await _kinds(phone)] == ids[:2]  # the count: two, and the batch still made
        monkeypatch.setattr(outbox, "MAX_OPS", 100)
        batch = await phone.services._rt.run(outbox.prepare_batch)  # the two again, and the third
        assert [op["entity_id"] for op in batch.ops] == ids
        exact = len(batch.body)
        for limit, count in ((exact, 3), (exact - 1, 2)):  # a body of exactly MAX_BODY bytes fits
            monkeypatch.setattr(outbox, "MAX_BODY", limit)
            again = await phone.services._rt.run(outbox.prepare_batch)
            assert len(again.ops) == count and len(again.body) <= limit
        await phone.close()
    run(go())
