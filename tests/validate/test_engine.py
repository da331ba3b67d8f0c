"""How the validation engine loads pandera: without pandas (never used by the polars backend)."""

from __future__ import annotations

import subprocess
import sys


def test_pandera_loads_without_pandas_and_pandas_still_imports_afterwards() -> None:
    code = (
        "import sys\n"
        "from migrate.validate.run import _pandera\n"
        "import polars as pl\n"
        "pa = _pandera()\n"
        "schema = pa.DataFrameSchema({'a': pa.Column(pl.Utf8, checks=[pa.Check(lambda d: False)])})\n"
        "try:\n"
        "    schema.validate(pl.DataFrame({'a': ['x']}), lazy=True)\n"
        "except pa.errors.SchemaErrors:\n"
        "    pass\n"
        "else:\n"
        "    raise AssertionError('a failing check passed')\n"
        "assert 'pandas' not in sys.modules, 'pandas was imported with pandera'\n"
        "try:\n"
        "    import pandas\n"
        "except ModuleNotFoundError:\n"
        "    pass  # not installed at all: fine\n"
        "else:\n"
        "    assert pandas.DataFrame is not None\n"
        "print('ok')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"
