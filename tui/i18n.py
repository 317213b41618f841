"""The screens' words and figures in the settings' language.

The catalogs and the formatter live in ``storage`` (``storage.i18n``,
``storage.formats``): the store speaks too, and ``storage`` never imports ``tui``.
This module gathers what the screens use, so a screen imports its words from
one place::

    from ..i18n import _, N_, ngettext

:func:`speaking` shows words in a given language for a moment: the Agenda's
rows take their language as a parameter (the app's is the settings' one).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from storage.formats import long_date, money, number, relative, short_date
from storage.i18n import N_, _, activate, active, ngettext

__all__ = ["N_", "_", "activate", "active", "long_date", "money", "ngettext", "number", "relative",
           "short_date", "speaking"]


@contextmanager
def speaking(language: str) -> Iterator[None]:
    """``_()`` and ``ngettext()`` in ``language`` inside the block, then the
    language shown before again (nothing to do when it is that one already)."""
    before = active()
    if str(language) == before:
        yield
        return
    activate(language)
    try:
        yield
    finally:
        activate(before)

