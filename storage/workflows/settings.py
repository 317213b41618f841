"""Templates (per language, reset to the shipped wording) and settings set one
key at a time."""

from __future__ import annotations

from tinydb import where

from ..core import StoreCore
from ..errors import NotFound, ValidationError
from ..i18n import _
from ..models import Settings, Template, check_language
from ..settings_keys import parse_setting
from ..templates import PLACEHOLDERS, TEMPLATE_NAMES, default_template, placeholders_in


class SettingsWorkflows(StoreCore):
    """Templates and settings."""

    # -- templates ---------------------------------------------------------- #
    #
    # The data file keeps only the templates the person edited: an unedited one
    # is read from its shipped file, so an upgrade that changes the shipped
    # wording reaches it (docs/rules.md, "Templates"). Saving the shipped
    # wording, or resetting, removes the stored copy.

    def save_template(self, template: Template) -> Template:
        if template.id:
            return self._save(template)
        return self._insert(template)

    def _check_template_key(self, name: str, language: str) -> None:
        if name not in TEMPLATE_NAMES:
            raise NotFound(_("no template named {value!r} (known: {known})").format(
                value=name, known=', '.join(TEMPLATE_NAMES)))
        check_language(language, "lang")

    def _stored_templates(self, name: str, language: str) -> list[Template]:
        return [t for t in self.all(Template) if t.name == name and str(t.language) == str(language)]

    def template(self, name: str, language: str) -> Template:
        """The template ``name`` in ``language`` as stored, else the shipped one
        (English where the language has no file for it)."""
        self._check_template_key(name, language)
        mine = self._stored_templates(name, language)
        if mine:
            return max(mine, key=lambda t: t.updated_at)  # as drafting picks (drafts.find_template)
        return default_template(name, language)

    def template_is_edited(self, name: str, language: str) -> bool:
        """Whether the person has their own wording for this template."""
        self._check_template_key(name, language)
        return bool(self._stored_templates(name, language))

    def edit_template(
        self, name: str, language: str, *, subject: str | None = None, body: str | None = None
    ) -> Template:
        """Change a template's subject and/or body. A placeholder that is not one
        of the known names is refused, with every name that exists; nothing is
        written then."""
        self._check_template_key(name, language)
        for field_name, text in (("subject", subject), ("body", body)):
            if text is None:
                continue
            __, unknown = placeholders_in(text)
            if unknown:
                names = ", ".join("{" + n + "}" for n in unknown)
                known = ", ".join("{" + n + "}" for n in PLACEHOLDERS)
                message = _("unknown placeholder {names}; the placeholders are: {known}")
                raise ValidationError(field_name, message.format(names=names, known=known))
        with self.transaction():
            current = self.template(name, language)
            changes = {k: v for k, v in (("subject", subject), ("body", body)) if v is not None}
            edited = current.replace(**changes)
            shipped = default_template(name, language)
            if (edited.subject, edited.body) == (shipped.subject, shipped.body):
                self._drop_templates(name, language)  # the shipped wording: nothing of the person's to keep
                return shipped
            return self.save_template(edited)

    def reset_template(self, name: str, language: str) -> Template:
        """Put the shipped wording back: the stored edit is removed, so later
        shipped wording reaches this template too."""
        self._check_template_key(name, language)
        with self.transaction():
            self._drop_templates(name, language)
        return default_template(name, language)

    def _drop_templates(self, name: str, language: str) -> None:
        ids = [t.id for t in self._stored_templates(name, language)]
        if ids:
            self._table(Template).remove(where("id").one_of(ids))

    # -- settings, one key at a time ------------------------------------------ #

    def set_setting(self, key: str, text: str) -> Settings:
        """Set one setting from its text (``rapport settings set``), parsed and
        checked as the settings form does."""
        return self.update_settings(**{key: parse_setting(key, text)})

