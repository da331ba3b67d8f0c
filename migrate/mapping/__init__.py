"""Legacy → standard mappings: the model, loading, compiling to polars, and linting."""
