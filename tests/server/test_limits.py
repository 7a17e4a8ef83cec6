"""Device rate limits hold across processes: in Redis when configured, in the database on PostgreSQL."""

from __future__ import annotations

import os
import time
import uuid

import pytest

from server import db
from server.ratelimit import DeviceLimiter, PairingLimit

REDIS = "redis://127.0.0.1:6379/15"


def redis_up() -> bool:
    try:
        import redis
        return redis.Redis.from_url(REDIS, socket_connect_timeout=1).ping()
    except Exception:  # noqa: BLE001
        return False


def redis_or_skip() -> None:
    if not redis_up():
        pytest.skip("Redis TESTS NOT RUN: no Redis on 127.0.0.1:6379") if os.environ.get(
            "REGROUP_REQUIRE_E2E") != "1" else pytest.fail("Redis is not running on 127.0.0.1:6379")


def an_address() -> str:
    """An address no other test (or a run in the last 15 minutes, or a parallel worker) has used: the Redis
    window outlives a test, so 250 addresses would meet again (IPv6's documentation range has room)."""
    return f"2001:db8::{uuid.uuid4().hex[:4]}:{uuid.uuid4().hex[:4]}"


def two_processes_share_one_limit(make) -> None:
    """Two limiter instances (as two server processes would have) count against the same window."""
    first, second = make(), make()
    key = f"device-{uuid.uuid4()}"
    allowed = [(first if i % 2 else second).hit(key) is None for i in range(7)]
    assert allowed == [True] * 5 + [False] * 2
    wait = first.hit(key)
    assert wait is not None and 1 <= wait <= 60
    assert first.hit(f"other-{uuid.uuid4()}") is None  # per device


def test_limits_in_redis_are_shared(tmp_path):
    redis_or_skip()
    engine = db.make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    two_processes_share_one_limit(lambda: DeviceLimiter(engine, "5/minute", REDIS, use_database=False))


def test_limits_in_postgresql_are_shared(pg_url):
    engine = db.make_engine(pg_url.replace("postgresql://", "postgresql+psycopg://"))
    db.migrate(engine)
    two_processes_share_one_limit(lambda: DeviceLimiter(engine, "5/minute", None, use_database=True))
    engine.dispose()


def test_memory_limits_are_for_one_process_only(tmp_path):
    engine = db.make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    limiter = DeviceLimiter(engine, "5/minute", None, use_database=False)
    assert [limiter.hit("d") is None for _ in range(6)] == [True] * 5 + [False]


def test_health_with_redis_set_says_ok_while_redis_answers(tmp_path):
    """(Redis down is test_operations.py's 503.) A health check that never saw Redis answer would leave every
    load balancer taking the server out of service: a mutant returning False here passed before."""
    redis_or_skip()
    from server.settings import Settings
    from tests.server.conftest import make_world
    up = make_world(Settings(data_dir=tmp_path / "up", secret_key="k", redis_url=REDIS))
    r = up.client.get("/api/v1/health")
    assert r.status_code == 200 and r.json()["status"] == "ok"


# --- Retry-After to the second (mutation run 11) -------------------------------------------------------------
# The limiters read time.time(): the `limits` library behind the in-memory and Redis device limits reads it
# itself, so the tests move that one clock. A wait is right when waiting it out lets the next request in and a
# second less does not; a range (the route tests') lets a wait a second off, or read from an empty window, pass.

T0 = 1_800_000_000.25  # a quarter past a second: the database limits count whole seconds


@pytest.fixture
def clock(monkeypatch):
    now = [T0]
    monkeypatch.setattr(time, "time", lambda: now[0])
    return now


def a_database(tmp_path):
    engine = db.make_engine(f"sqlite:///{tmp_path / 'limits.db'}")
    db.migrate(engine)
    return engine


def device_limiter(backend: str, tmp_path) -> DeviceLimiter:
    """Three requests a minute, in memory, in the database or in Redis."""
    if backend == "redis":
        redis_or_skip()
    return DeviceLimiter(a_database(tmp_path), "3/minute", REDIS if backend == "redis" else None,
                         use_database=backend == "database")


def pairing_limit(backend: str, tmp_path, window_s: int = 60) -> PairingLimit:
    """Two failures a window, in the database or in Redis."""
    if backend == "redis":
        redis_or_skip()
    return PairingLimit(a_database(tmp_path), 2, window_s, REDIS if backend == "redis" else None)


def check_wait(hit, clock, wait: int | None) -> None:
    """`wait` was the answer at clock[0]: a second before its end is still refused; at its end, let in."""
    assert wait is not None and wait >= 1
    start = clock[0]
    if wait > 1:
        clock[0] = start + wait - 1
        assert hit() is not None, f"let in {wait - 1} s after a wait of {wait}"
    clock[0] = start + wait
    assert hit() is None, f"still refused after the whole wait of {wait} s"


@pytest.mark.parametrize("backend", ["memory", "database", "redis"])
def test_a_device_waits_exactly_what_retry_after_says(backend, tmp_path, clock):
    limiter = device_limiter(backend, tmp_path)
    device, other = f"device-{uuid.uuid4()}", f"device-{uuid.uuid4()}"
    hit = lambda: limiter.hit(device)  # noqa: E731
    for offset in (0, 10, 20):
        clock[0] = T0 + offset
        assert hit() is None
    clock[0] = T0 + 25
    assert [limiter.hit(other) for _ in range(3)] == [None] * 3  # another device has a window of its own
    clock[0] = T0 + 30
    wait = hit()
    assert 29 <= wait <= 31  # the first hit leaves the window at T0 + 60
    check_wait(hit, clock, wait)  # in again about T0 + 60: the hits older than a minute no longer count
    clock[0] += 0.5  # the window now holds T0 + 10, T0 + 20 and the one just let in
    check_wait(hit, clock, hit())
    clock[0] = T0 + 61
    assert limiter.hit(other) is not None  # its three from T0 + 25 still count: nobody else's cleanup took them


@pytest.mark.parametrize("backend", ["memory", "database", "redis"])
def test_the_shortest_wait_is_one_second(backend, tmp_path, clock):
    limiter = device_limiter(backend, tmp_path)
    device = f"device-{uuid.uuid4()}"
    for offset in (1, 2, 3):
        clock[0] = T0 + offset
        assert limiter.hit(device) is None
    clock[0] = T0 + 60.5  # half a second before the first leaves the window (whole seconds: one)
    assert limiter.hit(device) == 1
    clock[0] += 1
    assert limiter.hit(device) is None


@pytest.mark.parametrize("backend", ["database", "redis"])
def test_a_pairing_address_waits_exactly_what_retry_after_says(backend, tmp_path, clock):
    limit = pairing_limit(backend, tmp_path)
    address, other = an_address(), an_address()
    reserve = lambda: limit.reserve(address)[1]  # noqa: E731
    for offset in (0, 10):
        clock[0] = T0 + offset
        assert limit.reserve(address)[0] is not None  # two failures (never taken back)
    clock[0] = T0 + 25
    assert limit.reserve(other)[0] is not None and limit.reserve(other)[0] is not None
    clock[0] = T0 + 30
    wait = reserve()
    assert 29 <= wait <= 31
    check_wait(reserve, clock, wait)
    clock[0] += 0.5
    check_wait(reserve, clock, reserve())
    clock[0] = T0 + 61
    assert limit.reserve(other)[1] is not None  # its two from T0 + 25 still count


@pytest.mark.parametrize("backend", ["database", "redis"])
def test_the_shortest_pairing_wait_is_one_second(backend, tmp_path, clock):
    limit = pairing_limit(backend, tmp_path)
    address = an_address()
    for offset in (1, 2):
        clock[0] = T0 + offset
        assert limit.reserve(address)[1] is None
    clock[0] = T0 + 60.5  # half a second before the first leaves the window (whole seconds: one)
    assert limit.reserve(address)[1] == 1
    clock[0] += 1
    assert limit.reserve(address)[1] is None


@pytest.mark.parametrize("backend", ["database", "redis"])
def test_a_good_code_takes_back_only_its_own_attempt(backend, tmp_path):
    """Addresses behind a trusted proxy are whatever X-Forwarded-For said: one holding the separator "|" still
    takes its own attempt back, and nobody else's."""
    limit = pairing_limit(backend, tmp_path, window_s=900)
    address, other = f"{an_address()}|x|y", an_address()
    failed, _ = limit.reserve(address)
    limit.reserve(other)
    for _ in range(5):
        attempt, wait = limit.reserve(address)
        assert wait is None
        limit.succeeded(attempt)  # a good code: still one failure on record
    assert limit.reserve(address)[1] is None and limit.reserve(address)[1] is not None  # the second failure fills it
    limit.succeeded(failed)  # (never done for a failure; shows the first one was still there)
    assert limit.reserve(address)[1] is None
    assert limit.reserve(other)[1] is None and limit.reserve(other)[1] is not None  # its one failure stayed


def test_health_does_not_hang_on_a_redis_that_never_answers(tmp_path):
    """A Redis that takes the connection and never replies (a full server, a wrong port behind a proxy) reads
    as down within the health check's own timeout, never as a hung health check."""
    import socket
    import threading
    from server.ratelimit import redis_reachable
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)  # connections complete in the backlog; nothing ever reads or writes
    answer = []
    probe = threading.Thread(target=lambda: answer.append(
        redis_reachable(f"redis://127.0.0.1:{silent.getsockname()[1]}/0")), daemon=True)
    probe.start()
    probe.join(timeout=30)  # a bound for a hang, not a timing: the check gives up after a second
    silent.close()
    assert answer == [False]


def test_parallel_reservations_in_one_process_on_postgresql_check_exactly_the_limit(pg_url):
    """On PostgreSQL (read committed) two transactions would each count four failures and both go on: the
    advisory lock per address makes the count and the insert one step. In this process, so that a change to
    the lock shows here (test_pairing_limit.py runs the same through two server processes)."""
    from concurrent.futures import ThreadPoolExecutor
    engine = db.make_engine(pg_url.replace("postgresql://", "postgresql+psycopg://"))
    db.migrate(engine)
    limit, address = PairingLimit(engine, 5, 900), an_address()
    with ThreadPoolExecutor(max_workers=20) as pool:
        answers = list(pool.map(lambda _: limit.reserve(address), range(60)))
    engine.dispose()
    assert sum(attempt is not None for attempt, _ in answers) == 5
