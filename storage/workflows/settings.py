"""Templates (per language, reset to the shipped wording) and settings set one
key at a time."""

from __future__ import annotations

from ..core import StoreCore
from ..errors import NotFound, ValidationError
from ..i18n import _
from ..models import Settings, Template
from ..settings_keys import parse_setting
from ..templates import PLACEHOLDERS, TEMPLATE_NAMES, default_template, placeholders_in


class SettingsWorkflows(StoreCore):
    """Templates and settings."""

    # -- templates ---------------------------------------------------------- #

    def save_template(self, template: Template) -> Template:
        if template.id:
            return self._save(template)
        return self._insert(template)

    def template(self, name: str, language: str) -> Template:
        """The template ``name`` in ``language`` as stored, else the shipped one."""
        if name not in TEMPLATE_NAMES:
            raise NotFound(_("no template named {value!r} (known: {known})").format(
                value=name, known=', '.join(TEMPLATE_NAMES)))
        for template in self.all(Template):
            if template.name == name and str(template.language) == str(language):
                return template
        return default_template(name, language)

    def edit_template(
        self, name: str, language: str, *, subject: str | None = None, body: str | None = None
    ) -> Template:
        """Change a template's subject and/or body. A placeholder that is not one
        of the known names is refused, with the names it could be."""
        for field_name, text in (("subject", subject), ("body", body)):
            if text is None:
                continue
            __, unknown = placeholders_in(text)
            if unknown:
                names = ", ".join("{" + n + "}" for n in unknown)
                raise ValidationError(
                    field_name, _("unknown placeholder {names}; the known ones are: {known}").format(
                        names=names, known=', '.join(sorted(PLACEHOLDERS))))
        with self.transaction():
            current = self.template(name, language)
            changes = {k: v for k, v in (("subject", subject), ("body", body)) if v is not None}
            return self.save_template(current.replace(**changes))

    def reset_template(self, name: str, language: str) -> Template:
        """Put the shipped wording back."""
        with self.transaction():
            current = self.template(name, language)
            shipped = default_template(name, language)
            return self.save_template(current.replace(subject=shipped.subject, body=shipped.body))

    # -- settings, one key at a time ------------------------------------------ #

    def set_setting(self, key: str, text: str) -> Settings:
        """Set one setting from its text (``rapport settings set``), parsed and
        checked as the settings form does."""
        return self.update_settings(**{key: parse_setting(key, text)})

