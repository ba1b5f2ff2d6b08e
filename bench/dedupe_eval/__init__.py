"""Evaluation set for the person matcher: generated, seeded, with the truth per kind."""
