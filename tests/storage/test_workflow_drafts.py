"""The drafts behind the workflows, made from a real store after each step:
the guide's points asserted on their content, in English and Spanish."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from storage.clock import FixedClock
from storage.drafts import draft
from storage.models import Change, ChangeStatus, Client, Job
from storage.store import Store

DAY = dt.date(2026, 3, 10)


@pytest.fixture
def store(tmp_path):
    store = Store.open(tmp_path / "r.json", clock=FixedClock(DAY))
    store.update_settings(name="María Pérez", business="Pérez Design", email="maria@perez.es",
                          phone="+34 600 000 000", website="perez.es")
    return store


@pytest.fixture
def ana(store) -> Client:
    return store.add_client(Client(name="Ana", email="ana@example.com", since=dt.date(2024, 1, 1),
                                   rate=Decimal("50"), currency="EUR"))


@pytest.mark.parametrize("lang, points", [
    ("en", ["You asked for this change: a French version. Yes, it can be done.",
            "take longer and/or cost more", "- Price: 1,500.00 EUR (instead of 1,200.00 EUR)",
            "I will wait for your answer before I start on the extra work."]),
    ("es", ["Me pide el siguiente cambio: a French version. Sí, se puede hacer.",
            "llevará más tiempo y/o costará más", "- Precio: 1.500,00 EUR (en lugar de 1.200,00 EUR)",
            "Esperaré su respuesta antes de empezar con el trabajo adicional."]),
])
def test_a_recorded_change_drafts_the_renegotiation(store, ana, lang, points):
    job = store.add_job(Job(client_id=ana.id, title="Website", price=Decimal("1200")))
    change = store.add_change(Change(job_id=job.id, what="a French version", price=Decimal("1500"),
                                     status=ChangeStatus.DRAFT))
    d = draft("change", store.snapshot(), ana, DAY, lang=lang)
    for point in points:
        assert point in d.body
    assert d.complete
    # marking it sent makes it proposed and logs the proposal
    store.propose_change(change.id, DAY)
    snap = store.snapshot()
    assert str(snap.changes[0].status) == "proposed" and snap.changes[0].sent == DAY
    assert [str(c.kind) for c in snap.contacts] == ["proposal"]


def test_a_change_already_proposed_cannot_be_proposed_again(store, ana):
    from storage.values import ValidationError

    job = store.add_job(Job(client_id=ana.id, title="Website"))
    change = store.add_change(Change(job_id=job.id, what="more", deadline=DAY, status=ChangeStatus.DRAFT))
    store.propose_change(change.id, DAY)
    with pytest.raises(ValidationError):
        store.propose_change(change.id, DAY)


@pytest.mark.parametrize("lang, points", [
    ("en", ["need to raise my prices", "My current rate of 50.00 EUR per hour",
            "my new rate will be 60.00 EUR per hour", "inflation", "better paid", "phone call"]),
    ("es", ["necesito subir mis precios", "Mi tarifa actual de 50,00 EUR por hora",
            "mi nueva tarifa será de 60,00 EUR por hora", "inflación", "mejor pagado", "llamada telefónica"]),
])
def test_a_proposed_raise_drafts_why_the_new_price_and_a_call(store, ana, lang, points):
    store.propose_rate(ana.id, "60", DAY, "inflation")
    d = draft("raise", store.snapshot(), ana, DAY, lang=lang)
    for point in points:
        assert point in d.body
    assert d.complete


@pytest.mark.parametrize("lang, points", [
    ("en", ["Thank you", "can no longer afford to work for you", "pleasure working together",
            "work together again", "contact details"]),
    ("es", ["Gracias", "ya no puedo permitirme", "placer trabajar juntos", "volver a colaborar",
            "datos de contacto"]),
])
def test_the_farewell_after_a_declined_raise_signs_off_with_contact_details(store, ana, lang, points):
    store.propose_rate(ana.id, "60", DAY)
    store.answer_rate(ana.id, "declined", DAY)
    d = draft("farewell", store.snapshot(), ana, DAY, lang=lang)
    for point in points:
        assert point in d.subject + d.body
    for detail in ("María Pérez", "Pérez Design", "maria@perez.es", "+34 600 000 000", "perez.es"):
        assert detail in d.body
