"""Qt widgets, dialogs and item models of the desktop app (no SQL, no HTTP)."""
