"""Shared fixtures: a fixed "today", a store on a temporary file, and the CLI.

Every test gets its own data file under ``tmp_path``; nothing touches the real
user data folder (``RAPPORT_DATA`` is removed from the environment).
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

import pytest
from hypothesis import settings

from storage.clock import FixedClock

# The suite does not time things (speed is measured in tests/benchmarks): no
# example fails for being slow, which on a loaded 2-core CI machine any may be.
settings.register_profile("rapport", deadline=None)
# RAPPORT_HYPOTHESIS_PROFILE=quick: fewer examples, for the runs of the storage
# tests at other dates (tests/test_other_dates.py), which repeat them.
settings.register_profile("quick", deadline=None, max_examples=20)
settings.load_profile(os.environ.get("RAPPORT_HYPOTHESIS_PROFILE", "rapport"))

FIXED_DAY = dt.date(2026, 11, 27)
"""The "today" of every test: the demo data and the CLI's --today use it."""

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _no_user_data(monkeypatch: pytest.MonkeyPatch) -> None:
    # A test that forgets --data must never read or write the real data file.
    monkeypatch.delenv("RAPPORT_DATA", raising=False)


@pytest.fixture(autouse=True)
def _english_between_tests():
    # The language shown is process state (set from the settings): each test
    # starts in English and leaves it so, whatever language it switched to.
    from storage.i18n import activate

    activate("en")
    yield
    activate("en")


@pytest.fixture
def today() -> dt.date:
    return FIXED_DAY


@pytest.fixture
def data_path(tmp_path: Path) -> Path:
    """Where this test's data file lives (not created yet)."""
    return tmp_path / "rapport.json"


@pytest.fixture
def clock():
    """The one clock of a test: FIXED_DAY at 09:00 UTC, standing still until moved."""
    return FixedClock(FIXED_DAY)


@pytest.fixture
def store(data_path: Path, clock):
    """A new, initialised store on ``data_path`` whose clock says FIXED_DAY."""
    from storage.store import Store

    return Store.open(data_path, clock=clock)


class CliResult(NamedTuple):
    """What one ``rapport`` process did. Text is decoded UTF-8; bytes that are not
    UTF-8 survive as surrogate escapes, so nothing the process wrote is hidden."""

    rc: int
    stdout: str
    stderr: str


def cli_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment for a CLI subprocess: this one, without RAPPORT_DATA."""
    env = {k: v for k, v in os.environ.items() if k != "RAPPORT_DATA"}
    env.setdefault("TEXTUAL_ANIMATIONS", "none")
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    if extra:
        env.update(extra)
    return env


def run_rapport(
    data: Path | str,
    *args: str | bytes,
    env: dict[str, str] | None = None,
    today: dt.date | None = FIXED_DAY,
    timeout: float = 60,
) -> CliResult:
    """Run ``python -m tui --data DATA [--today DAY] ARGS...`` and wait for it."""
    command: list[str | bytes] = [sys.executable, "-m", "tui", "--data", str(data)]
    if today is not None:
        command += ["--today", today.isoformat()]
    command += list(args)
    done = subprocess.run(
        command,
        cwd=REPO,
        env=cli_env(env),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=timeout,
    )
    return CliResult(
        done.returncode,
        done.stdout.decode("utf-8", "surrogateescape"),
        done.stderr.decode("utf-8", "surrogateescape"),
    )


@pytest.fixture(scope="session")
def rapport_cli():
    """``rapport_cli(data, *args, env=None, today=FIXED_DAY)``: the CLI on any data
    file; session-scoped, for module-scoped fixtures that build a file once."""
    return run_rapport


@pytest.fixture
def run_cli(data_path: Path):
    """``run_cli(*args, env=None, data=None)`` -> CliResult(rc, stdout, stderr).

    Runs the real CLI in a subprocess on this test's data file (or ``data``),
    with ``--today`` set to FIXED_DAY.
    """

    def run(*args: str | bytes, env: dict[str, str] | None = None, data: Path | None = None,
            today: dt.date | None = FIXED_DAY) -> CliResult:
        return run_rapport(data or data_path, *args, env=env, today=today)

    return run
