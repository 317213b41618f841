"""Message templates: placeholder filling and the shipped defaults."""

from __future__ import annotations

from .models import Template


def default_templates() -> list[Template]:
    return []
