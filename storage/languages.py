"""Where each language's words live, and which languages rapport speaks.

One folder per language under ``storage/locale/``::

    storage/locale/es/LC_MESSAGES/rapport.po   the screens', the CLI's and the
                                               store's messages (gettext catalog)
    storage/locale/es/templates/*.md           the shipped message templates

English is the source language: its words are the msgids in the code, so it
needs no catalog. A language is available when its folder exists; adding a third
language is adding one folder, nothing else. Tests add a folder of their own by
putting another directory in front of :data:`LOCALE_DIRS`.

The catalogs sit here rather than under ``tui/`` because the store speaks too
(its refusals, invoices and drafts) and ``storage`` never imports ``tui``.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["LOCALE_DIRS", "SOURCE_LANGUAGE", "available_languages", "language_dir"]

SOURCE_LANGUAGE = "en"

# Searched in order; the first folder that has a language wins for that language.
LOCALE_DIRS: list[Path] = [Path(__file__).resolve().parent / "locale"]


def language_dir(language: str) -> Path | None:
    """The folder holding ``language``'s catalog and templates, if any."""
    for root in LOCALE_DIRS:
        folder = root / language
        if folder.is_dir():
            return folder
    return None


def available_languages() -> list[str]:
    """English first, then every language with a folder, in code order."""
    found = {
        entry.name
        for root in LOCALE_DIRS
        if root.is_dir()
        for entry in root.iterdir()
        if entry.is_dir() and not entry.name.startswith((".", "_"))
    }
    found.discard(SOURCE_LANGUAGE)
    return [SOURCE_LANGUAGE, *sorted(found)]
