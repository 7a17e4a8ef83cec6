"""Sign-in and sessions as an attacker meets them (issue 9, attacks; issue 17, sessions and sign-in):
a dummy password check for unknown emails, a bound on concurrent checks, failures counted per account
and per address in the database with a growing lock, and sessions kept (and ended) on the server."""

from __future__ import annotations

import datetime as dt
import re
import threading
import time
import uuid

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from server import auth, db
from server.settings import Settings
from tests.server.conftest import FULL_COST_HASHER, PASSWORD, auth_headers, make_world


@pytest.fixture
def world(tmp_path):
    w = make_world(Settings(data_dir=tmp_path / "srv", secret_key="k"))
    w.specialist("sam@practice.test", "Sam")
    return w


def client(world, address="192.0.2.10") -> TestClient:
    return TestClient(world.app, base_url="http://127.0.0.1", client=(address, 5000))


def sign_in(c: TestClient, email="sam@practice.test", password=PASSWORD, **override):
    page = c.get("/login").text
    form = {"email": email, "password": password,
            "stamp": re.search(r'name="stamp" value="(\d+)"', page).group(1),
            "token": re.search(r'name="token" value="([^"]+)"', page).group(1), **override}
    return c.post("/login", data=form, follow_redirects=False)


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def signed_in(c: TestClient) -> bool:
    return c.get("/", follow_redirects=False).status_code == 200


# --- the password check ------------------------------------------------------------------------

def test_an_unknown_email_still_runs_one_password_check_against_the_dummy_hash(world, monkeypatch):
    checked = []
    real = auth.verify_password
    monkeypatch.setattr(auth, "verify_password", lambda h, p: checked.append(h) or real(h, p))
    assert sign_in(client(world), email="nobody@practice.test").status_code == 400
    assert checked == [auth.DUMMY_HASH]
    assert sign_in(client(world), password="wrong password").status_code == 400
    assert len(checked) == 2 and checked[1] != auth.DUMMY_HASH and checked[1].startswith("$argon2")


def test_the_server_hashes_at_full_cost():
    """The tests hash cheaply (conftest); the server's own hasher, and the dummy hash made with it, do not."""
    assert FULL_COST_HASHER.time_cost >= 3 and FULL_COST_HASHER.memory_cost >= 64 * 1024
    assert FULL_COST_HASHER.type.name == "ID"
    assert auth.DUMMY_HASH.startswith(f"$argon2id$v=19$m={FULL_COST_HASHER.memory_cost},t={FULL_COST_HASHER.time_cost},")


def test_concurrent_password_checks_are_bounded_and_the_queue_answers_429(tmp_path, monkeypatch):
    w = make_world(Settings(data_dir=tmp_path / "srv", secret_key="k", sign_in_concurrency=1, sign_in_wait_s=0.2))
    w.specialist("sam@practice.test")
    running, peak, real = [0], [0], auth.verify_password

    def slow_check(h, p):
        running[0] += 1
        peak[0] = max(peak[0], running[0])
        time.sleep(0.6)
        running[0] -= 1
        return real(h, p)
    monkeypatch.setattr(auth, "verify_password", slow_check)
    answers = []
    threads = [threading.Thread(target=lambda i=i: answers.append(sign_in(client(w, f"192.0.2.{i}"))))
               for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    codes = sorted(r.status_code for r in answers)
    assert peak[0] == 1 and codes.count(303) >= 1 and codes.count(429) >= 1, codes
    busy = next(r for r in answers if r.status_code == 429)
    assert busy.headers["Retry-After"] == "5"
    assert ">Many people are signing in right now. Try again in a few seconds.<" in busy.text


# --- failures and locks --------------------------------------------------------------------------

def test_a_sign_in_form_older_than_an_hour_or_with_a_made_up_stamp_is_refused(world, monkeypatch):
    """The form carries when it was made and a token bound to that time: one an hour old still signs in, a
    second more or an altered one is a 404 (the clock is injected: db.utcnow)."""
    now = 1_780_000_000
    monkeypatch.setattr(db, "utcnow", lambda: dt.datetime.fromtimestamp(now, dt.timezone.utc))
    signer = auth.Signer("k")

    def with_stamp(stamp: str, token: str | None = None):
        return sign_in(client(world), stamp=stamp, token=signer.login_csrf(stamp) if token is None else token)
    assert re.search(r'name="stamp" value="(\d+)"', client(world).get("/login").text).group(1) == str(now)
    assert with_stamp(str(now - 3600)).status_code == 303
    assert with_stamp(str(now - 3601)).status_code == 404
    for made_up in ("-100", "12a", "", " 1"):
        assert with_stamp(made_up).status_code == 404
    assert with_stamp(str(now - 10), token=signer.login_csrf(str(now - 20))).status_code == 404  # another stamp's


def test_an_email_is_taken_in_any_case_and_with_spaces_and_counts_failures_as_one_account(world):
    r = sign_in(client(world), email="  Sam@Practice.TEST ")
    assert r.status_code == 303 and r.headers["location"] == "/"
    cookie = r.headers["set-cookie"]
    token = cookie.split(";")[0].split("=", 1)[1]
    assert len(token) == 43 and not token.endswith("=")  # 32 random bytes, URL-safe base64 without padding
    assert f"Max-Age={auth.SESSION_HOURS * 3600}" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert "Path=/" in cookie
    for i, spelling in enumerate(("SAM@practice.test", "sam@PRACTICE.test ", " Sam@practice.test", "sam@practice.test",
                                  "sAm@practice.test")):
        assert sign_in(client(world, f"198.51.100.{i}"), email=spelling, password="wrong").status_code == 400
    assert sign_in(client(world, "198.51.100.99")).status_code == 429  # five failures of one account


def test_five_failures_lock_the_account_even_for_the_right_password_and_the_page_says_for_how_long(world):
    pages = [sign_in(client(world, f"198.51.100.{i}"), password="wrong") for i in range(auth.LOCK_AFTER)]
    assert [r.status_code for r in pages] == [400] * auth.LOCK_AFTER
    assert ">That email and password do not match.<" in pages[0].text
    # the failure that locks says so at once
    assert ">That email and password do not match. Too many failed sign-ins for this account. Try again in 1 minute." \
        in pages[-1].text
    locked = sign_in(client(world, "198.51.100.99"))  # right password, another address
    assert locked.status_code == 429 and int(locked.headers["Retry-After"]) in range(50, 62)
    assert "Too many failed sign-ins for this account. Try again in 1 minute." in locked.text
    assert "at most an hour" in locked.text


def test_a_lock_ends_on_its_second_and_its_retry_after_rounds_up(world, monkeypatch):
    t = {"now": 1_780_000_000.0}
    monkeypatch.setattr(db, "utcnow", lambda: dt.datetime.fromtimestamp(t["now"], dt.timezone.utc))
    for i in range(auth.LOCK_AFTER):
        assert sign_in(client(world, f"198.51.100.{i}"), password="wrong").status_code == 400
    t["now"] += 59.5
    r = sign_in(client(world, "198.51.100.77"))
    assert r.status_code == 429 and r.headers["Retry-After"] == "1"  # half a second left: wait 1, never 0
    t["now"] += 0.5  # a minute to the second after the last failure
    assert sign_in(client(world, "198.51.100.78")).status_code == 303


def test_an_email_over_320_characters_is_counted_as_one_unusable_account(world):
    at_edge, over = "a" * 306 + "@practice.test", "b" * 307 + "@practice.test"
    assert (len(at_edge), len(over)) == (320, 321)
    for email in (at_edge.upper(), over):
        assert sign_in(client(world, "198.51.100.9"), email=email, password="wrong").status_code == 400
    with world.engine.begin() as conn:
        assert [r.account for r in conn.execute(db.sign_in_failures.select())] == [at_edge, "(unusable email)"]


def test_the_lock_is_shared_by_every_process_on_one_database(world, tmp_path):
    for _ in range(auth.LOCK_AFTER):
        sign_in(client(world), password="wrong")
    second = make_world(Settings(data_dir=tmp_path / "srv", secret_key="k"))  # another process, same database
    assert sign_in(client(second, "203.0.113.5")).status_code == 429


def test_the_lock_grows_ends_and_a_good_sign_in_forgets_the_failures(world):
    def time_passes(seconds):
        with world.engine.begin() as conn:
            conn.execute(update(db.sign_in_failures).values(at=db.sign_in_failures.c.at - seconds))
    for _ in range(auth.LOCK_AFTER):
        sign_in(client(world), password="wrong")
    assert sign_in(client(world), password="wrong").status_code == 429  # locked: not even checked, not counted
    time_passes(61)
    assert sign_in(client(world), password="wrong").status_code == 400  # the sixth failure
    r = sign_in(client(world, "203.0.113.1"))
    assert r.status_code == 429 and int(r.headers["Retry-After"]) in range(110, 122)  # the second lock is 2 minutes
    time_passes(121)
    assert sign_in(client(world, "203.0.113.1")).status_code == 303
    assert sign_in(client(world, "203.0.113.2"), password="wrong").status_code == 400  # counting starts again


@pytest.mark.parametrize("failures, seconds", [(0, 0), (4, 0), (5, 60), (6, 120), (8, 480), (11, 3600), (500, 3600)])
def test_a_lock_is_never_longer_than_an_hour(failures, seconds):
    assert auth.lock_seconds(failures) == seconds


def test_a_good_sign_in_forgets_its_own_accounts_failures_and_no_one_elses(world):
    world.specialist("kim@practice.test", "Kim")
    for i in range(auth.LOCK_AFTER - 1):
        assert sign_in(client(world, f"198.51.100.{i}"), password="wrong").status_code == 400
        assert sign_in(client(world, f"198.51.100.{i + 50}"), "kim@practice.test", password="wrong").status_code == 400
    assert sign_in(client(world)).status_code == 303
    with world.engine.begin() as conn:
        left = sorted(r.account for r in conn.execute(db.sign_in_failures.select()).all())
    assert left == ["kim@practice.test"] * (auth.LOCK_AFTER - 1)
    for i in range(auth.LOCK_AFTER - 1):  # Sam starts from nothing: four more failures do not lock him
        assert sign_in(client(world, f"198.51.100.{i + 100}"), password="wrong").status_code == 400
    assert sign_in(client(world)).status_code == 303
    assert sign_in(client(world, "198.51.100.60"), "kim@practice.test", password="wrong").status_code == 400
    assert sign_in(client(world, "198.51.100.61"), "kim@practice.test").status_code == 429  # Kim's five count


def test_many_accounts_failing_from_one_address_lock_the_address(world):
    c = client(world, "198.51.100.200")
    for i in range(auth.LOCK_AFTER_ADDRESS):
        last = sign_in(c, email=f"guess{i}@practice.test", password="x")
        assert last.status_code == 400
    assert "do not match. Too many failed sign-ins for this network address." in last.text  # the one that locks
    r = sign_in(c)
    assert r.status_code == 429 and "Too many failed sign-ins for this network address. Try again in" in r.text
    assert sign_in(client(world, "198.51.100.201")).status_code == 303  # another address is not locked


# --- sessions --------------------------------------------------------------------------------------

def test_sign_in_and_sign_out_need_their_csrf_tokens(world):
    c = client(world)
    assert sign_in(c, token="forged").status_code == 404 and not signed_in(c)
    assert sign_in(c).status_code == 303 and signed_in(c)
    assert c.post("/logout", data={"csrf": "forged"}, follow_redirects=False).status_code == 404
    assert signed_in(c)


def test_signing_out_goes_back_to_the_sign_in_page_and_drops_the_cookie(world):
    c = client(world)
    sign_in(c)
    r = c.post("/logout", data={"csrf": csrf_of(c.get("/").text)}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login"
    dropped = r.headers["set-cookie"]
    assert dropped.startswith(f"{auth.SESSION_COOKIE}=") and ("Max-Age=0" in dropped or "expires=" in dropped.lower())
    assert auth.SESSION_COOKIE not in c.cookies and not signed_in(c)


def test_a_browser_that_sends_no_user_agent_signs_in(world):
    c = client(world)
    del c.headers["user-agent"]
    assert sign_in(c).status_code == 303 and signed_in(c)
    assert 'data-label="Browser"></td>' in c.get("/account").text  # nothing made up in its place


def test_a_form_token_is_43_url_safe_characters_and_a_strange_one_is_refused_not_an_error(world):
    c = client(world)
    sign_in(c)
    token = csrf_of(c.get("/").text)
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", token)  # an HMAC-SHA-256, URL-safe base64, no padding
    signer = auth.Signer("k")
    for strange in ("\ud800", "é" * 43, token + "=", "", None):
        assert signer.matches(token, strange) is False
    assert signer.matches(token, token) is True


def test_a_csrf_token_works_only_with_its_own_session(world):
    mine, theirs = client(world, "192.0.2.31"), client(world, "192.0.2.32")
    world.specialist("kim@practice.test", "Kim")
    sign_in(mine)
    sign_in(theirs, "kim@practice.test")
    my_token = csrf_of(mine.get("/").text)
    assert csrf_of(theirs.get("/").text) != my_token
    r = theirs.post("/logout", data={"csrf": my_token}, follow_redirects=False)
    assert r.status_code == 404 and signed_in(theirs)


def test_sign_out_ends_the_session_on_the_server_so_a_copied_cookie_stops_working(world):
    c = client(world)
    sign_in(c)
    copied = c.cookies.get(auth.SESSION_COOKIE)
    c.post("/logout", data={"csrf": csrf_of(c.get("/").text)})
    thief = client(world, "203.0.113.66")
    thief.cookies.set(auth.SESSION_COOKIE, copied)
    assert not signed_in(thief)


@pytest.mark.parametrize("column, minutes_ago", [("last_seen_at", 31), ("created_at", 12 * 60 + 1)])
def test_an_idle_or_too_old_session_is_refused(world, column, minutes_ago):
    c = client(world)
    sign_in(c)
    assert signed_in(c)
    with world.engine.begin() as conn:
        conn.execute(update(db.sessions).values(**{column: db.iso(dt.datetime.now(dt.timezone.utc) -
                                                                  dt.timedelta(minutes=minutes_ago))}))
    assert not signed_in(c)


def test_a_session_ends_at_its_idle_and_age_limits_to_the_millisecond_and_only_that_session_is_removed(world, monkeypatch):
    """The clock is injected (db.utcnow): a session idle exactly 30 minutes, or exactly 12 hours old, still
    counts; a millisecond more ends it, and ending it removes its own row, never another's."""
    t0 = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.timezone.utc)
    clock = {"now": t0}
    monkeypatch.setattr(db, "utcnow", lambda: clock["now"])
    world.specialist("kim@practice.test", "Kim")
    sam, kim = client(world, "192.0.2.41"), client(world, "192.0.2.42")
    sign_in(sam)
    sign_in(kim, "kim@practice.test")

    def rows() -> int:
        with world.engine.begin() as conn:
            return len(conn.execute(db.sessions.select()).all())
    idle = dt.timedelta(minutes=world.app.state.settings.session_idle_minutes)

    def last_seen(c) -> str:
        with world.engine.begin() as conn:
            return conn.execute(select(db.sessions.c.last_seen_at).where(
                db.sessions.c.id == auth.token_hash(c.cookies.get(auth.SESSION_COOKIE)))).scalar()
    clock["now"] = t0 + dt.timedelta(minutes=1)
    assert signed_in(sam) and last_seen(sam) == db.iso(t0)  # noted as seen once a minute has gone by, not sooner
    clock["now"] = t0 + idle  # idle exactly the limit: still signed in (and seen now)
    assert signed_in(sam)
    clock["now"] = t0 + idle + idle  # Sam was seen at t0 + idle; Kim not since t0, a whole limit and more
    assert last_seen(sam) == db.iso(t0 + idle)
    assert signed_in(sam) and not signed_in(kim) and rows() == 1  # Kim's row is gone, Sam's stays
    clock["now"] += idle + dt.timedelta(milliseconds=1)
    assert not signed_in(sam) and rows() == 0
    sign_in(sam)
    start = clock["now"]
    # the age limit: seen every few minutes, Sam is out after 12 hours, not a moment before
    while clock["now"] < start + dt.timedelta(hours=auth.SESSION_HOURS) - dt.timedelta(minutes=10):
        clock["now"] += dt.timedelta(minutes=10)
        assert signed_in(sam)
    clock["now"] = start + dt.timedelta(hours=auth.SESSION_HOURS)
    assert signed_in(sam)
    clock["now"] += dt.timedelta(milliseconds=1)
    assert not signed_in(sam) and rows() == 0


def test_a_session_of_a_deactivated_specialist_is_refused_even_if_its_row_is_left(world):
    """Deactivating ends the sessions (admin.set_active); a session row left behind (a restored backup, another
    process's write landing after the delete) still lets nobody in."""
    c = client(world)
    sign_in(c)
    with world.engine.begin() as conn:
        conn.execute(update(db.specialists).values(deactivated_at=db.now()))
    assert not signed_in(c)


def test_an_altered_or_made_up_cookie_is_refused(world):
    c = client(world)
    sign_in(c)
    token = c.cookies.get(auth.SESSION_COOKIE)
    for forged in (token[:-1] + ("A" if token[-1] != "A" else "B"), str(uuid.uuid4()), "x" * 500, ""):
        other = client(world)
        other.cookies.set(auth.SESSION_COOKIE, forged)
        assert not signed_in(other)


def test_the_account_page_lists_sessions_and_ends_the_others(world):
    laptop, phone = client(world, "192.0.2.1"), client(world, "192.0.2.2")
    sign_in(laptop)
    phone.headers["user-agent"] = "Phone browser " + "x" * 250  # kept to 200 characters
    sign_in(phone)
    page = laptop.get("/account").text
    assert page.count("192.0.2.") == 2 and "(this one)" in page
    assert f'data-label="Browser">Phone browser {"x" * 186}</td>' in page and 'data-label="Browser">testclient<' in page
    colleague = client(world, "192.0.2.3")
    world.specialist("kim@practice.test", "Kim")
    sign_in(colleague, "kim@practice.test")
    laptop.post("/account/sessions/end-others", data={"csrf": csrf_of(page)})
    assert signed_in(laptop) and not signed_in(phone)
    assert signed_in(colleague)  # only one's own sessions end


def test_the_dashboard_unpairs_only_the_phone_it_names(world):
    family, other_family = world.family("sam@practice.test"), world.family("sam@practice.test", "The Joneses")
    phone, tablet, theirs = world.pair(family), world.pair(family, "Ben"), world.pair(other_family, "Cy")
    c = client(world)
    sign_in(c)
    page = c.get(f"/families/{family}").text
    r = c.post(f"/families/{family}/devices/{phone['device_id']}/unpair", data={"csrf": csrf_of(page)},
               follow_redirects=False)
    assert r.status_code == 303 and f"?done=unpaired&who={phone['device_id']}" in r.headers["location"]
    pulled = {name: world.client.get("/api/v1/sync/pull", headers=auth_headers(d["token"])).status_code
              for name, d in (("phone", phone), ("tablet", tablet), ("theirs", theirs))}
    assert pulled == {"phone": 401, "tablet": 200, "theirs": 200}
    # a phone already unpaired, or of another family (through this family's address), is not found
    for device in (phone, theirs):
        r = c.post(f"/families/{family}/devices/{device['device_id']}/unpair", data={"csrf": csrf_of(page)},
                   follow_redirects=False)
        assert r.status_code == 404
    assert world.client.get("/api/v1/sync/pull", headers=auth_headers(theirs["token"])).status_code == 200


def test_unpairing_in_the_admin_layer_checks_the_family_and_the_device(world):
    from server import admin
    family, other_family = world.family("sam@practice.test"), world.family("sam@practice.test", "The Joneses")
    phone, theirs = world.pair(family), world.pair(other_family, "Cy")
    for fam, device_id in ((family, theirs["device_id"]), (other_family, phone["device_id"]), (family, ""),
                           (family, "not-a-uuid")):
        with pytest.raises(admin.NotFound, match="^no such paired device in this family$"):  # the CLI prints it
            admin.unpair_device(world.engine, fam, device_id, "sam@practice.test")
    admin.unpair_device(world.engine, family, phone["device_id"], "sam@practice.test")
    with pytest.raises(admin.NotFound):  # once only
        admin.unpair_device(world.engine, family, phone["device_id"], "sam@practice.test")
    assert world.client.get("/api/v1/sync/pull", headers=auth_headers(theirs["token"])).status_code == 200


def test_unpairing_a_device_on_the_dashboard_stops_its_token_at_once(world):
    family = world.family("sam@practice.test")
    device = world.pair(family)
    c = client(world)
    sign_in(c)
    page = c.get(f"/families/{family}").text
    c.post(f"/families/{family}/devices/{device['device_id']}/unpair", data={"csrf": csrf_of(page)})
    assert world.client.get("/api/v1/sync/pull", headers=auth_headers(device["token"])).status_code == 401
