"""No typed word in a log line, a crash report or an error shown on the page (README, privacy)."""

from __future__ import annotations

import asyncio
import io
import logging
import sys
import threading
from types import SimpleNamespace

import pytest

from app import logs
from wiring import PASSIVE_EVENTS, guard_session

CANARY = "Canary 0b7d: my mother drank again at the wedding"


@pytest.fixture
def private_log(monkeypatch):
    """configure_logging into a buffer; every global it changes is put back afterwards."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    for obj, name in [(logging.Formatter, "formatException"), (logging.Formatter, "formatStack"),
                      (sys, "excepthook"), (threading, "excepthook")]:
        monkeypatch.setattr(obj, name, getattr(obj, name))
    stream = io.StringIO()
    logs.configure_logging(stream=stream)
    yield stream
    for handler in list(root.handlers):
        root.removeHandler(handler)
    for handler in handlers:
        root.addHandler(handler)
    root.setLevel(level)


def test_a_traceback_keeps_its_class_and_place_but_not_its_message(private_log):
    try:
        raise ValueError(f"could not parse {CANARY!r}")
    except ValueError:
        logging.getLogger("regroup.ui").exception("entry not saved")
    text = private_log.getvalue()
    assert "entry not saved" in text and "ValueError at test_logs.py" in text
    assert CANARY not in text


def test_a_library_formatter_made_later_withholds_the_message_too(private_log):
    """Uvicorn installs its own formatter when the server starts: it must not print messages either."""
    late = logging.Formatter("%(message)s")
    try:
        raise RuntimeError(CANARY)
    except RuntimeError:
        record = logging.getLogger("uvicorn.error").makeRecord("uvicorn.error", logging.ERROR, __file__, 1,
                                                               "Exception in ASGI application", (), sys.exc_info())
    assert CANARY not in late.format(record) and "RuntimeError" in late.format(record)


def test_library_debug_lines_are_dropped(private_log):
    logging.getLogger().setLevel(logging.DEBUG)
    logging.getLogger("flet.messaging").debug("_on_message: {'value': %r}", CANARY)
    logging.getLogger("regroup.sync").debug("pushed 3 ops")
    assert CANARY not in private_log.getvalue() and "pushed 3 ops" in private_log.getvalue()


def test_a_crashed_thread_reports_its_class_only(private_log):
    def boom():
        raise KeyError(CANARY)
    worker = threading.Thread(target=boom)
    worker.start()
    worker.join()
    assert "crash: KeyError" in private_log.getvalue() and CANARY not in private_log.getvalue()


def test_a_failed_background_task_reports_its_class_only(private_log):
    async def boom():
        raise ValueError(CANARY)

    async def go():
        loop = asyncio.get_running_loop()
        loop.set_exception_handler(logs.loop_exception_handler)
        task = loop.create_task(boom())
        await asyncio.sleep(0)
        loop.call_exception_handler({"message": f"Task exception was never retrieved {task!r}",
                                     "exception": task.exception(), "future": task})
    asyncio.run(go())
    assert "background task failed: ValueError" in private_log.getvalue()
    assert CANARY not in private_log.getvalue()


def test_a_crashed_handler_shows_calm_words_and_events_count_as_activity():
    shown, touched, handled = [], [], []

    async def dispatch(control_id, name, data):
        handled.append(name)

    session = SimpleNamespace(dispatch_event=dispatch, error=shown.append)
    assert guard_session(SimpleNamespace(session=session), lambda: touched.append(1))
    session.error(f"ValueError: {CANARY}\nTraceback ...")
    assert CANARY not in shown[0] and "Nothing you saved has been lost" in shown[0]

    async def go():
        await session.dispatch_event(1, "click", None)
        await session.dispatch_event(1, "change", "typed")
        for name in sorted(PASSIVE_EVENTS):
            await session.dispatch_event(1, name, None)
    asyncio.run(go())
    assert len(touched) == 2 and handled[:2] == ["click", "change"] and len(handled) == 2 + len(PASSIVE_EVENTS)
