"""Composition root of the desktop app: entry point and CLI, settings, credentials, services."""
