"""``rapport check`` and the refusal of a hand-edited file in the settings'
language (read from the file: its summary is stale after the edit): each
problem still names the document and field as stored (``client-1.phone``), and
says what is wrong in Spanish."""

from __future__ import annotations

import json
from pathlib import Path

from storage.i18n import activate
from storage.schema import problems_in


def test_the_schemas_problems_in_spanish() -> None:
    data = {"client": {"1": {"id": "client-1", "name": "Acme", "since": "2026-01-01", "phone": 612345678,
                             "timezone": "Mars/Olympus", "notes": "x" * 100_001}},
            "job": {"1": {"id": "job-1", "client_id": "client-9", "title": "Menu", "status": "active"}},
            "settings": {"1": {"id": "settings", "schema_version": 1}}, "extra": {}}
    activate("es")
    problems = problems_in(data)
    assert "'extra': no es una tabla de rapport" in problems
    assert "client-1.phone: se esperaba texto, hay número" in problems
    assert "client-1.timezone: 'Mars/Olympus' no es una zona horaria como Europe/Madrid" in problems
    assert "client-1.notes: tiene más de 100.000 caracteres" in problems


def test_check_lists_a_hand_edited_file_in_spanish(rapport_cli, tmp_path: Path) -> None:
    path = tmp_path / "rapport.json"
    assert rapport_cli(path, "demo").rc == 0
    assert rapport_cli(path, "settings", "set", "language", "es").rc == 0
    data = json.loads(path.read_text(encoding="utf-8"))
    client = next(iter(data["client"].values()))
    client["since"] = "9999-12-31"
    client["phone"] = 612345678
    path.write_text(json.dumps(data), encoding="utf-8")
    rc, out, err = rapport_cli(path, "check")
    assert rc == 1
    assert f"{client['id']}.since: 9999-12-31 no está entre 1900-01-01 y 2199-12-31" in err, err
    assert f"{client['id']}.phone: se esperaba texto, hay número" in err, err
    assert "expected" not in err and "between" not in err
    assert f"problemas en {path}" in err

    # Another command refuses the file, in Spanish too, and names the newest backup.
    rc, out, err = rapport_cli(path, "today")
    assert rc == 1 and err.count("\n") == 1, err
    assert err.startswith(f"rapport: no se puede usar el archivo de datos {path}: {client['id']}.")
    assert "'rapport check' enumera todos los problemas; no se ha modificado." in err, err
