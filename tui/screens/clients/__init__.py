"""The Clients screen (key ``2``): :mod:`.screen` draws it, :mod:`.view` computes what it shows."""

from .screen import ClientsScreen

__all__ = ["ClientsScreen"]
