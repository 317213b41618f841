"""Reading the data file a piece at a time: exactly what one parse gives, for
any file, and the storage's background read agrees with its ordinary one."""

from __future__ import annotations

import os

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storage.jsonfile import AtomicJSONStorage, DataFileError, dump_bytes
from storage.pieces import parse_in_pieces

SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**63), 2**63 - 1), st.floats(allow_nan=False, allow_infinity=False),
    st.text(st.characters(codec="utf-8"), max_size=12),
)
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=6), inner, max_size=4)), max_leaves=12)
KEYS = st.text(st.characters(codec="utf-8", exclude_characters='"\\'), max_size=8)
FILES = st.dictionaries(KEYS, st.one_of(st.dictionaries(KEYS, VALUES, max_size=8), VALUES), max_size=6)


def run(raw: bytes, piece_bytes: int) -> tuple[object, int]:
    """The parse's result, and how many pieces it took."""
    pieces = parse_in_pieces(raw, piece_bytes)
    steps = 0
    while True:
        try:
            next(pieces)
        except StopIteration as done:
            return done.value, steps
        steps += 1


def outcome(parse) -> tuple[str, bytes]:
    """What a parse gave, comparable exactly (types, key order): its value
    dumped again, or the kind of error."""
    try:
        value = parse()
    except orjson.JSONDecodeError:
        return ("error", b"")
    return ("value", orjson.dumps(value))


@settings(max_examples=300)
@given(data=FILES, piece_bytes=st.integers(1, 400))
def test_a_file_rapport_wrote_parses_to_exactly_what_one_parse_gives(data, piece_bytes):
    raw = dump_bytes(data)
    value, _ = run(raw, piece_bytes)
    assert outcome(lambda: value) == outcome(lambda: orjson.loads(raw))


@settings(max_examples=400)
@given(data=FILES, piece_bytes=st.integers(1, 200), edits=st.lists(
    st.tuples(st.integers(0, 10**6), st.integers(0, 3), st.sampled_from(
        [b"", b",", b"}", b"{", b'"', b"\n", b"\n  ", b"\n    ", b' "x": 1', b"\n  \"a\": ", b"\\"])), max_size=3))
def test_any_file_edited_by_hand_parses_or_fails_as_one_parse_does(data, piece_bytes, edits):
    raw = bytearray(dump_bytes(data))
    for at, cut, insert in edits:  # replace a few bytes somewhere with JSON's punctuation
        at %= len(raw) + 1
        raw[at:at + cut] = insert
    raw = bytes(raw)
    assert outcome(lambda: run(raw, piece_bytes)[0]) == outcome(lambda: orjson.loads(raw))


SMALL = {"change": {}, "client": {"1": {"id": "client-1", "n": 12, "tags": ["a", "b"]}, "2": {"x": 345}},
         "job": {"1": {"id": "job-1", "price": "10.00"}}, "settings": {"1": {"schema_version": 1}}}


@pytest.mark.parametrize("insert", [b"", b",", b"}", b"{", b'"', b"\n", b"0", b" "])
def test_every_one_byte_edit_parses_or_fails_as_one_parse_does(insert):
    raw = dump_bytes(SMALL)
    for at in range(len(raw)):
        edited = raw[:at] + insert + raw[at + 1:]
        for piece_bytes in (1, 40):
            assert outcome(lambda e=edited, n=piece_bytes: run(e, n)[0]) == outcome(
                lambda e=edited: orjson.loads(e)), (at, edited)


def test_a_group_of_nothing_between_two_commas_is_not_taken_for_json():
    raw = b'{\n  "t": {' + b" " * 50 + b',\n    "a": 1,\n    "b": 2\n  }\n}\n'
    for piece_bytes in range(1, 60):
        assert outcome(lambda n=piece_bytes: run(raw, n)[0]) == ("error", b"")


def test_a_large_table_is_parsed_in_many_pieces():
    data = {"contact": {str(i): {"id": f"contact-{i}", "summary": "x" * 50} for i in range(1000)},
            "settings": {"1": {"schema_version": 1}}}
    raw = dump_bytes(data)
    value, steps = run(raw, 4096)
    assert orjson.dumps(value) == orjson.dumps(orjson.loads(raw)) and value == data
    assert steps >= len(raw) // 4096 - 1  # pieces, not one parse


def test_duplicate_keys_mean_what_one_parse_makes_of_them():
    raw = b'{\n  "a": {\n    "1": 1,\n    "1": 2\n  },\n  "a": 3\n}\n'
    assert run(raw, 1)[0] == orjson.loads(raw)
    spread = b'{\n  "t": {\n    "1": {"v": 1},\n    "2": {"v": 2},\n    "1": {"v": 3}\n  }\n}\n'
    assert orjson.dumps(run(spread, 1)[0]) == orjson.dumps(orjson.loads(spread))


# -- the storage's read in steps ----------------------------------------------- #

SAMPLE = {"client": {str(i): {"id": f"client-{i}", "name": f"Client {i}"} for i in range(300)},
          "settings": {"1": {"id": "settings", "schema_version": 1}}}


def load_all(storage: AtomicJSONStorage) -> int:
    return sum(1 for _ in storage.load_in_steps())


@pytest.fixture(autouse=True)
def small_pieces(monkeypatch):
    monkeypatch.setattr("storage.pieces.PIECE_BYTES", 2048)


def test_the_read_in_steps_gives_what_a_read_gives(tmp_path):
    path = tmp_path / "rapport.json"
    path.write_bytes(dump_bytes(SAMPLE))
    storage = AtomicJSONStorage(path)
    generation = storage.generation
    assert load_all(storage) > 10
    assert storage.loaded and storage.read() == AtomicJSONStorage(path).read()
    assert storage.generation == generation + 1  # new data on show
    assert storage.refresh() is False  # the file read is the one on disk


def test_a_version_already_on_show_read_in_steps_is_no_change(tmp_path):
    path = tmp_path / "rapport.json"
    path.write_bytes(dump_bytes(SAMPLE))
    storage = AtomicJSONStorage(path)
    st_ = os.stat(path)
    storage.known_signature = (st_.st_dev, st_.st_ino, st_.st_size, st_.st_mtime_ns)  # the summary's
    generation = storage.generation
    load_all(storage)
    assert storage.loaded and storage.generation == generation


@pytest.mark.parametrize("writer", ["this session", "another session"])
def test_a_commit_during_the_read_in_steps_is_what_is_read(tmp_path, writer):
    # This session's action reads at once and commits (and wins over the read
    # in steps); another session's commit is read again after it.
    path = tmp_path / "rapport.json"
    path.write_bytes(dump_bytes(SAMPLE))
    storage = AtomicJSONStorage(path)
    steps = storage.load_in_steps()
    next(steps)
    other = storage if writer == "this session" else AtomicJSONStorage(path)
    with other.transaction():
        data = other.read()
        data["client"]["1"]["name"] = "Renamed"
        other.write(data)
    for _ in steps:
        pass
    assert storage.read()["client"]["1"]["name"] == "Renamed"
    assert orjson.loads(path.read_bytes())["client"]["1"]["name"] == "Renamed"


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (b"", "empty"),
        (b'{\n  "client": {\n    "1": {', "not valid JSON"),
        (b'{"client": [1]}', "not a rapport data file"),
    ],
)
def test_the_read_in_steps_refuses_what_a_read_refuses(tmp_path, content, why):
    path = tmp_path / "rapport.json"
    path.write_bytes(content)
    storage = AtomicJSONStorage(path)
    with pytest.raises(DataFileError, match=why):
        load_all(storage)
    assert not storage.loaded and path.read_bytes() == content


# -- the snapshot's tables built in steps --------------------------------------- #

PARTS = ("clients", "invoices", "jobs", "clients_by_id", "last_contact", "open_invoices")


def test_the_snapshot_built_in_steps_equals_the_one_built_on_use():
    import datetime as dt

    from storage.demo import generate
    from storage.snapshot import Snapshot
    from storage.store import parse_export

    data = parse_export(generate(dt.date(2026, 11, 27), "small"))
    ahead, on_use = Snapshot(data), Snapshot(data)
    steps = sum(1 for _ in ahead.build_in_steps(PARTS, per_step=5))
    assert steps > len(data["invoice"]) // 5  # tables in slices
    for name in PARTS:
        assert name in vars(ahead)
        assert getattr(ahead, name) == getattr(on_use, name)
    assert sum(1 for _ in ahead.build_in_steps(PARTS)) == 0  # built: nothing left to do


def test_before_the_first_read_the_version_on_show_is_no_change_on_disk(tmp_path):
    # The app polls the file every two seconds; while the first read is still
    # coming in pieces, the version the summary showed is not news.
    path = tmp_path / "rapport.json"
    path.write_bytes(dump_bytes(SAMPLE))
    storage = AtomicJSONStorage(path)
    st_ = os.stat(path)
    storage.known_signature = (st_.st_dev, st_.st_ino, st_.st_size, st_.st_mtime_ns)
    steps = storage.load_in_steps()
    next(steps)
    assert storage.changed_on_disk() is False
    other = AtomicJSONStorage(path)
    with other.transaction():
        other.write({**other.read(), "job": {}})
    assert storage.changed_on_disk() is True
