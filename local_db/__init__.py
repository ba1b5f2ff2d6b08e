"""The desktop app's local SQLite store (SQLModel). No Qt, no HTTP."""
