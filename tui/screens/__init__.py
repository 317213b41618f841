"""The app's screens, one a file (Clients: a package with its view model).

The forms and modals they open are in tui/forms/ and tui/modals.py."""
