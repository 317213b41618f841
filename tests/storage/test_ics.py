"""`rapport export --format ics --what due`: a calendar a phone can subscribe to.

Parsed back by a small RFC 5545 reader written here (unfold, split the
property, unescape the text), so the test checks the structure, the folding
and the escaping rather than comparing bytes.
"""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from storage.clock import FixedClock
from storage.exchange import export_ics
from storage.models import Client, Contact, Job, Promise
from storage.store import Store
from tests.conftest import FIXED_DAY


def unfold(raw: bytes) -> list[str]:
    text = raw.decode("utf-8")
    assert "\n" not in text.replace("\r\n", ""), "every line ends in CRLF"
    physical = text.split("\r\n")
    assert physical[-1] == ""
    for line in physical[:-1]:
        assert len(line.encode("utf-8")) <= 75, line
    logical: list[str] = []
    for line in physical[:-1]:
        if line.startswith(" "):
            logical[-1] += line[1:]
        else:
            logical.append(line)
    return logical


def unescape(value: str) -> str:
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def components(lines: list[str]) -> list[dict]:
    """The VEVENTs, each {"props": {name: value}, "alarms": [{...}]}."""
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    events, stack = [], []
    for line in lines[1:-1]:
        name, _, value = line.partition(":")
        if name == "BEGIN":
            stack.append({"kind": value, "props": {}, "alarms": []})
        elif name == "END":
            done = stack.pop()
            assert done["kind"] == value, f"END:{value} closes {done['kind']}"
            if value == "VEVENT":
                events.append(done)
            else:
                stack[-1]["alarms"].append(done)
        elif stack:
            assert name not in stack[-1]["props"], f"{name} twice"
            stack[-1]["props"][name] = value
    assert stack == []
    return events


@pytest.fixture
def store(tmp_path):
    store = Store.open(tmp_path / "rapport.json", clock=FixedClock(FIXED_DAY))
    client = store.add_client(Client(name="Núñez; Hijos, \\ \"S.L.\"", since=dt.date(2026, 11, 1), cadence_days=7))
    store.log_contact(Contact(client_id=client.id, date=dt.date(2026, 11, 10), summary="hi"))
    store.add_promise(Promise(client_id=client.id, text="Send the " + "very " * 30 + "long report\nby Friday",
                              due=dt.date(2026, 12, 2)))
    store.add_job(Job(client_id=client.id, title="Menu, cards; and \x1b[31mred\x1b[0m", deadline=dt.date(2026, 12, 5)))
    return store


def test_due_events_parse_with_a_reminder_each(store):
    events = components(unfold(export_ics(store, FIXED_DAY)))
    by_uid = {e["props"]["UID"]: e for e in events}
    assert set(by_uid) == {"checkin-client-1@rapport", "promise-1@rapport", "job-1@rapport"}
    for event in events:
        props = event["props"]
        assert props["DTSTART;VALUE=DATE"] < props["DTEND;VALUE=DATE"]
        assert re.fullmatch(r"\d{8}T\d{6}Z", props["DTSTAMP"])
        [alarm] = event["alarms"]
        assert alarm["props"]["ACTION"] == "DISPLAY" and alarm["props"]["TRIGGER;RELATED=START"] == "PT9H"
        assert unescape(alarm["props"]["DESCRIPTION"]) == unescape(props["SUMMARY"])
    # a late check-in is put on today, saying how late (the phone shows today's review)
    checkin = by_uid["checkin-client-1@rapport"]["props"]
    assert checkin["DTSTART;VALUE=DATE"] == "20261127"
    assert unescape(checkin["SUMMARY"]) == 'Check in with Núñez; Hijos, \\ "S.L." (10 days late)'
    # escaping: ; , \ and line breaks survive the round trip; control characters do not reach it
    promise = by_uid["promise-1@rapport"]["props"]
    assert promise["DTSTART;VALUE=DATE"] == "20261202"
    assert unescape(promise["SUMMARY"]).endswith("long report\nby Friday")
    assert "\\;" in promise["SUMMARY"] and "\\," in promise["SUMMARY"] and "\\\\" in promise["SUMMARY"]
    job = unescape(by_uid["job-1@rapport"]["props"]["SUMMARY"])
    assert job.startswith("Deadline: Menu, cards; and \u241b[31mred\u241b[0m") and "\x1b" not in job


def test_folding_never_splits_a_character(store):
    store.add_promise(Promise(client_id="client-1", text="ñ" * 200, due=FIXED_DAY))
    raw = export_ics(store, FIXED_DAY)
    lines = unfold(raw)  # asserts <= 75 octets a line, and each piece decodes as UTF-8
    [summary] = [line for line in lines if line.startswith("SUMMARY:Promise") and "ñ" * 50 in line]
    assert summary.endswith(": " + "ñ" * 200)  # due today: not late, and whole again once unfolded
    assert len(raw.split(b"\r\n")) > len(lines)  # it was folded


def test_the_cli_writes_it(tmp_path, rapport_cli):
    path = tmp_path / "demo.json"
    assert rapport_cli(path, "demo").rc == 0
    out = tmp_path / "due.ics"
    rc, stdout, err = rapport_cli(path, "export", "--format", "ics", "--what", "due", "--out", str(out))
    assert (rc, err) == (0, "")
    events = components(unfold(out.read_bytes()))
    data = json.loads(path.read_bytes())
    open_invoices = [i for i in data["invoice"].values() if i["status"] == "sent" and not i.get("on_hold")
                     and not i["payments"]]
    uids = {e["props"]["UID"] for e in events}
    assert {f"invoice-{i['id']}@rapport" for i in open_invoices} <= uids
    assert all(len(e["alarms"]) == 1 for e in events)
    # nothing is dated before today: late things are on today
    assert min(e["props"]["DTSTART;VALUE=DATE"] for e in events) == "20261127"
