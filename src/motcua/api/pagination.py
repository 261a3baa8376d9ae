"""Cursor pagination: opaque `next` tokens that the client sends back as `cursor`.

Two kinds of cursor, both base64url-encoded JSON so clients treat them as opaque:

- keyset (`{"k": [...]}`): the sort key of the last row of the page. Lists in a stable order
  (procedures by code, units by edition/level/code, agencies by slug) continue *after* that key,
  so a row inserted or removed between two requests neither repeats nor hides another one, and a
  deep page costs the same as the first.
- offset (`{"o": n}`): ranked search results have no stable key (the score depends on the query
  and the ranking internals), so their cursor carries the offset into the ranking.
"""

import base64
import binascii
import json

from django.db.models import Q, QuerySet

from motcua.api.errors import BadParameterError

MAX_OFFSET = 100_000


def encode_cursor(data: dict) -> str:
    raw = json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(token: str) -> dict:
    try:
        padded = token + "=" * (-len(token) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
    except (ValueError, binascii.Error, UnicodeError):
        data = None
    if not isinstance(data, dict):
        raise BadParameterError(
            "cursor",
            "Tham số “cursor” không hợp lệ: hãy dùng nguyên giá trị “next” của trang trước.",
        )
    return data


def decode_offset(token: str | None) -> int:
    """The offset a ranked-results cursor carries (0 for the first page)."""
    if not token:
        return 0
    offset = _decode(token).get("o")
    if not isinstance(offset, int) or isinstance(offset, bool) or not 0 <= offset <= MAX_OFFSET:
        raise BadParameterError(
            "cursor",
            "Tham số “cursor” không dùng được cho truy vấn này: hãy dùng giá trị “next” của trang "
            "trước với cùng các tham số tìm kiếm.",
        )
    return offset


def decode_keyset(token: str | None, width: int) -> list | None:
    """The sort key a keyset cursor carries (None for the first page)."""
    if not token:
        return None
    key = _decode(token).get("k")
    if not (isinstance(key, list) and len(key) == width and all(isinstance(v, str | int) for v in key)):
        raise BadParameterError(
            "cursor",
            "Tham số “cursor” không dùng được cho danh sách này: hãy dùng giá trị “next” của trang "
            "trước với cùng các tham số lọc.",
        )
    return key


def _after(fields: list[str], key: list) -> Q:
    """Rows strictly after `key` in the lexicographic order of `fields` (all ascending)."""
    condition = Q()
    for i, field in enumerate(fields):
        step = Q(**{f"{field}__gt": key[i]})
        for prior, value in zip(fields[:i], key[:i], strict=True):
            step &= Q(**{prior: value})
        condition |= step
    return condition


def keyset_page(qs: QuerySet, fields: list[str], cursor: str | None, limit: int) -> tuple[list, str | None]:
    """One page of `qs` ordered by `fields` (which must be unique together), and the next cursor."""
    key = decode_keyset(cursor, len(fields))
    qs = qs.order_by(*fields)
    if key is not None:
        qs = qs.filter(_after(fields, key))
    rows = list(qs[: limit + 1])
    if len(rows) <= limit:
        return rows, None
    rows = rows[:limit]
    last = rows[-1]
    return rows, encode_cursor({"k": [_value(last, f) for f in fields]})


def _value(row, field: str):
    value = row
    for part in field.split("__"):
        value = getattr(value, part)
    return value


def offset_next(offset: int, limit: int, total: int) -> str | None:
    return encode_cursor({"o": offset + limit}) if offset + limit < total else None
