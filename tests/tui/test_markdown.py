"""Notes' Markdown: code blocks are not guessed at, and the primer document
brings in the CSS of every kind of block a note can have."""

from __future__ import annotations

import pygments.lexers
from textual.app import App, ComposeResult
from textual.widgets import Label

from tui.widgets.markdown import EVERY_BLOCK, NoteFence, SafeMarkdown


def shown(fence: NoteFence):
    """What the code block shows: the content of its one label."""
    return fence.query_one(Label).content


class Notes(App):
    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        yield SafeMarkdown(self.text)


async def test_a_code_block_without_a_language_is_plain_text_not_guessed(monkeypatch):
    def no_guessing(*args, **kwargs):
        raise AssertionError("guessed the language of a note's code block")

    monkeypatch.setattr(pygments.lexers, "guess_lexer", no_guessing)
    app = Notes("Before\n\n```\nfor x in y: print(x)\n```\n\n    indented code\n")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        fences = list(app.query(NoteFence))
        assert [fence.code for fence in fences] == ["for x in y: print(x)", "indented code"]
        for fence in fences:
            assert shown(fence).plain.rstrip("\n") == fence.code  # shown as typed


async def test_a_code_block_that_names_its_language_is_highlighted():
    app = Notes("```python\ndef f():\n    return 1\n```\n")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        fence = app.query_one(NoteFence)
        assert shown(fence).plain.rstrip("\n") == "def f():\n    return 1"
        assert shown(fence).spans  # keywords coloured


NOTE = """# Acme

Met *Ana* and **Luis**; see [site](https://example.com).

## Agreed
1. Monthly invoice
   - on the 1st
2. Weekly update

> They prefer calls.
> - mornings

| Item | Price |
| ---- | ----: |
| Logo | 400 |

---

```
raw text
```

```json
{"a": 1}
```

###### small print
"""


async def test_after_the_primer_no_note_brings_new_css():
    # Textual adds a block's CSS when the first one mounts, and every screen
    # is restyled after; the primer makes that happen once, ahead of notes.
    app = Notes("\n\n".join(EVERY_BLOCK))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        before = set(app.stylesheet.source)
        await app.mount(SafeMarkdown(NOTE))
        await pilot.pause()
        assert len(app.query(SafeMarkdown)) == 2 and app.query(NoteFence)
        assert set(app.stylesheet.source) - before == set()
