"""A modal form that validates before anything is saved.

A :class:`FormModal` shows labelled fields. ``enter`` (in a one-line field) or
``ctrl+s`` saves, ``escape`` cancels. Saving calls ``submit`` with the parsed
values; ``submit`` talks to the store. A ``ValidationError`` puts its message
beside the field it names and keeps the form open; a ``StorageError`` (full
disk, read-only file) is shown at the bottom, and the form stays open with
everything typed still there. The modal closes only once the store returned,
that is once the change is on disk.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static, TextArea

from storage.errors import UserError
from storage.text import one_line, visible
from storage.values import ValidationError

from ..i18n import N_, _

T = TypeVar("T")


@dataclass
class Field:
    """One field of a form: what it is called, shows, holds and accepts."""

    name: str
    label: str
    value: str = ""
    parse: Callable[[str], Any] = str
    """Turns the typed text into a value; raises ValidationError when it can't."""
    choices: list[tuple[str, str]] | None = None
    """(label, value) pairs: shown as a select."""
    multiline: bool = False
    placeholder: str = ""
    aliases: tuple[str, ...] = field(default_factory=tuple)
    """Other names a ValidationError may use for this field (e.g. ``client``)."""
    placeholders: Callable[[str], dict[str, str]] | None = None
    """For a select: the other fields' placeholders for the value chosen (the
    invoice's "the client's (EUR)" follows the client picked)."""


class FormSelect(Select[str]):
    """A form's select: ``enter`` saves the form, as in every one-line field;
    ``space``, the arrows or a click open the list."""

    BINDINGS = [Binding("enter", "save_form", N_("Save"), show=False)]

    def action_save_form(self) -> None:
        screen = self.screen
        if isinstance(screen, FormModal):
            screen.action_save()


class FormModal(ModalScreen[T | None], Generic[T]):
    """A form in a modal dialog; dismisses with ``submit``'s result, or None."""

    BINDINGS = [
        Binding("ctrl+s", "save", N_("Save"), priority=True, id="form-save"),
        Binding("escape", "cancel", N_("Cancel"), id="form-cancel"),
    ]

    DEFAULT_CSS = """
    FormModal { align: center middle; }
    FormModal > VerticalScroll {
        width: 72; max-width: 100%; height: auto; max-height: 100%;
        border: round $primary; background: $surface; padding: 0 1;
    }
    FormModal .form-title { text-style: bold; margin-bottom: 1; width: 100%; }
    FormModal .field-row { height: auto; margin-bottom: 1; }
    FormModal .field-label { width: 22; padding-right: 2; color: $text-muted; }
    FormModal .field-row Input, FormModal .field-row Select { width: 1fr; }
    FormModal .field-row TextArea { width: 1fr; height: 5; }
    FormModal .field-error { color: $error; height: auto; padding-left: 22; margin-top: -1; margin-bottom: 1; }
    FormModal .field-error.-empty { display: none; }
    FormModal #form-status { color: $error; height: auto; }
    FormModal #form-status.-empty { display: none; }
    FormModal .form-buttons { height: auto; align-horizontal: right; }
    FormModal .form-buttons Button { margin-left: 2; }
    """

    def __init__(
        self, title: str, fields: list[Field], submit: Callable[[dict[str, Any]], T], *, save_label: str | None = None,
        links: list[tuple[str, str, str]] | None = None,
    ) -> None:
        """``title``, the labels and ``save_label`` come translated (a form is
        built when it opens, in the language of the moment); "Save" by default.
        ``links``: (key, label, action) for another screen the form leads to
        (the settings' Templates): a button, and the key, run ``action``."""
        super().__init__()
        self.form_title = title
        self.fields = fields
        self.submit = submit
        self.save_label = save_label if save_label is not None else _("Save")
        self.links = links or []

    def shown(self, spec: Field) -> str:
        """What a field shows of its stored value: controls as visible symbols
        (storage.text.visible), so nothing stored reaches the terminal raw."""
        if spec.multiline:
            return visible(spec.value, keep_newlines=True, keep_tabs=True)
        return visible(spec.value)

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(Text(visible(self.form_title, keep_newlines=True)), classes="form-title")
            for spec in self.fields:
                with Horizontal(classes="field-row"):
                    yield Label(Text(visible(spec.label, keep_newlines=True)), classes="field-label")
                    if spec.choices is not None:
                        yield FormSelect(
                            [(Text(one_line(label)), value) for label, value in spec.choices],
                            value=spec.value if spec.value in [v for __, v in spec.choices] else Select.BLANK,
                            allow_blank=False,
                            compact=True,
                            id=f"field-{spec.name}",
                        )
                    elif spec.multiline:
                        yield TextArea(self.shown(spec), id=f"field-{spec.name}", soft_wrap=True, compact=True)
                    else:
                        yield Input(self.shown(spec), placeholder=visible(spec.placeholder), id=f"field-{spec.name}",
                                    select_on_focus=False, compact=True)
                yield Static("", id=f"error-{spec.name}", classes="field-error -empty", markup=False)
            yield Static("", id="form-status", classes="-empty", markup=False)
            with Horizontal(classes="form-buttons"):
                for i, (key, label, __) in enumerate(self.links):
                    yield Button(f"{label} ({key})", id=f"form-link-{i}", classes="form-link", compact=True)
                yield Button(_("Cancel"), id="cancel", compact=True)
                yield Button(self.save_label, id="save", variant="primary", compact=True)

    def on_mount(self) -> None:
        first = self.query(f"#field-{self.fields[0].name}").first() if self.fields else None
        if first is not None:
            first.focus()

    def raw_value(self, name: str) -> str:
        """The field's text; one left as shown is its stored value, exactly
        (a control shown as a symbol is not stored as the symbol)."""
        widget = self.query_one(f"#field-{name}")
        if isinstance(widget, Select):
            return str(widget.value)
        if isinstance(widget, TextArea):
            text = widget.text
        else:
            assert isinstance(widget, Input)
            text = widget.value
        spec = next((f for f in self.fields if f.name == name), None)
        if spec is not None and text == self.shown(spec):
            return spec.value
        return text

    def _set_error(self, name: str, message: str) -> None:
        error = self.query_one(f"#error-{name}", Static)
        error.update(Text(message))
        error.set_class(not message, "-empty")

    def _set_status(self, message: str) -> None:
        status = self.query_one("#form-status", Static)
        status.update(Text(message))
        status.set_class(not message, "-empty")

    def _field_for(self, error_field: str) -> Field | None:
        key = error_field.lstrip("-").replace("-", "_")
        for spec in self.fields:
            if key == spec.name or key in spec.aliases:
                return spec
        return None

    @on(Select.Changed)
    def _choice_changed(self, event: Select.Changed) -> None:
        spec = self._field_for(str(event.select.id).removeprefix("field-"))
        if spec is None or spec.placeholders is None or event.value is Select.BLANK:
            return
        for name, placeholder in spec.placeholders(str(event.value)).items():
            self.query_one(f"#field-{name}", Input).placeholder = visible(placeholder)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, ".form-link")
    async def _link_pressed(self, event: Button.Pressed) -> None:
        index = int(str(event.button.id).rsplit("-", 1)[1])
        await self.run_action(self.links[index][2])

    async def on_key(self, event: events.Key) -> None:
        for key, _label, action in self.links:
            if event.key == key:
                event.stop()
                await self.run_action(action)
                return

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_save(self) -> None:
        values: dict[str, Any] = {}
        first_bad: str | None = None
        for spec in self.fields:
            try:
                values[spec.name] = spec.parse(self.raw_value(spec.name))
                self._set_error(spec.name, "")
            except ValidationError as exc:
                self._set_error(spec.name, exc.message)
                first_bad = first_bad or spec.name
        self._set_status("")
        if first_bad is not None:
            self.query_one(f"#field-{first_bad}").focus()
            return
        try:
            result = self.submit(values)
        except ValidationError as exc:
            spec = self._field_for(exc.field)
            if spec is not None:
                self._set_error(spec.name, exc.message)
                self.query_one(f"#field-{spec.name}").focus()
            else:
                self._set_status(str(exc))
            return
        except UserError as exc:  # the rest: not about one field
            self._set_status(str(exc))
            return
        self.dismiss(result)
