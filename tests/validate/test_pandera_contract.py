"""The pandera (polars backend) behaviour migrate/validate/run.py relies on, pinned through its public API.

run.py folds the declared checks into one pandera Check per validation (pandera costs about 0.5-1 ms
per Check and per call, BENCH.md) and attributes the rejected rows itself; these tests fail if a
pandera release changes what that needs.
"""

from __future__ import annotations

import subprocess
import sys

import polars as pl
import pytest

from migrate.validate.run import _pandera


@pytest.fixture(scope="module")
def pa():  # type: ignore[no-untyped-def]
    return _pandera()


def _bool_check(pa, name: str, expr: pl.Expr):  # type: ignore[no-untyped-def]
    return pa.Check(lambda d: d.lazyframe.select(expr.alias(d.key)), name=name, error=name)


def test_boolean_column_check_reports_the_failing_row_indexes(pa) -> None:  # type: ignore[no-untyped-def]
    schema = pa.DataFrameSchema(
        {"a": pa.Column(pl.Utf8, checks=[_bool_check(pa, "rules", pl.col("a") == "x")])}
    )
    frame = pl.DataFrame({"a": ["x", "y", "x", "z"]})
    with pytest.raises(pa.errors.SchemaErrors) as exc:
        schema.validate(frame, lazy=True)
    fc = exc.value.failure_cases
    assert fc.filter(pl.col("check") == "rules")["index"].to_list() == [1, 3]


def test_lazy_collects_every_failing_check(pa) -> None:  # type: ignore[no-untyped-def]
    schema = pa.DataFrameSchema(
        {
            "a": pa.Column(pl.Utf8, checks=[_bool_check(pa, "one", pl.col("a") == "x")]),
            "b": pa.Column(pl.Utf8, checks=[_bool_check(pa, "two", pl.col("b") == "y")]),
        }
    )
    with pytest.raises(pa.errors.SchemaErrors) as exc:
        schema.validate(pl.DataFrame({"a": ["q"], "b": ["q"]}), lazy=True)
    assert sorted(exc.value.failure_cases["check"].to_list()) == ["one", "two"]


def test_lazyframe_is_schema_only_unless_data_depth_is_forced(pa) -> None:  # type: ignore[no-untyped-def]
    from pandera.config import ValidationDepth, config_context

    schema = pa.DataFrameSchema({"a": pa.Column(pl.Utf8, checks=[_bool_check(pa, "rules", pl.lit(False))])})
    schema.validate(pl.LazyFrame({"a": ["x"]}), lazy=True)  # data checks do not run: no error
    with (
        config_context(validation_depth=ValidationDepth.SCHEMA_AND_DATA),
        pytest.raises(pa.errors.SchemaErrors),
    ):
        schema.validate(pl.LazyFrame({"a": ["x"]}), lazy=True).collect()


def test_a_check_that_raises_is_a_check_error_without_rows(pa) -> None:  # type: ignore[no-untyped-def]
    from pandera.errors import SchemaErrorReason

    bad = pa.Check(lambda d: d.lazyframe.select(pl.col("a").cast(pl.Int64, strict=True) > 0), name="rules")
    schema = pa.DataFrameSchema({"a": pa.Column(pl.Utf8, checks=[bad])})
    with pytest.raises(pa.errors.SchemaErrors) as exc:
        schema.validate(pl.DataFrame({"a": ["x"]}), lazy=True)
    reasons = [e.reason_code for e in exc.value.schema_errors]
    assert SchemaErrorReason.CHECK_ERROR in reasons


def test_pandas_stays_out_and_verdicts_do_not_depend_on_it() -> None:
    """_pandera keeps pandas unimported (a cost of 0.3-0.8 s, BENCH.md) without pandera's private API;
    the verdicts are those of a plain import of pandera."""
    code = (
        "import sys, polars as pl\n"
        "{imp}\n"
        "s = pa.DataFrameSchema({{'a': pa.Column(pl.Utf8, checks=[pa.Check(lambda d: "
        "d.lazyframe.select(pl.col('a') == 'x'))])}})\n"
        "try:\n"
        "    s.validate(pl.DataFrame({{'a': ['x', 'y', 'z']}}), lazy=True)\n"
        "except pa.errors.SchemaErrors as e:\n"
        "    print(e.failure_cases['index'].to_list(), 'pandas' in sys.modules)\n"
    )
    ours = "from migrate.validate.run import _pandera\npa = _pandera()"
    plain = "import pandera.polars as pa"
    outs = [
        subprocess.run(
            [sys.executable, "-c", code.format(imp=i)], capture_output=True, text=True, timeout=120
        )
        for i in (ours, plain)
    ]
    assert outs[0].returncode == 0, outs[0].stderr
    assert outs[0].stdout.split()[:2] == outs[1].stdout.split()[:2] == ["[1,", "2]"]
    assert outs[0].stdout.split()[2] == "False"  # pandas not imported
