"""Custom checks as polars expressions (True = passes); the validator wraps them in pandera Checks."""
