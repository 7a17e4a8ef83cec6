"""SYNC.md's endpoints over an injected httpx.AsyncClient, with every answer checked before it is believed.

A redirect, an HTML page, a truncated or oversized body, or JSON of the wrong shape is a `server_error`
that changes nothing on the phone; a dead network is `server_unreachable`. Tests pass the server's
ASGI app or a transport that injects faults.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import httpx

from app.errors import AppError
from app.sync.protocol import MAX_RESPONSE, PROTOCOL

TIMEOUT = httpx.Timeout(30.0, connect=10.0)
PAIR_ERRORS = ("invalid_code", "used_code", "expired_code")
STATUSES = ("applied", "duplicate", "conflict", "rejected")


class RateLimited(AppError):
    """429: the server asked to wait; `retry_after` in seconds."""

    def __init__(self, retry_after: int):
        super().__init__("rate_limited", f"retry after {retry_after} s")
        self.retry_after = retry_after


class ResyncRequired(Exception):
    """410: the cursor is older than what the server kept, or ahead of it; pull again from 0."""


@dataclass(frozen=True)
class Page:
    changes: list[dict]
    next_cursor: int
    has_more: bool


def _bad(why: str) -> AppError:
    return AppError("server_error", why)


def _retry_after(response: httpx.Response) -> int:
    try:
        return max(1, min(int(response.headers.get("retry-after", "30")), 24 * 3600))
    except ValueError:
        return 30


class SyncHttp:
    """One server, one device token (None before pairing)."""

    def __init__(self, client: httpx.AsyncClient, server_url: str, token: str | None = None):
        self._client, self._base, self._token = client, server_url.rstrip("/"), token

    async def _call(self, method: str, path: str, *, body: bytes | None = None, params: dict | None = None
                    ) -> tuple[int, object, httpx.Response]:
        headers = {"Regroup-Protocol": str(PROTOCOL), "Accept": "application/json"}
        if self._token:
            headers["Authorization"] = f"Bearer {self._token}"
        if body is not None:
            headers["Content-Type"] = "application/json; charset=utf-8"
        request = self._client.build_request(method, self._base + path, content=body, params=params,
                                             headers=headers, timeout=TIMEOUT)
        try:
            response = await self._client.send(request, stream=True, follow_redirects=False)
            try:
                raw = await _read_capped(response)
            finally:
                await response.aclose()
        except httpx.TransportError as exc:  # offline, refused, timed out, cut off mid-answer
            raise AppError("server_unreachable", exc.__class__.__name__) from None
        if 300 <= response.status_code < 400:
            raise _bad(f"redirect {response.status_code}")
        if response.status_code == 204:
            return 204, None, response
        try:
            data = json.loads(raw.decode("utf-8")) if raw else None
        except (UnicodeDecodeError, ValueError):
            raise _bad(f"HTTP {response.status_code} without JSON") from None
        return response.status_code, data, response

    def _common(self, status: int, data: object, response: httpx.Response) -> None:
        """Answers every endpoint shares: 401, 429, 5xx and anything unplanned."""
        if status == 401:
            raise AppError("connection_closed", "401")
        if status == 429:
            raise RateLimited(_retry_after(response))
        if status >= 500:
            raise _bad(f"HTTP {status}")
        code = data.get("error") if isinstance(data, dict) else None
        raise _bad(f"HTTP {status} {code!r}")

    async def health(self) -> dict:
        status, data, response = await self._call("GET", "/api/v1/health")
        if status != 200 or not isinstance(data, dict) or data.get("status") != "ok":
            if status == 200:
                raise _bad("not a Regroup server")
            self._common(status, data, response)
        if data.get("protocol") != PROTOCOL or not isinstance(data.get("min_client_version"), str):
            raise _bad("another protocol")
        return data

    async def pair(self, code: str, device_name: str) -> dict:
        body = json.dumps({"code": code, "device_name": device_name}, ensure_ascii=False).encode("utf-8")
        status, data, response = await self._call("POST", "/api/v1/pair", body=body)
        if status == 201 and isinstance(data, dict) and all(
                isinstance(data.get(k), str) and data[k] for k in ("device_id", "member_id", "family_id", "token")):
            return data
        if status == 400 and isinstance(data, dict) and data.get("error") in PAIR_ERRORS:
            raise AppError(data["error"])
        if status == 201:
            raise _bad("pairing answer of the wrong shape")
        self._common(status, data, response)

    async def push(self, body: bytes, op_ids: list[str]) -> list[dict]:
        status, data, response = await self._call("POST", "/api/v1/sync/push", body=body)
        if status != 200:
            self._common(status, data, response)
        results = data.get("results") if isinstance(data, dict) else None
        if not isinstance(results, list) or len(results) != len(op_ids):
            raise _bad("push answer of the wrong shape")
        return [_check_result(r, op_id) for r, op_id in zip(results, op_ids)]

    async def pull(self, since: int, limit: int) -> Page:
        status, data, response = await self._call("GET", "/api/v1/sync/pull", params={"since": since, "limit": limit})
        if status == 410:
            raise ResyncRequired()
        if status != 200:
            self._common(status, data, response)
        if not (isinstance(data, dict) and isinstance(data.get("changes"), list) and _is_int(data.get("next_cursor"))
                and isinstance(data.get("has_more"), bool)):
            raise _bad("pull answer of the wrong shape")
        return Page([_check_change(c) for c in data["changes"]], data["next_cursor"], data["has_more"])

    async def unpair(self, erase: bool) -> None:
        status, data, response = await self._call("DELETE", "/api/v1/device",
                                                  params={"erase": "true" if erase else "false"})
        if status != 204:
            self._common(status, data, response)


async def _read_capped(response: httpx.Response) -> bytes:
    length = response.headers.get("content-length", "")
    if length.isdigit() and int(length) > MAX_RESPONSE:
        raise _bad("answer too large")
    chunks, size = [], 0
    async for chunk in response.aiter_bytes():
        size += len(chunk)
        if size > MAX_RESPONSE:
            raise _bad("answer too large")
        chunks.append(chunk)
    return b"".join(chunks)


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_result(r: object, op_id: str) -> dict:
    if not (isinstance(r, dict) and r.get("op_id") == op_id and r.get("status") in STATUSES
            and (r.get("version") is None or _is_int(r.get("version")))):
        raise _bad("a push result of the wrong shape")
    if r["status"] == "rejected" and not (isinstance(r.get("error"), dict) and isinstance(r["error"].get("code"), str)):
        raise _bad("a rejection without its code")
    if r["status"] != "rejected" and not _is_int(r.get("version")):
        raise _bad("a result without its version")
    return r


def _check_change(c: object) -> dict:
    if not (isinstance(c, dict) and _is_int(c.get("seq")) and isinstance(c.get("entity"), str)
            and isinstance(c.get("entity_id"), str) and isinstance(c.get("deleted"), bool)
            and (c.get("data") is None or isinstance(c.get("data"), dict))):
        raise _bad("a change of the wrong shape")
    if not c["deleted"] and c.get("data") is None:
        raise _bad("a change without its data")
    return c
