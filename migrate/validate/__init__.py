"""Validation: compile a spec entity into checks, run them with pandera (polars), collect findings."""
