"""Messages in the person's language: gettext, with one catalog per language.

Every word rapport shows (screens, CLI, the store's refusals) is written in English
in the code and marked: ``_("Settings saved")``, ``ngettext("{n} reminder",
"{n} reminders", n)``, or ``N_("Promises")`` where the text is kept in a table and
translated when shown. ``pybabel extract`` collects the marked strings (see the
README's "Translating"); each language's ``rapport.po`` under
``storage/locale/<lang>/LC_MESSAGES/`` holds the translations (``storage.languages``).

Placeholders are filled with ``str.format`` after translation, with values the code
gives (``_("Logged a contact with {client}").format(client=name)``); a value is
never formatted in turn, so a client called ``{x}`` is just a strange name.

The language shown is the settings' one: the app and the CLI call
:func:`activate` when they read the settings (the CLI's ``--json`` keys stay
English: they are an interface). Code that writes for someone else, an invoice or
a draft in the client's language, asks :func:`translation` for that language.

The ``.po`` file is read directly (Babel's reader, compiled in memory for the
standard library's ``GNUTranslations``), only when a language other than English
is first used; fuzzy entries are left out, so a doubtful translation shows the
English until someone confirms it.
"""

from __future__ import annotations

import gettext as _gettext
from functools import cache

from .languages import SOURCE_LANGUAGE, language_dir

__all__ = ["N_", "_", "activate", "active", "gettext", "ngettext", "translation"]

DOMAIN = "rapport"

_active = SOURCE_LANGUAGE


@cache
def translation(language: str) -> _gettext.NullTranslations:
    """The catalog of ``language``; English (no catalog) returns the msgids."""
    language = str(language)
    folder = language_dir(language) if language != SOURCE_LANGUAGE else None
    path = folder / "LC_MESSAGES" / f"{DOMAIN}.po" if folder else None
    if path is None or not path.is_file():
        return _gettext.NullTranslations()
    from io import BytesIO

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with path.open("rb") as handle:
        catalog = read_po(handle, locale=language, domain=DOMAIN)
    buffer = BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return _gettext.GNUTranslations(buffer)


def activate(language: str) -> None:
    """Show messages in ``language`` from now on (the settings' language)."""
    global _active
    _active = str(language or SOURCE_LANGUAGE)


def active() -> str:
    """The language messages are shown in."""
    return _active


def gettext(message: str) -> str:
    """``message`` in the active language."""
    if _active == SOURCE_LANGUAGE:
        return message
    return translation(_active).gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The form of ``singular``/``plural`` for ``count`` in the active language."""
    if _active == SOURCE_LANGUAGE:
        return singular if count == 1 else plural
    return translation(_active).ngettext(singular, plural, count)


def N_(message: str) -> str:  # noqa: N802 - gettext's name for the marker
    """Mark ``message`` for the catalog without translating it now (tables)."""
    return message


_ = gettext
