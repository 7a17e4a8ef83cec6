"""Logging that never carries what a person typed: events, codes and where a fault happened, never messages.

An exception's message can hold journal text (a library may quote its input), so every traceback
that reaches a log, the console or a crash report is written as its class and frames only
(`trace_without_text`). Libraries' debug lines, which may dump whole websocket messages, are dropped.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import threading

from app.errors import trace_without_text

FORMAT = "%(levelname)s %(name)s: %(message)s"
OURS = ("regroup",)
log = logging.getLogger("regroup")


class PrivateFormatter(logging.Formatter):
    """Tracebacks as class and frames; no exception message, no stack dump of values."""

    def formatException(self, ei) -> str:  # noqa: N802 - logging's name
        return "Traceback (message withheld): " + trace_without_text(ei[1]) if ei and ei[1] else ""

    def formatStack(self, stack_info: str) -> str:  # noqa: N802
        return ""


class DropLibraryDebug(logging.Filter):
    """Debug lines only from Regroup's own loggers (Flet's may print whole messages from the page)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.INFO or record.name.split(".")[0] in OURS


def private_handler(stream=None) -> logging.Handler:
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(PrivateFormatter(FORMAT))
    handler.addFilter(DropLibraryDebug())
    return handler


def configure_logging(level: int = logging.INFO, stream=None) -> None:
    """The process's one log setup: every line through the private handler, crashes included."""
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(private_handler(stream))
    root.setLevel(level)
    # Uvicorn installs its own handlers and formatters when the server starts (dictConfig), after this
    # runs: every formatter in the process withholds exception messages, not only ours.
    logging.Formatter.formatException = PrivateFormatter.formatException
    logging.Formatter.formatStack = PrivateFormatter.formatStack
    sys.excepthook = _crash
    threading.excepthook = lambda args: _crash(args.exc_type, args.exc_value, args.exc_traceback)


def _crash(exc_type, exc, tb) -> None:
    if exc is not None and exc.__traceback__ is None:
        exc = exc.with_traceback(tb)
    log.critical("crash: %s", trace_without_text(exc) if exc is not None else exc_type.__name__)


def loop_exception_handler(loop: asyncio.AbstractEventLoop, context: dict) -> None:
    """For asyncio: its default handler prints the task's repr, which quotes the exception's message."""
    exc = context.get("exception")
    where = trace_without_text(exc) if exc is not None else "no exception"
    log.error("background task failed: %s", where)
