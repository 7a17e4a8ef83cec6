"""Addresses of screens with an id in them (kept apart from routes.py, which imports every screen)."""

from __future__ import annotations


def step_route(step_id: str) -> str:
    """A step's address: "after.keep-safe" as /step/after/keep-safe. Flet's web server takes a last path part
    with a dot for a file and answers 404 when it is reloaded or opened from a link (it still draws the app)."""
    return "/step/" + step_id.replace(".", "/")
