"""The run history: every nightly run, per file and per rule; findings keyed, never personal values."""
