"""Parse the data file a piece at a time, so that reading it never holds an
event loop for long.

``orjson.loads`` of the large demo set takes ~50 ms (and ~250 ms at five
times that), in one call that keeps the GIL: a key pressed meanwhile waits for
all of it, and a thread would not help. The file rapport writes has a fixed
layout (``dump_bytes``: sorted keys, two-space indent), and in JSON every line
break lies outside any string. So the tables start at lines indented by two
spaces and their documents at lines indented by four, and the file can be cut
there into groups of documents that parse separately.

The result is always exactly ``orjson.loads(raw)``. A cut is only trusted
when the bytes around it are the punctuation of that layout and every group
parses on its own: the file is then the concatenation of those groups with
that punctuation, which is valid JSON with the same members in the same order.
Anything else (a file edited by hand, bad JSON) is parsed in one go, which
also raises orjson's own error for a broken file. A key given twice keeps its
last value in its first place, as in one parse.
"""

from __future__ import annotations

import re
from collections.abc import Generator, Iterator
from typing import Any

import orjson

PIECE_BYTES = 256 * 1024
"""About this much JSON is parsed per step: ~2 ms here."""

_TABLE = re.compile(rb'\n  "([^"\\\n]*)": ')
_DOCUMENT = re.compile(rb'\n    "')
_CLOSE_TABLE = b"\n  }"


class _Irregular(Exception):
    """Not laid out as rapport writes it: parse the whole file at once."""


def parse_in_pieces(raw: bytes, piece_bytes: int = PIECE_BYTES) -> Generator[None, None, Any]:
    """``orjson.loads(raw)``, yielding after each piece of about ``piece_bytes``.

    Use as ``data = yield from parse_in_pieces(raw)``, or drive it with
    ``next()`` until ``StopIteration`` carries the value. Raises
    ``orjson.JSONDecodeError`` exactly when ``orjson.loads`` would.
    """
    try:
        members = _tables(raw)
        result: dict[str, Any] = {}
        budget = 0
        for name, start, end in members:
            if end - start <= piece_bytes or not raw.startswith(b"{", start):
                value = _loads(raw[start:end])
                budget += end - start
            else:
                value = {}
                for group in _document_groups(raw, start, end, piece_bytes):
                    part = _loads(b"{" + group + b"}")
                    if not part:  # only whitespace: the commas around it would not be JSON
                        raise _Irregular
                    value.update(part)  # a key twice: the last one, as in one parse
                    yield
                budget = 0
            result[name] = value
            if budget >= piece_bytes:
                budget = 0
                yield
        return result
    except _Irregular:
        return orjson.loads(raw)


def _loads(piece: bytes) -> Any:
    try:
        return orjson.loads(piece)
    except orjson.JSONDecodeError:
        raise _Irregular from None


def _tables(raw: bytes) -> list[tuple[str, int, int]]:
    """(name, start, end) of each top-level member's value, checking that the
    bytes between them are exactly ``{``, ``,`` and the closing ``}``."""
    if raw.endswith(b"\n}\n"):
        close = len(raw) - 3
    elif raw.endswith(b"\n}"):
        close = len(raw) - 2
    else:
        raise _Irregular
    found = list(_TABLE.finditer(raw, 0, close + 1))
    if not found or found[0].start() != 1 or raw[:1] != b"{":
        raise _Irregular
    members: list[tuple[str, int, int]] = []
    for index, match in enumerate(found):
        if index + 1 < len(found):
            end = found[index + 1].start() - 1
            if raw[end:end + 1] != b",":
                raise _Irregular
        else:
            end = close
        try:
            name = match.group(1).decode("utf-8")
        except UnicodeDecodeError:
            raise _Irregular from None
        if end <= match.end():
            raise _Irregular
        members.append((name, match.end(), end))
    return members


def _document_groups(raw: bytes, start: int, end: int, piece_bytes: int) -> Iterator[bytes]:
    """The members of the object ``raw[start:end]`` in groups of about
    ``piece_bytes``, each group's bytes without the braces around it. Each cut
    is looked for only as the group before it is wanted, so that no one step
    scans a whole table."""
    if not raw.startswith(b"{", start) or raw[end - len(_CLOSE_TABLE):end] != _CLOSE_TABLE:
        raise _Irregular
    inner_end = end - len(_CLOSE_TABLE)
    group_start = start + 1
    while (cut := _DOCUMENT.search(raw, group_start + piece_bytes, inner_end)) is not None:
        if raw[cut.start() - 1:cut.start()] != b",":
            raise _Irregular
        yield raw[group_start:cut.start() - 1]
        group_start = cut.start()
    yield raw[group_start:inner_end]
