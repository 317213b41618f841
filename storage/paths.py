"""Where the data file lives by default."""

from __future__ import annotations

import os
from pathlib import Path


def default_data_path() -> Path:
    """``$RAPPORT_DATA``, else ``rapport.json`` in the platform's user data folder."""
    env = os.environ.get("RAPPORT_DATA")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_path

    return user_data_path("rapport", appauthor=False) / "rapport.json"
