"""Nightly validation of every delivered extract: suites, the runner, the run lock."""
