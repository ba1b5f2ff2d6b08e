"""Pure rules shared by the desktop app and the server: no Qt, no database, no HTTP."""
