"""The suite does not depend on the real date: the storage tests pass with the
wall clock set far from today (a leap day, seconds before a new year, years
ahead). Every test gets its date from a FixedClock (storage.clock), and the
code reads the wall clock only through the store's clock, so what the wall
clock says must not matter.

The wall clock is moved with libfaketime's ``faketime`` (Debian package
``faketime``, which ``.ci/run`` installs); where it is missing the test is
skipped and says so. The whole suite passes the same way (README, Development).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent

FAR_DATES = ["2028-02-29 12:00:00", "2027-12-31 23:59:30", "2031-06-15 08:00:00"]


@pytest.mark.skipif(shutil.which("faketime") is None, reason="faketime is not installed (Debian package faketime)")
@pytest.mark.parametrize("when", FAR_DATES)
def test_the_storage_tests_pass_with_the_wall_clock_at(when):
    # Not the settings of a faketime this suite may itself run under: they would add up.
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PYTEST_", "RAPPORT_DATA", "FAKETIME", "LD_PRELOAD", "DONT_FAKE"))}
    env["RAPPORT_HYPOTHESIS_PROFILE"] = "quick"
    probe = subprocess.run(["faketime", when, sys.executable, "-c", "import datetime; print(datetime.date.today())"],
                           capture_output=True, text=True, timeout=60, env=env)
    assert probe.stdout.strip() == when[:10], "faketime did not move the wall clock: the test would prove nothing"
    done = subprocess.run(
        ["faketime", when, sys.executable, "-m", "pytest", "-q", "-x", "-n", "0", "-p", "no:cacheprovider",
         str(REPO / "storage")],
        cwd=REPO.parent, capture_output=True, text=True, timeout=600, env=env,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert " passed" in done.stdout.splitlines()[-1]
