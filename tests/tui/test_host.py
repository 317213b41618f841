"""The flows, forms and modals are typed against tui.host.Host, not the app:
the app must be one, or they would ask it for something it does not have."""

from __future__ import annotations

from tui.host import Host


def test_the_app_is_a_host(demo_app):
    # runtime_checkable: every member of the protocol is looked up on the app.
    assert isinstance(demo_app, Host)


def test_something_short_of_the_app_is_not_a_host(demo_store):
    class StoreOnly:
        store = demo_store

    assert not isinstance(StoreOnly(), Host)
