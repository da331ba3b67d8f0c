"""`migrate validate`: check legacy extracts against a spec through a mapping."""

from __future__ import annotations

from pathlib import Path

import click

from migrate.cli import app
from migrate.errors import ExitCode, UsageError, from_os_error
from migrate.i18n import t
from migrate.terminal import echo


def parse_size(value: str) -> int | None:
    """'12M' → bytes; '0' → None (read the whole file at once)."""
    text = value.strip().upper().removesuffix("B")
    scale = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}.get(text[-1:], 1)
    number = text[:-1] if scale > 1 else text
    try:
        size = int(float(number) * scale)
    except (ValueError, OverflowError):
        raise UsageError(
            t("--chunk-size の値が正しくありません: {v}", "bad --chunk-size value: {v}", v=value),
            hint=t("例: 12M, 256K, 0 (一括)", "e.g. 12M, 256K, 0 (whole file)"),
        ) from None
    if size < 0:
        raise UsageError(t("--chunk-size は 0 以上です", "--chunk-size must be 0 or more"))
    if size > MAX_CHUNK:
        # peak memory is about 15 × the piece size: beyond 1G no machine we run on holds it
        raise UsageError(
            t("--chunk-size が大きすぎます: {v}", "--chunk-size is too large: {v}", v=value),
            hint=t("1G 以下にしてください (0 で一括)", "use 1G or less (0 reads the whole file)"),
        )
    return size or None


MAX_CHUNK = 1 << 30


def check_source_options(encoding: str | None, delimiter: str | None) -> None:
    """--encoding and --delimiter must be usable before any file is opened (exit 2, not a crash)."""
    from migrate.io.csvfile import delimiter_problem
    from migrate.io.encoding import ENCODING_HINT, encoding_problem

    if encoding is not None and (problem := encoding_problem(encoding)):
        raise UsageError(f"--encoding: {problem}", hint=t(*ENCODING_HINT))
    if delimiter is not None and (problem := delimiter_problem(delimiter)):
        raise UsageError(
            f"--delimiter: {problem}", hint=t("例: --delimiter ',' / --delimiter tab", "e.g. , or tab")
        )


def _parse_ref(value: str) -> tuple[str, Path, str | None]:
    target, sep, rest = value.partition("=")
    if not sep or target.count("/") != 1:
        raise UsageError(
            t("--ref の形式が正しくありません: {v}", "bad --ref value: {v}", v=value),
            hint=t(
                "--ref 業務/エンティティ=ファイル[::マッピング]", "use --ref BUSINESS/ENTITY=FILE[::MAPPING]"
            ),
        )
    path, _, mapping = rest.partition("::")
    return target, Path(path), mapping or None


def _size(path: Path) -> int | None:
    """The file's size for the progress bar's share and time left (None: the reader will say why)."""
    try:
        return path.stat().st_size
    except OSError:
        return None


@click.command()
# readable=False: an unreadable file is an input error (exit 4) raised by the reader, not click's usage error
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, readable=False))
@click.option("--spec", "spec_ref", help="BUSINESS[@VERSION][/ENTITY] (default: from the mapping).")
@click.option(
    "--mapping", "mapping_ref", help="Mapping file or id under mappings/ (omit for standard headers)."
)
@click.option("--ref", "refs", multiple=True, help="Reference extract: BUSINESS/ENTITY=FILE[::MAPPING].")
@click.option("--encoding", help="Force an encoding (cp932, utf-8, euc-jp); default: detected.")
@click.option("--delimiter", help="Field separator (default: detected; tab for .tsv).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "junit", "csv"]),
    default="text",
    show_default=True,
    help="Output format: text summary, versioned JSON, JUnit XML or CSV of the findings (UTF-8 with BOM, "
    "for Excel).",
)
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write the output to a file (atomic).")
@click.option("--report", "report_fmt", type=click.Choice(["xlsx", "html"]), help="Also write a report.")
@click.option("--report-path", type=click.Path(path_type=Path), help="Where to write --report.")
@click.option("--show-values", is_flag=True, help="Show personal values unmasked (個人番号 is never shown).")
@click.option(
    "--max-findings",
    type=click.IntRange(min=0),
    help="Cap the findings listed in json/junit/csv (default: all; 0 = none). The text summary lists 10.",
)
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "never"]),
    default="error",
    show_default=True,
    help="Exit 1 when a finding of this severity or worse is found (never: always 0).",
)
@click.option(
    "--mod11-remainder-one",
    type=click.Choice(["zero", "reject"]),
    default="zero",
    show_default=True,
    help="宛名番号 M11W2-7: check digit when the remainder is 1 (not defined by the standard).",
)
@click.option(
    "--fictional-lg-code",
    "fictional_lg_codes",
    multiple=True,
    metavar="CODE",
    help="A fictional 地方公共団体コード (demo, training data): no lg-code-unknown for it (repeatable).",
)
@click.option(
    "--chunk-size",
    default="12M",
    show_default=True,
    help="Read the file in pieces of about this size (K/M/G suffix; 0 = whole file at once). "
    "Peak memory follows the piece size; findings do not.",
)
@click.pass_context
def validate(
    ctx: click.Context,
    files: tuple[Path, ...],
    spec_ref: str | None,
    mapping_ref: str | None,
    refs: tuple[str, ...],
    encoding: str | None,
    delimiter: str | None,
    fmt: str,
    output: Path | None,
    report_fmt: str | None,
    report_path: Path | None,
    show_values: bool,
    max_findings: int | None,
    fail_on: str,
    mod11_remainder_one: str,
    fictional_lg_codes: tuple[str, ...],
    chunk_size: str,
) -> None:
    """Validate legacy extract FILES against a standard spec / 移行データを検証する."""
    from migrate.atomic import write_text
    from migrate.mapping.load import load_mapping
    from migrate.report.validation import render
    from migrate.validate.compile import Options
    from migrate.validate.run import load_refs, validate_file

    chunk_bytes = parse_size(chunk_size)
    check_source_options(encoding, delimiter)
    registry = app(ctx).registry()
    mapping = load_mapping(mapping_ref) if mapping_ref else None
    if spec_ref is not None and mapping is not None and "/" not in spec_ref:
        spec_ref = f"{spec_ref}/{mapping.entity}"  # --spec juki: the entity is the mapping's
    if spec_ref is None:
        if mapping is None:
            raise UsageError(
                t("--spec か --mapping が必要です", "--spec or --mapping is required"),
                hint=t("例: --spec juki/jumin", "e.g. --spec juki/jumin"),
            )
        spec_ref = f"{mapping.spec}/{mapping.entity}"
    spec, entity = registry.entity(spec_ref)
    if mapping is not None and (
        mapping.entity != entity.id or mapping.spec.split("@")[0] != spec.business.id
    ):
        raise UsageError(
            t(
                "マッピング {m} は {ms}/{me} 用です ({s}/{e} ではありません)",
                "mapping {m} is for {ms}/{me}, not {s}/{e}",
                m=mapping.id,
                ms=mapping.spec,
                me=mapping.entity,
                s=spec.business.id,
                e=entity.id,
            )
        )
    ref_specs = []
    for r in refs:
        target, path, mref = _parse_ref(r)
        ref_specs.append((target, path, load_mapping(mref) if mref else None))
    wanted = {it.references for it in entity.items if it.references}
    ref_values = load_refs(ref_specs, registry, wanted=wanted, chunk_bytes=chunk_bytes) if ref_specs else None
    from migrate.checks.check_digit import fictional_lg_codes as checked_codes

    try:
        fictional = frozenset(checked_codes(fictional_lg_codes))
    except ValueError as exc:
        raise UsageError(f"--fictional-lg-code: {exc}") from None
    options = Options(
        remainder_one="reject" if mod11_remainder_one == "reject" else "zero", fictional_lg_codes=fictional
    )
    from migrate import progress

    show_bar = progress.wanted(fmt=fmt)
    results = []
    for f in files:
        echo(t("検証中: {f}", "validating: {f}", f=f), err=True)
        bar = progress.ProgressBar(f.name, _size(f)) if show_bar else None
        try:
            results.append(
                validate_file(
                    f,
                    spec,
                    entity,
                    registry,
                    mapping,
                    encoding=encoding,
                    delimiter=delimiter,
                    refs=ref_values,
                    show_values=show_values,
                    options=options,
                    chunk_bytes=chunk_bytes,
                    on_read=bar.on_read if bar is not None else None,
                )
            )
        finally:
            if bar is not None:
                bar.close()
    if show_values and fmt != "text":  # the text summary says it on its first line
        from migrate.report.validation.text import show_values_notice

        echo(show_values_notice(), err=True)
    text = render(results, fmt, show_values=show_values, max_findings=max_findings)
    if output:
        try:
            write_text(output, text if text.endswith("\n") else text + "\n")
        except OSError as exc:  # disk full, read-only: one line naming the output, exit 4
            raise from_os_error(exc, output) from None
        echo(t("書き出しました: {p}", "wrote {p}", p=output), err=True)
    else:
        echo(text, nl=not text.endswith("\n"))
    if report_fmt:
        from migrate.report.validation import write_validation_report

        try:
            path = write_validation_report(results, report_fmt, report_path, show_values=show_values)
        except OSError as exc:
            raise from_os_error(exc, report_path) from None
        echo(t("レポート: {p}", "report: {p}", p=path), err=True)
    errors = sum(r.errors for r in results)
    warnings = sum(r.warnings for r in results)
    if (fail_on == "error" and errors) or (fail_on == "warning" and (errors or warnings)):
        ctx.exit(int(ExitCode.FINDINGS))
