"""The header of every screen, taken down as the app closes."""

from __future__ import annotations

from tui._textual_compat import HeaderTitle
from tui.widgets.header import Header


async def test_a_header_taken_down_as_the_app_closes_finds_no_title_quietly(demo_app, monkeypatch):
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        header = demo_app.screen.query_one(Header)
        await header.query_one(HeaderTitle).remove()
        try:
            header.query_one(HeaderTitle)  # the app runs: a real error
        except Exception as error:
            assert type(error).__name__ == "NoMatches"
        else:
            raise AssertionError("no error while the app runs")
        with monkeypatch.context() as closing:  # as the app closes: nothing to update, and no error
            closing.setattr(type(demo_app), "is_running", property(lambda app: False))
            assert isinstance(header.query_one(HeaderTitle), HeaderTitle)
