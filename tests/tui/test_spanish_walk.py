"""With language ``es`` a person who reads no English meets no English: a walk
through every screen, its help, the command palette, the forms, a form's error,
a confirmation and a draft, at 80x24, looking for words of the English UI.

The words are checked whole and case-sensitive. None of them occurs in the demo
data (a guard test below keeps it so), so a hit is the interface's, never the
person's own text.
"""

from __future__ import annotations

import json
import re

import pytest

ENGLISH = (
    "Reminders Invoices Clients Jobs Settings Help Quit Screens Log Draft Pay Snooze Save Cancel "
    "Close Copy Edit New Delete Filter Name Email Amount Paid Due Deadline Deliver Payment Contact "
    "Notes Open Today late days never Subject Language Back Remind Hold Issue Accept Decline Promise "
    "Undo Status Client Date Sort Retainer Raise reminder overdue Yes No"
).split()
WORD = re.compile(r"\b(" + "|".join(ENGLISH) + r")\b")


def test_the_demo_data_holds_none_of_the_words(demo_path) -> None:
    text = json.dumps(json.loads(demo_path.read_text(encoding="utf-8")), ensure_ascii=False)
    assert not sorted(set(WORD.findall(text)))


@pytest.fixture
def spanish_app(demo_store):
    from tui.app import build_app

    demo_store.update_settings(language="es")
    return build_app(demo_store)


# (screen key, keys that open something on it); escape closes each again.
WALK = [
    ("1", ["", "question_mark", "ctrl+p", "comma", "l", "m", "z"]),
    ("2", ["", "question_mark", "n", "e", "l", "J", "i", "r", "c", "N", "z", "D"]),
    ("3", ["", "question_mark", "p", "m", "s", "n"]),
    ("4", ["", "question_mark", "enter", "n", "e", "p", "slash"]),
    ("5", ["", "question_mark", "n", "c"]),
    # The templates (from the settings: ctrl+t, on the first Spanish one), its form, the
    # question of its preview and the preview; keys separated by spaces are pressed in turn.
    ("1", ["comma ctrl+t", "comma ctrl+t e", "comma ctrl+t v", "comma ctrl+t v enter"]),
]


@pytest.mark.parametrize(("screen", "keys"), WALK, ids=[*(w[0] for w in WALK[:5]), "templates"])
async def test_no_english_on_any_screen(spanish_app, screen_text, screen, keys) -> None:
    found: dict[str, set[str]] = {}
    async with spanish_app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for key in keys:
            await pilot.press(screen)
            await pilot.pause(0.2)
            for each in key.split():
                await pilot.press(each)
                await pilot.pause(0.2)
            text = screen_text(pilot.app)
            if hits := set(WORD.findall(text)):
                found[key or "screen"] = hits
            for __ in range(4):
                if pilot.app.screen.is_modal or pilot.app.screen.id == "_default":
                    await pilot.press("escape")
                    await pilot.pause(0.05)
    assert not found, f"English on screen {screen}: {found}"


async def test_a_form_error_is_spanish(spanish_app, screen_text) -> None:
    async with spanish_app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2", "n")
        await pilot.pause(0.2)
        await pilot.press("ctrl+s")
        await pilot.pause(0.2)
        text = screen_text(pilot.app)
        assert not WORD.findall(text), text
