"""The catalogs are complete: every marked string of the screens, the CLI and the
store is in each language's catalog, translated, not fuzzy, with the same
placeholders, and the template (rapport.pot) is current.

A visible string that is not marked is found by the Spanish walk
(tests/tui/test_spanish_walk.py), which looks for English words on every screen.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

import storage
import tui
from storage.languages import LOCALE_DIRS, SOURCE_LANGUAGE, available_languages

ROOTS = [Path(storage.__file__).parent, Path(tui.__file__).parent]
POT = LOCALE_DIRS[-1] / "rapport.pot"
PLACEHOLDER = re.compile(r"(?<!\{)\{([A-Za-z_][A-Za-z0-9_]*)(?:[!:][^}]*)?\}")


def _extracted() -> dict[str, tuple[str, ...]]:
    """msgid -> every form the code marks (one, or singular and plural)."""
    found: dict[str, tuple[str, ...]] = {}
    for root in ROOTS:
        for _filename, _line, message, _comments, _context in extract_from_dir(
            root, method_map=[("**.py", "python")], keywords=DEFAULT_KEYWORDS
        ):
            forms = message if isinstance(message, tuple) else (message,)
            found[forms[0]] = forms
    return found


EXTRACTED = _extracted()


def _catalog(language: str):
    folder = next(root / language for root in LOCALE_DIRS if (root / language).is_dir())
    with (folder / "LC_MESSAGES" / "rapport.po").open("rb") as handle:
        return read_po(handle, locale=language)


LANGUAGES = [lang for lang in available_languages() if lang != SOURCE_LANGUAGE]


def test_the_code_marks_strings() -> None:
    assert len(EXTRACTED) > 50


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_marked_string_is_translated(language: str) -> None:
    catalog = _catalog(language)
    missing = [msgid for msgid in EXTRACTED if msgid not in catalog]
    assert not missing, f"{len(missing)} strings not in the {language} catalog, e.g. {missing[:5]}"
    problems = []
    for msgid, forms in EXTRACTED.items():
        entry = catalog[msgid]
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        if entry.fuzzy:
            problems.append(f"fuzzy: {msgid!r}")
        elif not all(strings):
            problems.append(f"untranslated: {msgid!r}")
        else:
            wanted = set().union(*(PLACEHOLDER.findall(form) for form in forms))
            for text in strings:
                if set(PLACEHOLDER.findall(text)) - wanted:
                    problems.append(f"placeholder not in the English: {msgid!r} -> {text!r}")
    assert not problems, "\n".join(problems[:20])


def test_the_template_is_current() -> None:
    with POT.open("rb") as handle:
        template = read_po(handle)
    assert {m.id if isinstance(m.id, str) else m.id[0] for m in template if m.id} == set(EXTRACTED), (
        "storage/locale/rapport.pot is stale: run the README's pybabel extract"
    )


def _assigns_underscore(tree: ast.AST) -> list[int]:
    """Lines where a function binds ``_`` (which would hide the gettext ``_``)."""
    lines = []
    for func in ast.walk(tree):
        if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(func):
            targets: list[ast.AST] = []
            if isinstance(node, ast.Assign):
                targets = list(node.targets)
            elif isinstance(node, ast.For | ast.comprehension):
                targets = [node.target]
            elif isinstance(node, ast.With):
                targets = [item.optional_vars for item in node.items if item.optional_vars]
            for target in targets:
                if any(isinstance(n, ast.Name) and n.id == "_" for n in ast.walk(target)):
                    lines.append(node.lineno if hasattr(node, "lineno") else func.lineno)
    return lines


def test_no_module_hides_the_gettext_underscore() -> None:
    bad = []
    for root in ROOTS:
        for path in root.rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            imports_it = any(
                isinstance(n, ast.ImportFrom) and any(a.name == "_" for a in n.names) for n in ast.walk(tree)
            )
            if imports_it and (lines := _assigns_underscore(tree)):
                bad.append(f"{path.name}: line {lines[0]}")
    assert not bad, f"a function binds `_` and would hide gettext's: {bad}"


def test_no_marked_literal_hides_in_an_f_string() -> None:
    """pybabel does not look inside f-strings: ``f"{_('saved')}"`` would never
    reach the catalog and would show English in every language."""
    bad = []
    for root in ROOTS:
        for path in root.rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.JoinedStr):
                    continue
                for call in ast.walk(node):
                    if (isinstance(call, ast.Call) and isinstance(call.func, ast.Name)
                            and call.func.id in {"_", "N_", "ngettext"}
                            and any(isinstance(a, ast.Constant) for a in call.args)):
                        bad.append(f"{path.name}: line {call.lineno}")
    assert not bad, f"a marked string inside an f-string: {bad}"
