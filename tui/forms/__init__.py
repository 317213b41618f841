"""The forms a screen or a flow opens, one a file; their field parsers in :mod:`.parsers`.

Each function builds a :class:`~tui.widgets.form.FormModal` and pushes it on
the :class:`~tui.host.Host`: every field is parsed strictly before anything is
saved, and ``submit`` calls the store, which commits before the modal closes.
"""
