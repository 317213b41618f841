"""The command line in the settings' language: with ``language es``, ``rapport today``,
the tables, the messages, the error lines and ``--help`` are Spanish, amounts and
dates written the Spanish way (``1.280,00 EUR``, ``27/11/2026``); ``--json`` stays
English, with ISO dates and plain amounts. In English ``rapport today`` loads
nothing of Babel."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from storage.i18n import activate
from storage.scheduler import review
from storage.store import Snapshot, Store
from tests.conftest import FIXED_DAY, REPO, cli_env
from tui.report import render_review


@pytest.fixture(scope="module")
def spanish(tmp_path_factory, rapport_cli) -> Path:
    """The small demo set with the settings' language set to Spanish (read only)."""
    path = tmp_path_factory.mktemp("es") / "demo.json"
    assert rapport_cli(path, "demo").rc == 0
    done = rapport_cli(path, "settings", "set", "language", "es")
    assert done.rc == 0, done.stderr
    return path


@pytest.fixture
def copy(spanish: Path, tmp_path: Path) -> Path:
    """A copy of the Spanish set for a command that changes it."""
    target = tmp_path / "rapport.json"
    shutil.copy(spanish, target)
    return target


def test_today_speaks_spanish(spanish, rapport_cli):
    rc, out, err = rapport_cli(spanish, "today")
    assert (rc, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "rapport: revisión diaria del viernes, 27 de noviembre de 2026 (27/11/2026)"
    for heading in ("Recordatorios pendientes (4)", "Facturas vencidas (5)", "Facturas que vencen pronto (1)",
                    "Contactos pendientes (3)", "Promesas (2 para hoy, 1 más adelante)"):
        assert heading in lines
    [estudio] = [line for line in lines if "2026-039: llamar" in line]
    assert estudio.endswith("76 días de retraso  11.200,00 EUR")
    assert "1.280,00 EUR" in out and "Contactar (último: 02/11/2026)" in out
    assert "vence hoy" in out and "en 2 días" in out and "1 día de retraso" in out
    for english in ("daily review", "Reminders due", "days late", "day late", "due today", "upcoming", "in 2 days"):
        assert english not in out


def test_today_json_stays_an_english_interface(spanish, rapport_cli):
    rc, out, err = rapport_cli(spanish, "today", "--json")
    assert (rc, err) == (0, "")
    data = json.loads(out)
    assert data["date"] == "2026-11-27"
    [row] = [r for r in data["reminders_due"] if r["number"] == "2026-039"]
    assert (row["outstanding"], row["currency"], row["issued"]) == ("11200.00", "EUR", "2026-08-29")


def test_the_review_compact_and_empty_in_spanish(spanish):
    store = Store.open(spanish, create=False)
    activate("es")
    narrow = render_review(review(store.snapshot(), FIXED_DAY), FIXED_DAY, color=False, width=50)
    assert "76d tarde" in narrow and "en 2d" in narrow and "11.200,00 EUR" in narrow
    assert "late" not in narrow
    empty = render_review(review(Snapshot({}), FIXED_DAY), FIXED_DAY, color=False)
    assert empty.splitlines()[-1] == "Nada pendiente hoy."


def test_tables_in_spanish(spanish, rapport_cli):
    invoices = rapport_cli(spanish, "invoice", "list").stdout.splitlines()
    assert invoices[0].split() == ["NÚMERO", "CLIENTE", "EMITIDA", "VENCE", "TOTAL", "PENDIENTE", "ESTADO"]
    assert invoices[1].startswith("2026-047   Harbour Lights Hotel     22/11/2026 06/12/2026")
    assert invoices[1].split()[-5:] == ["270,00", "EUR", "270,00", "EUR", "sent"]  # the state as --status takes it
    clients = rapport_cli(spanish, "client", "list").stdout
    assert clients.splitlines()[0].split() == ["NOMBRE", "ESTADO", "ÚLTIMO", "PRÓXIMO", "PAGA", "PENDIENTE"]
    assert "6.240,00 USD" in clients and "¡tarde!" in clients
    jobs = rapport_cli(spanish, "job", "list").stdout.splitlines()
    assert jobs[0].split() == ["ID", "CLIENTE", "ESTADO", "PLAZO", "PRECIO", "MONEDA", "TÍTULO"]
    assert "21/09/2025 13.440,00    EUR" in jobs[1]
    show = rapport_cli(spanish, "client", "show", "Globex").stdout
    assert "  Empresa:               Globex\n" in show
    assert "  Tarifa:                50,00 EUR/hora\n" in show
    assert "  Contacto principal:    Grace Lee <grace@globex.example>\n" in show
    assert rapport_cli(spanish, "template", "show", "checkin").stdout.startswith("Asunto: ")


def test_messages_in_spanish(copy, rapport_cli):
    assert rapport_cli(copy, "invoice", "pay", "2026-043", "--amount", "10").stdout == (
        "2026-043: cobrado 10,00 EUR, pendiente 440,00 EUR\n")
    assert rapport_cli(copy, "promise", "postpone", "promise-7", "--to", "2026-12-31").stdout == (
        "promise-7 vence el 31/12/2026\n")
    assert rapport_cli(copy, "client", "snooze", "acme", "--until", "2026-12-15").stdout == (
        "client-1 aplazado hasta el 15/12/2026\n")
    assert rapport_cli(copy, "invoice", "hold", "2026-046").stdout == "2026-046 retenida\n"
    assert rapport_cli(copy, "check").stdout.startswith(f"ok: {copy} es un archivo de datos de rapport válido (")


def test_error_lines_in_spanish(spanish, rapport_cli):
    done = rapport_cli(spanish, "client", "delete", "Globex")
    assert done.rc == 2
    assert done.stderr == ("rapport client delete: esto elimina a Globex y todos sus registros; añada --yes "
                           "(consulte 'rapport --help')\n")
    done = rapport_cli(spanish, "settings", "get", "foo")
    assert done.rc == 1 and done.stderr.startswith("rapport: ajuste: 'foo' no es un valor de la configuración; ")


def test_usage_errors_and_help_in_spanish(spanish, rapport_cli):
    # Parsed before any store is open: the language comes from the file's summary.
    done = rapport_cli(spanish, "invoice", "list", "--status", "bogus")
    assert done.rc == 2
    assert done.stderr.startswith("rapport invoice list: argumento --status: opción no válida: 'bogus' (elija entre ")
    assert done.stderr.endswith(" (consulte 'rapport --help')\n") and done.stderr.count("\n") == 1
    done = rapport_cli(spanish, "client", "add")
    assert done.stderr == ("rapport client add: se requieren los siguientes argumentos: name "
                           "(consulte 'rapport --help')\n")
    help_ = rapport_cli(spanish, "today", "--help")
    assert help_.rc == 0 and help_.stdout.startswith("uso: rapport today ")
    assert "la revisión diaria: lo que toca hoy" in help_.stdout and "salida para programas" in help_.stdout
    assert "mostrar esta ayuda y salir" in help_.stdout


def test_usage_errors_stay_english_in_english(tmp_path, rapport_cli):
    path = tmp_path / "en.json"
    assert rapport_cli(path, "demo").rc == 0
    done = rapport_cli(path, "invoice", "list", "--status", "bogus")
    assert done.stderr.startswith("rapport invoice list: argument --status: invalid choice: 'bogus'")
    assert rapport_cli(path, "today", "--help").stdout.startswith("usage: rapport today ")


def _imported(path: Path) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "tui", "--data", str(path), "--today", FIXED_DAY.isoformat(),
         "today"],
        cwd=REPO, env=cli_env(), capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return [line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")]


def test_today_loads_babel_only_for_another_language(spanish, tmp_path, rapport_cli):
    english = tmp_path / "en.json"
    assert rapport_cli(english, "demo").rc == 0
    loaded = _imported(english)
    assert "tui.report" in loaded
    assert [name for name in loaded if name.split(".")[0] == "babel"] == []
    # Spanish loads Babel's CLDR data for its dates and amounts (the catalog
    # itself is read compiled, from the cache, after the first run).
    assert "babel.numbers" in _imported(spanish)
