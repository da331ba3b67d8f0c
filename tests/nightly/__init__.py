"""Tests of nightly validation, the run history and its gates."""
