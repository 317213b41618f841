"""The architecture the folders promise (STYLE.md): the domain never imports
Textual, the scriptable commands start without it, and CI runs exactly the
README's test command."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def python(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], cwd=REPO, capture_output=True, text=True, timeout=120)


def test_the_storage_package_never_imports_textual():
    done = python(
        "-c",
        "import storage, storage.store, storage.scheduler, storage.templates, sys; "
        "assert 'textual' not in sys.modules, 'textual was imported'",
    )
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory, rapport_cli) -> Path:
    path = tmp_path_factory.mktemp("layout") / "demo.json"
    rc, out, err = rapport_cli(path, "demo", "--size", "small")
    assert rc == 0, err
    return path


@pytest.mark.parametrize(
    "command",
    [["today"], ["today", "--json"], ["client", "list"], ["check"], ["export", "--format", "json"],
     ["invoice", "show", "2026-001", "--format", "pdf", "--out", "{tmp}/i.pdf"],
     ["draft", "reminder", "2026-039", "--eml", "{tmp}/r.eml"],
     ["client", "show", "acme", "--json"], ["contact", "list"], ["job", "list", "--json"], ["promise", "list"],
     ["change", "list", "--json"], ["invoice", "list"], ["settings", "get"], ["template", "list"],
     ["template", "show", "checkin"], ["export", "--format", "ics", "--what", "due"], ["completion", "bash"],
     ["completion", "zsh"], ["promise", "postpone", "promise-7", "--to", "2026-12-31"],
     ["invoice", "hold", "2026-046"], ["invoice", "release", "2026-046"], ["client", "snooze", "acme", "--clear"],
     ["settings", "set", "name", "Alex"], ["client", "edit", "acme", "--cadence", "10"],
     ["client", "archive", "Delta"], ["template", "reset", "checkin"],
     ["invoice", "edit", "2026-047", "--terms", "20"], ["invoice", "write-off", "2026-047"]],
    ids=" ".join,
)
def test_scriptable_commands_do_not_import_textual(demo_file, command, tmp_path):
    command = [part.format(tmp=tmp_path) for part in command]
    done = python("-X", "importtime", "-m", "tui", "--data", str(demo_file), "--today", "2026-11-27", *command)
    assert done.returncode == 0, done.stderr[-2000:]
    imported = [line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")]
    assert "tui.cli" in imported  # -X importtime did report
    textual = [name for name in imported if name.split(".")[0] == "textual"]
    assert textual == [], f"{' '.join(command)} imported {textual[:5]}"


def readme_test_command() -> str:
    """The indented line after "Run the tests:" in the README."""
    lines = (REPO / "README.md").read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == "Run the tests:")
    command = next(line for line in lines[start + 1 :] if line.strip())
    assert command.startswith("    "), "the test command is an indented code line"
    return command.strip()


def test_ci_runs_the_readmes_test_command():
    command = readme_test_command()
    assert "pytest" in command
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert command in [line.strip() for line in ci.splitlines()]
