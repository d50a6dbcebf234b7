"""Schemathesis hooks for scripts/hostile_test (loaded through SCHEMATHESIS_HOOKS).

The OpenAPI document states every constraint on a single value (patterns, enums, bounds,
required parameters). What it cannot state are rules that join several values or depend on the
store; this file handles exactly those, and nothing else:

- `ndjson`: `POST /v1/articles/batch` takes `application/x-ndjson`, which schemathesis cannot
  serialize by itself; the generated body (a string in the document) is sent as UTF-8 text.
- `before_call` repairs *positive* cases (schema-valid by construction) that break a rule across
  parameters, so the request is valid and reaches the handler's real work instead of its 400:
  * `from` after `to` (every operation with a date range): the two are swapped;
  * `GET /v1/timeline` takes exactly one of `actor` and `country`: the extra one is dropped, or
    `country=IRN` added when neither was generated;
  * `cursor` is an opaque keyset position the server hands out (`next_cursor`); a generated hex
    string that does not decode to a position is replaced by a well-formed one.
  Negative cases are never touched: they must still be refused for their own defect.
- `filter_failure` excuses, on `POST /v1/entities/{id}/merge` only, the 400s of the merge rules
  that join the path and the body (an entity into itself) or depend on the store (both entities
  of one kind, countries never merged). Any other refusal of a valid request still fails.
"""

import datetime
import json
import re

import schemathesis

MERGE = "POST /v1/entities/{id}/merge"
# The store's messages for the merge rules the document cannot express (crates/graph/src/merge.rs).
MERGE_RULES = re.compile(
    r"cannot merge an entity into itself|cannot merge an? \w+ into an? \w+|"
    r"countries are their ISO code and cannot be merged"
)
ID = re.compile(r"[A-Za-z0-9_:.-]+")
# A keyset position (crates/graph/src/filter.rs `encode_cursor`): hex of `YYYY-MM-DD/<id>`.
WELL_FORMED_CURSOR = "2020-07-22/0".encode().hex()


@schemathesis.serializer("application/x-ndjson")
def ndjson(ctx, value):
    if isinstance(value, (bytes, bytearray)):
        return bytes(value)
    if isinstance(value, str):
        return value.encode("utf-8")
    items = value if isinstance(value, list) else [value]
    return "\n".join(json.dumps(item) for item in items).encode("utf-8")


def _is_positive(case):
    meta = getattr(case, "meta", None)
    return meta is not None and meta.generation.mode.is_positive


def _is_cursor(value):
    """Whether `value` decodes like the server's `decode_cursor` wants."""
    try:
        text = bytes.fromhex(value).decode("utf-8")
    except ValueError:
        return False
    day, sep, ident = text.partition("/")
    if not sep or not ID.fullmatch(ident) or not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", day):
        return False
    try:
        datetime.date.fromisoformat(day)
    except ValueError:
        return False
    return True


@schemathesis.hook
def before_call(ctx, case, **kwargs):
    if not _is_positive(case) or not isinstance(case.query, dict):
        return
    query = case.query
    start, end = query.get("from"), query.get("to")
    # Days are `YYYY-MM-DD`, so their text order is their calendar order.
    if isinstance(start, str) and isinstance(end, str) and case.operation.path != "/v1/graph/path":
        if start > end:
            query["from"], query["to"] = end, start
    if case.operation.path == "/v1/timeline":
        if "actor" in query and "country" in query:
            del query["actor" if len(query) % 2 else "country"]
        elif "actor" not in query and "country" not in query:
            query["country"] = "IRN"
    cursor = query.get("cursor")
    if isinstance(cursor, str) and cursor and not _is_cursor(cursor):
        query["cursor"] = WELL_FORMED_CURSOR


@schemathesis.hook
def filter_failure(ctx, failure, case, response):
    if case.operation.label != MERGE or getattr(failure, "code", None) != "ST202":
        return True
    if response.status_code != 400:
        return True
    try:
        message = json.loads(response.content)["error"]["message"]
    except (ValueError, KeyError, TypeError):
        return True
    return not MERGE_RULES.search(message)
