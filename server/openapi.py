"""The API's OpenAPI description (request and response schemas), so schemathesis and clients can check it.

The routes read their bodies themselves (to answer in the contract's order and format), so the
schemas are declared here rather than inferred from parameters.
"""

from __future__ import annotations

ERROR = {"type": "object", "required": ["error", "detail"], "properties": {
    "error": {"type": "string"}, "detail": {"type": "string"}, "field": {"type": "string"}}}


def _errors(*codes: int) -> dict:
    names = {400: "Malformed JSON, unsupported protocol, or a bad pairing code", 401: "No valid token",
             404: "Not found", 410: "Cursor too old or ahead: pull from 0", 413: "Body over 1 MiB",
             422: "Bad envelope", 429: "Rate limited"}
    return {code: {"description": names[code], "content": {"application/json": {"schema": ERROR}}} for code in codes}


PROTOCOL_HEADER = {"name": "Regroup-Protocol", "in": "header", "required": False,
                   "schema": {"type": "string", "enum": ["1"]}}
RESULT = {"type": "object", "required": ["op_id", "status", "version", "seq", "error"], "properties": {
    "op_id": {"type": "string"},
    "status": {"type": "string", "enum": ["applied", "duplicate", "conflict", "rejected"]},
    "version": {"type": ["integer", "null"]}, "seq": {"type": ["integer", "null"]},
    "error": {"oneOf": [{"type": "null"}, {"type": "object", "required": ["code", "field", "detail"], "properties": {
        "code": {"type": "string"}, "field": {"type": ["string", "null"]}, "detail": {"type": "string"}}}]}}}
# Only op_id belongs to the envelope; every other fault of an op is a per-op rejection (200).
OP = {"type": "object", "required": ["op_id"], "properties": {
    "op_id": {"type": "string", "minLength": 1, "maxLength": 100, "pattern": "^[^\\x00]+$"}}}
CHANGE = {"type": "object", "required": ["seq", "entity", "entity_id", "version", "deleted", "data"], "properties": {
    "seq": {"type": "integer"}, "entity": {"type": "string"}, "entity_id": {"type": "string"},
    "version": {"type": "integer"}, "deleted": {"type": "boolean"}, "data": {"type": ["object", "null"]}}}


def _json(schema: dict, description: str = "OK") -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


HEALTH_DOC = {"responses": {200: _json({"type": "object", "required": ["status", "version", "protocol",
                                                                       "min_client_version"], "properties": {
    "status": {"type": "string"}, "version": {"type": "string"}, "protocol": {"type": "integer"},
    "min_client_version": {"type": "string"}}}), 503: _json({"type": "object", "required": [
        "status", "version", "protocol", "min_client_version"], "properties": {
        "status": {"type": "string"}, "version": {"type": "string"}, "protocol": {"type": "integer"},
        "min_client_version": {"type": "string"}}}, "The database (or Redis) does not answer")}}

PAIR_DOC = {
    "openapi_extra": {"parameters": [PROTOCOL_HEADER], "requestBody": {"required": True, "content": {
        "application/json": {"schema": {"type": "object", "required": ["code", "device_name"], "properties": {
            "code": {"type": "string", "maxLength": 100},
            "device_name": {"type": "string", "minLength": 1, "maxLength": 80, "pattern": "^\\s*[^\\s\\x00].*$"}},
            "additionalProperties": False}}}}},
    "responses": {201: _json({"type": "object", "required": ["device_id", "member_id", "family_id", "token",
                                                             "server_time"], "properties": {
        k: {"type": "string"} for k in ("device_id", "member_id", "family_id", "token", "server_time")}},
        "Paired"), **_errors(400, 413, 422, 429)},
}
BEARER = {"security": [{"bearer": []}]}
PUSH_DOC = {
    "openapi_extra": {**BEARER, "parameters": [PROTOCOL_HEADER], "requestBody": {"required": True, "content": {
        "application/json": {"schema": {"type": "object", "required": ["ops"], "additionalProperties": False,
                                        "properties": {
            "ops": {"type": "array", "minItems": 1, "maxItems": 100, "items": OP}}}}}}},
    "responses": {200: _json({"type": "object", "required": ["results"],
                              "properties": {"results": {"type": "array", "items": RESULT}}}),
                  **_errors(400, 401, 413, 422, 429)},
}
PULL_DOC = {
    "openapi_extra": {**BEARER, "parameters": [
        PROTOCOL_HEADER,
        {"name": "since", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 0}},
        {"name": "limit", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 1,
                                                                        "maximum": 500}}]},
    "responses": {200: _json({"type": "object", "required": ["changes", "next_cursor", "has_more"], "properties": {
        "changes": {"type": "array", "items": CHANGE}, "next_cursor": {"type": "integer"},
        "has_more": {"type": "boolean"}}}), **_errors(400, 401, 410, 422, 429)},
}
DELETE_DOC = {
    "openapi_extra": {**BEARER, "parameters": [
        PROTOCOL_HEADER, {"name": "erase", "in": "query", "required": False, "schema": {"type": "boolean"}}]},
    "responses": {204: {"description": "Unpaired"}, **_errors(400, 401, 422, 429)},
}


def add_security_scheme(schema: dict) -> dict:
    schema.setdefault("components", {}).setdefault("securitySchemes", {})["bearer"] = {
        "type": "http", "scheme": "bearer"}
    return schema
