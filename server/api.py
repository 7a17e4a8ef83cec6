"""The sync API (SYNC.md): checks in the contract's order, JSON errors only, never a 500 for client input."""

from __future__ import annotations

import ipaddress
import itertools
import json
import logging
import re

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from server import MIN_CLIENT_VERSION, PROTOCOL, VERSION, db, sync
from server.openapi import (DELETE_DOC, HEALTH_DOC, PAIR_DOC, PULL_DOC, PUSH_DOC)
from server.ratelimit import redis_reachable

log = logging.getLogger("regroup.server")
MAX_BODY = 1024 * 1024
MAX_DEPTH = 64  # far above any body of SYNC.md (6 levels), far below the parser's recursion limit
MAX_OPS = 100
router = APIRouter(prefix="/api/v1")
# Each route hands its request to a plain function: mutmut (`make mutants`) skips decorated functions, and
# these bodies hold the pairing, the limits and the rate limits.


def error(status: int, code: str, detail: str, field: str | None = None, headers: dict | None = None) -> JSONResponse:
    body = {"error": code, "detail": detail}
    if field:
        body["field"] = field
    return JSONResponse(body, status_code=status, headers=headers)


class Problem(Exception):
    """Stops a request with one of the contract's error answers."""

    def __init__(self, response: JSONResponse):
        self.response = response


def check_protocol(request: Request) -> None:
    version = request.headers.get("regroup-protocol")
    if version is not None and version.strip() != str(PROTOCOL):
        raise Problem(error(400, "unsupported_protocol", f"this server speaks protocol {PROTOCOL}"))


async def authenticate(request: Request) -> sync.Device:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    device = await run_in_threadpool(sync.device_for_token, request.app.state.engine, token.strip()) \
        if scheme.lower() == "bearer" and token.strip() else None
    if device is None:
        raise Problem(unauthorized())
    return device


def unauthorized() -> JSONResponse:
    return error(401, "unauthorized", "no valid device token; pair again")


async def read_json(request: Request):
    length = request.headers.get("content-length")
    if length and length.isdigit() and int(length) > MAX_BODY:
        raise Problem(error(413, "too_large", "the body is over 1 MiB"))
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            raise Problem(error(413, "too_large", "the body is over 1 MiB"))
    if nesting_depth(body) > MAX_DEPTH:
        raise Problem(error(400, "malformed_json", f"the body nests deeper than {MAX_DEPTH} levels"))
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise Problem(error(400, "malformed_json", "the body is not valid JSON")) from None


_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_STEP = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}


def nesting_depth(body: bytes) -> int:
    """The deepest nesting of [ and { outside strings, counted before parsing (the parser recurses)."""
    def deepest(text: bytes) -> int:
        return max(itertools.accumulate(_STEP[b] for b in text.translate(None, _NOT_BRACKETS)), default=0)
    rough = deepest(body)  # brackets inside strings count too: an upper bound, and quick
    return rough if rough <= MAX_DEPTH else deepest(_JSON_STRING.sub(b"", body))


def client_address(request: Request) -> str:
    """The peer, or behind a trusted proxy the first X-Forwarded-For address from the right not a proxy."""
    trusted = request.app.state.settings.trusted_proxies
    peer = request.client.host if request.client else "unknown"

    def is_trusted(addr: str) -> bool:
        try:
            ip = ipaddress.ip_address(addr)
        except ValueError:
            return False
        return any(ip in net for net in trusted)

    if not trusted or not is_trusted(peer):
        return peer
    hops = [h.strip() for h in request.headers.get("x-forwarded-for", "").split(",") if h.strip()]
    for hop in reversed(hops):
        if not is_trusted(hop):
            return hop[:64]
    return peer


async def rate_limit(request: Request, device: sync.Device) -> None:
    wait = await run_in_threadpool(request.app.state.device_limiter.hit, device.id)
    if wait is not None:
        raise Problem(error(429, "rate_limited", "too many requests from this device", headers={"Retry-After": str(wait)}))


@router.get("/health", **HEALTH_DOC)
async def health(request: Request):
    """SYNC.md's body; 503 with the same fields when the database (or Redis, when set) does not answer."""
    state = request.app.state

    def backends_up() -> bool:
        redis_url = state.settings.redis_url
        return db.reachable(state.engine) and (not redis_url or redis_reachable(redis_url))
    up = await run_in_threadpool(backends_up)
    return JSONResponse({"status": "ok" if up else "unavailable", "version": VERSION, "protocol": PROTOCOL,
                         "min_client_version": MIN_CLIENT_VERSION}, status_code=200 if up else 503)


@router.post("/pair", status_code=201, **PAIR_DOC)
async def pair(request: Request):
    return await _pair(request)


async def _pair(request: Request):
    check_protocol(request)
    body = await read_json(request)
    if not isinstance(body, dict) or not isinstance(body.get("code"), str) or \
            not isinstance(body.get("device_name"), str) or set(body) - {"code", "device_name"}:
        raise Problem(error(422, "invalid_request", "expected {code, device_name}"))
    name = body["device_name"].strip()
    if not 1 <= len(name) <= 80 or "\x00" in name or not _encodable(name):
        raise Problem(error(422, "invalid_request", "device_name is 1 to 80 characters", "device_name"))
    if len(body["code"]) > 100:  # (a code is 12 characters; spaces and dashes are allowed around them)
        raise Problem(error(422, "invalid_request", "the code is at most 100 characters", "code"))
    limit = request.app.state.pairing_limit
    attempt, wait = await run_in_threadpool(limit.reserve, client_address(request))
    if wait is not None:
        raise Problem(error(429, "rate_limited", "too many failed pairings; try again later",
                            headers={"Retry-After": str(wait)}))
    try:
        result = await run_in_threadpool(sync.pair, request.app.state.engine, body["code"], name)
    except sync.PairError as exc:  # the reserved attempt stays: it was a failure
        detail = {"invalid_code": "this code is not known", "used_code": "this code was already used",
                  "expired_code": "this code has expired; ask for a new one"}[exc.code]
        raise Problem(error(400, exc.code, detail)) from None
    await run_in_threadpool(limit.succeeded, attempt)
    return JSONResponse(result, status_code=201)


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
        return True
    except UnicodeEncodeError:
        return False


@router.post("/sync/push", **PUSH_DOC)
async def push(request: Request):
    return await _push(request)


async def _push(request: Request):
    check_protocol(request)
    device = await authenticate(request)
    body = await read_json(request)
    ops = body.get("ops") if isinstance(body, dict) else None
    if not isinstance(ops, list) or not 1 <= len(ops) <= MAX_OPS or set(body) - {"ops"}:
        raise Problem(error(422, "invalid_request", f"expected {{ops: [1 to {MAX_OPS} ops]}}"))
    for i, op in enumerate(ops):
        if not isinstance(op, dict) or not isinstance(op.get("op_id"), str) or not 1 <= len(op["op_id"]) <= 100 \
                or not _encodable(op["op_id"]) or "\x00" in op["op_id"]:
            raise Problem(error(422, "invalid_request", "every op needs an op_id (text, 1 to 100 characters)",
                                f"ops[{i}].op_id"))
    await rate_limit(request, device)
    # A JSONResponse as it is: FastAPI would first walk every result with jsonable_encoder (same bytes, slower).
    return JSONResponse({"results": await run_in_threadpool(sync.push, request.app.state.engine, device, ops)})


@router.get("/sync/pull", **PULL_DOC)
async def pull(request: Request):
    return await _pull(request)


async def _pull(request: Request):
    check_protocol(request)
    device = await authenticate(request)
    params = request.query_params
    if set(params) - {"since", "limit"}:
        raise Problem(error(422, "invalid_request", "pull takes since and limit only"))
    try:
        since = int(params.get("since", "0"))
        limit = int(params.get("limit", "100"))
    except ValueError:
        raise Problem(error(422, "invalid_request", "since and limit are whole numbers")) from None
    if since < 0 or not 1 <= limit <= 500:
        raise Problem(error(422, "invalid_request", "since is not negative; limit is from 1 to 500"))
    await rate_limit(request, device)
    try:
        return JSONResponse(await run_in_threadpool(sync.pull, request.app.state.engine, device, since, limit))
    except sync.ResyncRequired:
        raise Problem(error(410, "resync_required", "pull again from 0")) from None


@router.delete("/device", status_code=204, **DELETE_DOC)
async def unpair(request: Request):
    return await _unpair(request)


async def _unpair(request: Request):
    check_protocol(request)
    device = await authenticate(request)
    if set(request.query_params) - {"erase"}:
        raise Problem(error(422, "invalid_request", "unpairing takes erase only"))
    erase = request.query_params.get("erase", "false").lower()
    if erase not in ("true", "false", "1", "0"):
        raise Problem(error(422, "invalid_request", "erase is true or false"))
    await run_in_threadpool(sync.unpair, request.app.state.engine, device, erase in ("true", "1"))
    return Response(status_code=204)
