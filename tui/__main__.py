"""``python -m tui`` runs the same entry point as the ``rapport`` command."""

from .cli import main

raise SystemExit(main())
