"""Every error code the server answers with, in one list: docs/sync-protocol.md's tables are tested
against it, and it against the code that raises them."""

# A whole request refused: the code in {"error": ..., "detail": ...} and its HTTP status.
REQUEST_ERRORS = {
    "unsupported_protocol": 400,
    "malformed_json": 400,
    "invalid_code": 400,
    "used_code": 400,
    "expired_code": 400,
    "unauthorized": 401,
    "not_found": 404,
    "method_not_allowed": 405,
    "resync_required": 410,
    "too_large": 413,
    "invalid_request": 422,
    "rate_limited": 429,
    "http_error": 0,  # any other status the framework answers before a route runs (0: that status)
}

# One op refused inside a 200 answer to a push: {"status": "rejected", "error": {"code": ...}}.
OP_ERRORS = ("unknown_entity", "unknown_field", "missing_field", "wrong_type", "invalid_value", "too_long",
             "invalid_text", "too_large", "not_owner", "op_id_taken", "deleted", "erased", "revoked")
