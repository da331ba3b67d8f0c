"""migrate: validate, track and report the migration of municipal core systems to the national standards."""

__version__ = "0.1.0"
