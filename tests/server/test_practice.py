"""What a practice needs to run the server (issue 9): accounts (passwords, admins, deactivation, moving a
family, a second factor), the practice's audit log, and backups with SYNC.md's 410 after a restore."""

from __future__ import annotations

import csv
import html
import io
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pyotp
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from server import accounts, admin, backup, db, queries
from server.settings import Settings
from tests.server.conftest import PASSWORD, auth_headers, entry_op, make_world

ROOT = Path(__file__).resolve().parents[2]
NEW_PASSWORD = "a brand new long password"


@pytest.fixture
def practice(tmp_path):
    w = make_world(Settings(data_dir=tmp_path / "srv", secret_key="k"))
    w.admin_id = admin.create_specialist(w.engine, "boss@practice.test", "Bo Admin", PASSWORD, is_admin=True)
    w.sam_id = w.specialist("sam@practice.test", "Sam")
    w.family_id = w.family("sam@practice.test", "The Byrnes")
    return w


def browser(world, address="192.0.2.20") -> TestClient:
    return TestClient(world.app, base_url="http://127.0.0.1", client=(address, 5000))


def sign_in(c: TestClient, email: str, password: str = PASSWORD, code: str = ""):
    page = c.get("/login").text
    return c.post("/login", data={"email": email, "password": password, "code": code,
                                  "stamp": re.search(r'name="stamp" value="(\d+)"', page).group(1),
                                  "token": re.search(r'name="token" value="([^"]+)"', page).group(1)},
                  follow_redirects=False)


def csrf(c: TestClient, path: str = "/account") -> str:
    return re.search(r'name="csrf" value="([^"]+)"', c.get(path).text).group(1)


def signed_in(c: TestClient) -> bool:
    return c.get("/", follow_redirects=False).status_code == 200


# --- passwords -------------------------------------------------------------------------------------

def test_changing_the_password_ends_every_other_session_and_keeps_this_one(practice):
    here, elsewhere = browser(practice), browser(practice, "192.0.2.21")
    sign_in(here, "sam@practice.test")
    sign_in(elsewhere, "sam@practice.test")
    wrong = here.post("/account/password", data={"current": "not it", "new": NEW_PASSWORD, "again": NEW_PASSWORD,
                                                 "csrf": csrf(here)})
    assert wrong.status_code == 400 and "current password is not right" in wrong.text
    r = here.post("/account/password", data={"current": PASSWORD, "new": NEW_PASSWORD, "again": NEW_PASSWORD,
                                             "csrf": csrf(here)})
    assert r.status_code == 200 and "password was changed" in r.text
    assert signed_in(here) and not signed_in(elsewhere)
    assert sign_in(browser(practice, "192.0.2.22"), "sam@practice.test").status_code == 400
    assert sign_in(browser(practice, "192.0.2.23"), "sam@practice.test", NEW_PASSWORD).status_code == 303


def cli(tmp_path, *args, stdin=None):
    env = {**os.environ, "REGROUP_SERVER_DATA_DIR": str(tmp_path / "srv")}
    env.pop("REGROUP_DATABASE_URL", None)
    return subprocess.run([sys.executable, "-m", "server", *args], cwd=ROOT, env=env, input=stdin, text=True,
                          capture_output=True)


def test_the_cli_sets_a_password_and_signs_that_person_out_everywhere(practice, tmp_path):
    c = browser(practice)
    sign_in(c, "sam@practice.test")
    result = cli(tmp_path, "set-password", "--email", "sam@practice.test", stdin=NEW_PASSWORD + "\n")
    assert result.returncode == 0 and result.stdout.strip() == practice.sam_id
    assert not signed_in(c)
    assert sign_in(browser(practice, "192.0.2.30"), "sam@practice.test", NEW_PASSWORD).status_code == 303
    assert cli(tmp_path, "set-password", "--email", "nobody@x.test", stdin=NEW_PASSWORD + "\n").returncode == 1
    assert cli(tmp_path, "set-password", "--email", "sam@practice.test", stdin="short\n").returncode == 1


def test_create_specialist_admin_from_the_cli(tmp_path):
    made = cli(tmp_path, "create-specialist", "--email", "a@x.test", "--name", "A", "--admin", stdin=PASSWORD + "\n")
    assert made.returncode == 0
    w = make_world(Settings(data_dir=tmp_path / "srv", secret_key="k"))
    assert queries.read(w.engine, queries.specialist_by_email, "a@x.test").is_admin


# --- the admin ----------------------------------------------------------------------------------------

def test_the_admin_adds_a_specialist_who_can_then_sign_in(practice):
    boss = browser(practice)
    sign_in(boss, "boss@practice.test")
    r = boss.post("/admin/specialists", data={"email": "new@practice.test", "name": "Nia", "password": NEW_PASSWORD,
                                              "role": "", "csrf": csrf(boss, "/admin")}, follow_redirects=False)
    assert r.status_code == 303
    assert sign_in(browser(practice, "192.0.2.40"), "new@practice.test", NEW_PASSWORD).status_code == 303


def test_a_deactivated_specialist_cannot_sign_in_and_their_families_stay(practice, tmp_path):
    sam = browser(practice, "192.0.2.41")
    sign_in(sam, "sam@practice.test")
    boss = browser(practice)
    sign_in(boss, "boss@practice.test")
    boss.post(f"/admin/specialists/{practice.sam_id}/active", data={"active": "0", "csrf": csrf(boss, "/admin")})
    assert not signed_in(sam)  # the session ended
    r = sign_in(browser(practice, "192.0.2.42"), "sam@practice.test")
    assert r.status_code == 403 and "This account has been deactivated. Ask your practice's admin." in html.unescape(r.text)
    assert "The Byrnes" in boss.get("/admin").text and queries.read(practice.engine, queries.family,
                                                                     practice.family_id) is not None
    assert cli(tmp_path, "deactivate", "--email", "sam@practice.test", "--reactivate").returncode == 0
    assert sign_in(browser(practice, "192.0.2.43"), "sam@practice.test").status_code == 303


def test_the_admin_cannot_deactivate_themselves(practice):
    boss = browser(practice)
    sign_in(boss, "boss@practice.test")
    r = boss.post(f"/admin/specialists/{practice.admin_id}/active", data={"active": "0", "csrf": csrf(boss, "/admin")})
    assert r.status_code == 400 and signed_in(boss)


def test_deactivating_asks_first_on_its_own_page_then_says_what_was_done(practice):
    boss = browser(practice)
    sign_in(boss, "boss@practice.test")
    assert f'href="/admin/specialists/{practice.sam_id}/active"' in boss.get("/admin").text
    ask = boss.get(f"/admin/specialists/{practice.sam_id}/active").text
    assert "What will happen" in ask and "can no longer sign in" in ask and "Their families stay" in ask
    assert boss.get(f"/admin/specialists/{practice.admin_id}/active").status_code == 404  # not oneself
    done = boss.post(f"/admin/specialists/{practice.sam_id}/active", data={"active": "0", "csrf": csrf(boss, "/admin")})
    assert "is deactivated: they can no longer sign in" in done.text


def test_the_admin_moves_a_family_to_another_specialist(practice):
    kim = practice.specialist("kim@practice.test", "Kim")
    boss = browser(practice)
    sign_in(boss, "boss@practice.test")
    boss.post(f"/admin/families/{practice.family_id}/move", data={"specialist_id": kim, "csrf": csrf(boss, "/admin")})
    kim_c, sam_c = browser(practice, "192.0.2.50"), browser(practice, "192.0.2.51")
    sign_in(kim_c, "kim@practice.test")
    sign_in(sam_c, "sam@practice.test")
    assert kim_c.get(f"/families/{practice.family_id}").status_code == 200
    assert sam_c.get(f"/families/{practice.family_id}").status_code == 404


# --- the second factor -----------------------------------------------------------------------------------

def set_up_totp(c: TestClient) -> tuple[str, list[str]]:
    page = c.post("/account/2fa/start", data={"csrf": csrf(c)}).text
    secret = re.search(r'aria-label="Key for your authenticator app">([A-Z2-7]+)<', page).group(1)
    assert "<svg" in page
    done = c.post("/account/2fa/enable", data={"code": pyotp.TOTP(secret).now(), "csrf": csrf(c)}).text
    codes = re.findall(r'<li class="code">([0-9a-f-]+)</li>', done)
    assert len(codes) == admin.RECOVERY_CODES
    return secret, codes


def test_a_second_factor_is_asked_for_once_set_up_and_a_recovery_code_works_once(practice):
    c = browser(practice)
    sign_in(c, "sam@practice.test")
    wrong = c.post("/account/2fa/start", data={"csrf": csrf(c)})
    assert c.post("/account/2fa/enable", data={"code": "000000", "csrf": csrf(c)}).status_code == 400 and wrong
    secret, codes = set_up_totp(c)
    assert sign_in(browser(practice, "192.0.2.60"), "sam@practice.test").status_code == 400  # no code
    wrong_code = sign_in(browser(practice, "192.0.2.61"), "sam@practice.test", code="123456")
    assert wrong_code.status_code == 400
    assert ("The code from your authenticator app (or a recovery code) is missing or wrong."
            in wrong_code.text and "do not match" not in wrong_code.text)
    with practice.engine.begin() as conn:  # the audit log says which part failed
        reasons = [r.detail for r in conn.execute(select(db.audit_log).where(db.audit_log.c.action == "sign_in_failed"))]
    assert reasons == ["sam@practice.test (second factor)"] * 2
    assert sign_in(browser(practice, "192.0.2.66"), "sam@practice.test", password="wrong").status_code == 400
    with practice.engine.begin() as conn:
        last = conn.execute(select(db.audit_log.c.detail).where(db.audit_log.c.action == "sign_in_failed")
                            .order_by(db.audit_log.c.id.desc())).first()[0]
    assert last == "sam@practice.test (password)"
    assert sign_in(browser(practice, "192.0.2.62"), "sam@practice.test",
                   code=pyotp.TOTP(secret).now()).status_code == 303
    assert sign_in(browser(practice, "192.0.2.63"), "sam@practice.test", code=codes[0]).status_code == 303
    assert sign_in(browser(practice, "192.0.2.64"), "sam@practice.test", code=codes[0]).status_code == 400  # used
    spaced = pyotp.TOTP(secret).now()
    assert sign_in(browser(practice, "192.0.2.65"), "sam@practice.test",
                   code=f" {spaced[:3]} {spaced[3:]} ").status_code == 303  # as an app shows it


def test_a_code_from_the_previous_30_seconds_is_taken_and_older_ones_are_not(practice):
    c = browser(practice)
    sign_in(c, "sam@practice.test")
    secret, _ = set_up_totp(c)
    now = time.time()
    previous, too_old = pyotp.TOTP(secret).at(now - 30), pyotp.TOTP(secret).at(now - 60)
    assert accounts.second_factor_ok(practice.engine, practice.sam_id, previous)
    assert not accounts.second_factor_ok(practice.engine, practice.sam_id, too_old)


def test_a_recovery_code_signs_in_only_the_specialist_it_was_made_for(practice):
    sam, kim = browser(practice), browser(practice, "192.0.2.66")
    practice.specialist("kim@practice.test", "Kim")
    sign_in(sam, "sam@practice.test")
    sign_in(kim, "kim@practice.test")
    _, sams_codes = set_up_totp(sam)
    set_up_totp(kim)
    assert sign_in(browser(practice, "192.0.2.67"), "kim@practice.test", code=sams_codes[0]).status_code == 400


def test_require_2fa_sends_an_admin_without_one_to_set_it_up(tmp_path):
    w = make_world(Settings(data_dir=tmp_path / "srv", secret_key="k", require_2fa=True))
    admin.create_specialist(w.engine, "boss@practice.test", "Bo", PASSWORD, is_admin=True)
    w.specialist("sam@practice.test")
    boss, sam = browser(w), browser(w, "192.0.2.70")
    sign_in(boss, "boss@practice.test")
    sign_in(sam, "sam@practice.test")
    r = boss.get("/admin", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/account#second-factor"
    assert "asks admins to use a second factor" in boss.get("/account").text
    assert signed_in(sam)  # a specialist who is not an admin is not asked
    set_up_totp(boss)
    assert boss.get("/admin").status_code == 200


# --- the practice's audit log -------------------------------------------------------------------------

def test_the_admin_reads_filters_and_exports_the_audit_log_which_survives_a_family_erase(practice, monkeypatch):
    sign_in(browser(practice, "198.51.100.9"), "sam@practice.test", "a wrong password")  # a failed sign-in
    sam = browser(practice, "192.0.2.80")
    sign_in(sam, "sam@practice.test")
    later = db.utcnow() + 2 * admin.AFTER_OWN_POST  # long enough after creating the family for a view to count
    monkeypatch.setattr(db, "utcnow", lambda: later)
    sam.get(f"/families/{practice.family_id}")
    admin.erase_family(practice.engine, practice.family_id, "sam@practice.test")
    boss = browser(practice)
    sign_in(boss, "boss@practice.test")
    def actions(query=""):  # what each row says was done, in words
        page = boss.get("/admin/audit" + query).text
        return set(re.findall(r'<td data-label="What">([^<]+)</td>', page)), page
    everything, page = actions()
    assert {"failed to sign in", "erased the family"} <= everything
    assert re.search(r'<td data-label="Who">address 198\.51\.100\.9</td><td data-label="What">failed to sign in</td>'
                     r'<td data-label="Family">the practice</td><td data-label="Detail">sam@practice\.test \(password\)'
                     r'</td>', page)  # who, what, no family, which account
    by_family, _ = actions(f"?family={practice.family_id}")
    assert {"viewed the family&#39;s page", "added the family"} <= by_family and "failed to sign in" not in by_family
    by_actor, _ = actions("?specialist=sam@practice.test")
    assert "erased the family" in by_actor and "added a specialist" not in by_actor
    today = db.utcnow().date().isoformat()
    assert "viewed the family&#39;s page" in actions(f"?since={today}&until={today}")[0]
    assert actions("?until=2000-01-01")[0] == set()
    assert boss.get("/admin/audit?since=yesterday").status_code == 400
    exported = boss.get(f"/admin/audit.csv?family={practice.family_id}")
    rows = list(csv.reader(io.StringIO(exported.text)))
    assert exported.headers["content-type"].startswith("text/csv") and exported.headers["Cache-Control"] == "no-store"
    assert rows[0] == ["at", "actor", "action", "family_id", "detail"]
    assert {r[2] for r in rows[1:]} >= {"created_family", "viewed", "erased_family"}


def test_audit_csv_cells_never_start_a_formula():
    text = admin.audit_csv([{"at": "t", "actor": "=HYPERLINK(1)", "action": "x", "family_id": None,
                             "detail": "+1"}])
    assert "'=HYPERLINK(1)" in text and "'+1" in text


def views(world, family_id) -> int:
    with world.engine.begin() as conn:
        return conn.execute(select(func.count()).select_from(db.audit_log).where(
            db.audit_log.c.family_id == family_id, db.audit_log.c.action == "viewed")).scalar()


def test_the_page_after_ones_own_post_is_covered_by_the_posts_entry(practice, monkeypatch):
    sam = browser(practice)
    sign_in(sam, "sam@practice.test")
    clock = [db.utcnow() + 2 * admin.AFTER_OWN_POST]  # well after the family was created
    monkeypatch.setattr(db, "utcnow", lambda: clock[0])
    page = sam.get(f"/families/{practice.family_id}")
    assert views(practice, practice.family_id) == 1
    token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    r = sam.post(f"/families/{practice.family_id}/message", data={"body": "Hello", "member_id": "", "csrf": token})
    assert r.status_code == 200 and views(practice, practice.family_id) == 1  # followed the redirect: no new view
    clock[0] += 2 * admin.AFTER_OWN_POST
    sam.get(f"/families/{practice.family_id}")
    assert views(practice, practice.family_id) == 2  # a later look is a view again


# --- backups and restores ------------------------------------------------------------------------------

def pull(world, token, since):
    return world.client.get(f"/api/v1/sync/pull?since={since}", headers=auth_headers(token))


def restore_scenario(world, settings, tmp_path, reopen):
    """Both cases of SYNC.md's 410 after a restore; returns nothing, asserts as it goes."""
    a = world.pair(world.family_id, "Ana")
    b = world.pair(world.family_id, "Ben")
    admin.send_message(world.engine, world.family_id, None, "before the backup", "Sam", "sam")
    saved = backup.backup(settings, tmp_path / "backups")
    assert saved.exists() and oct(saved.stat().st_mode)[-3:] == "600"
    admin.send_message(world.engine, world.family_id, None, "after the backup: lost", "Sam", "sam")
    cursor_a = pull(world, a["token"], 0).json()["next_cursor"]  # A saw both messages
    world.engine.dispose()
    backup.restore(settings, world.engine, saved)
    world = reopen()
    # 1. A's cursor is ahead of the restored family's latest seq: 410, then everything from 0.
    assert pull(world, a["token"], cursor_a).status_code == 410
    bodies = [c["data"]["body"] for c in pull(world, a["token"], 0).json()["changes"]]
    assert bodies == ["before the backup"]
    # 2. Pushes after the restore overtake B's old cursor; a new message must still reach B.
    cursor_b = cursor_a
    world.client.post("/api/v1/sync/push", headers=auth_headers(a["token"]), json={"ops": [entry_op()] * 1})
    for _ in range(3):
        world.client.post("/api/v1/sync/push", headers=auth_headers(b["token"]), json={"ops": [entry_op()]})
    admin.send_message(world.engine, world.family_id, None, "after the restore", "Sam", "sam")
    assert pull(world, b["token"], cursor_b).status_code == 410  # never a silent skip past the new message
    assert "after the restore" in [c["data"]["body"] for c in pull(world, b["token"], 0).json()["changes"]]
    with world.engine.begin() as conn:
        assert conn.execute(select(func.count()).select_from(db.sessions)).scalar() == 0  # everyone signs in again


def test_backup_and_restore_on_sqlite(practice, tmp_path):
    settings = Settings(data_dir=tmp_path / "srv", secret_key="k")
    restore_scenario(practice, settings, tmp_path, lambda: _reopened(practice, settings))


def test_backup_and_restore_on_postgresql(pg_url, tmp_path):
    settings = Settings(data_dir=tmp_path / "srv", secret_key="k", database_url=pg_url)
    w = make_world(settings)
    w.specialist("sam@practice.test")
    w.family_id = w.family("sam@practice.test")
    restore_scenario(w, settings, tmp_path, lambda: _reopened(w, settings))
    w.engine.dispose()


def _reopened(world, settings):
    fresh = make_world(settings)
    fresh.family_id = world.family_id
    return fresh


def test_backup_on_postgresql_says_when_pg_dump_is_missing(pg_url, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(backup.BackupError, match="pg_dump is not on PATH"):
        backup.backup(Settings(database_url=pg_url), tmp_path / "b")


def test_backup_from_the_cli_while_the_server_runs(practice, tmp_path):
    result = cli(tmp_path, "backup", "--into", str(tmp_path / "b"))
    assert result.returncode == 0 and Path(result.stdout.strip()).stat().st_size > 0
