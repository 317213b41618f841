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

The ``.po`` file is read directly (no build step): Babel's reader compiles it for
the standard library's ``GNUTranslations`` the first time a language other than
English is used, and the compiled form is kept in the user's cache under the
catalog's hash, so an edited catalog is compiled again. Fuzzy entries are left
out: a doubtful translation shows the English until someone confirms it.
"""

from __future__ import annotations

import contextlib
import gettext as _gettext
import hashlib
import os
from functools import cache
from io import BytesIO
from pathlib import Path

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
    return _gettext.GNUTranslations(BytesIO(_compiled(path, language)))


def _compiled(path: Path, language: str) -> bytes:
    """``path`` compiled to the binary form the standard library reads, from the
    user's cache when this very catalog was compiled before (Babel's reader costs
    about 50 ms a run; the cached file is read in one)."""
    source = path.read_bytes()
    key = hashlib.sha256(source).hexdigest()[:16]
    cached = None
    with contextlib.suppress(Exception):  # no cache folder, a read-only home: compile every time
        from platformdirs import user_cache_path

        cached = user_cache_path("rapport") / "catalogs" / f"{language}-{key}.mo"
        if cached.is_file():
            return cached.read_bytes()
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    buffer = BytesIO()
    write_mo(buffer, read_po(BytesIO(source), locale=language, domain=DOMAIN), use_fuzzy=False)
    compiled = buffer.getvalue()
    if cached is not None:
        with contextlib.suppress(OSError):
            cached.parent.mkdir(parents=True, exist_ok=True)
            partial = cached.with_suffix(f".{os.getpid()}.tmp")
            partial.write_bytes(compiled)
            partial.replace(cached)  # whole or not at all: another run may read it now
    return compiled


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
