"""Use cases shared by the GUI, the CLI and the importers (no Qt here)."""
