"""Load YAML data files safely and locate any key path in them by line and column."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from migrate.errors import ConfigError, InputError
from migrate.i18n import get_lang, t

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class YamlDoc:
    """A parsed YAML document plus its node tree, to turn a key path into a line number."""

    def __init__(self, path: Path, data: Any, node: yaml.Node | None) -> None:
        self.path = path
        self.data = data
        self.node = node

    def locate(self, keys: Sequence[str | int]) -> tuple[int | None, int | None]:
        """Return (line, column), 1-based, of the deepest node reachable along keys."""
        node = self.node
        best: yaml.Node | None = node
        for key in keys:
            if isinstance(node, yaml.MappingNode):
                nxt = None
                for k, v in node.value:
                    if isinstance(k, yaml.ScalarNode) and k.value == str(key):
                        nxt = v
                        break
                if nxt is None:
                    break
                node = nxt
            elif isinstance(node, yaml.SequenceNode) and isinstance(key, int):
                if not 0 <= key < len(node.value):
                    break
                node = node.value[key]
            else:
                break
            best = node
        if best is None:
            return None, None
        return best.start_mark.line + 1, best.start_mark.column + 1

    def error(self, message: str, keys: Sequence[str | int] = (), hint: str | None = None) -> ConfigError:
        line, col = self.locate(keys)
        key = ".".join(str(k) for k in keys) if keys else None
        return ConfigError(message, path=self.path, line=line, column=col, key=key, hint=hint)


def load_yaml(path: str | Path) -> YamlDoc:
    """Read a YAML file with safe_load semantics; broken YAML becomes a ConfigError with line."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(t("ファイルがありません", "file not found"), path=p) from None
    except UnicodeDecodeError as exc:
        raise ConfigError(
            t("UTF-8 として読めません", "not valid UTF-8"),
            path=p,
            hint=t("YAML ファイルは UTF-8 で保存してください", "save YAML files as UTF-8"),
        ) from exc
    except OSError as exc:
        raise InputError(t("読み込めません: {e}", "cannot read: {e}", e=exc.strerror), path=p) from None
    try:
        # One parse (libyaml when available): the node tree gives lines, the document gives data.
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise ConfigError(
            t("YAML の構文エラー: {p}", "YAML syntax error: {p}", p=exc.problem or exc.context),
            path=p,
            line=mark.line + 1 if mark else None,
            column=mark.column + 1 if mark else None,
        ) from None
    except (ValueError, TypeError) as exc:
        # safe_load builds dates itself: 2026-02-30 raises here, before any schema check.
        mark = getattr(loader, "mark", None) if "loader" in locals() else None
        raise ConfigError(
            t("値を読めません: {e}", "cannot read a value: {e}", e=exc),
            path=p,
            line=mark.line + 1 if mark is not None else None,
            hint=t("日付は実在する YYYY-MM-DD で書いてください", "write dates as real YYYY-MM-DD days"),
        ) from None
    except yaml.YAMLError as exc:
        raise ConfigError(t("YAML の構文エラー: {e}", "YAML syntax error: {e}", e=exc), path=p) from None
    _refuse_duplicate_keys(p, node)
    return YamlDoc(p, data, node)


def _refuse_duplicate_keys(path: Path, root: yaml.Node | None) -> None:
    """A key given twice in one mapping is an error naming both lines (YAML says keys are unique;
    PyYAML silently keeps the last one, so a second `kojin_bango:` would quietly replace the first)."""
    todo = [root] if root is not None else []
    seen: set[int] = set()
    while todo:
        node = todo.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            first: dict[str, yaml.Node] = {}
            for k, v in node.value:
                if isinstance(k, yaml.ScalarNode) and k.tag != "tag:yaml.org,2002:merge":
                    if k.value in first:
                        was = first[k.value].start_mark.line + 1
                        raise ConfigError(
                            t(
                                "キー {k!r} が重複しています ({a} 行目と {b} 行目)",
                                "duplicate key {k!r} (lines {a} and {b})",
                                k=k.value,
                                a=was,
                                b=k.start_mark.line + 1,
                            ),
                            path=path,
                            line=k.start_mark.line + 1,
                            column=k.start_mark.column + 1,
                            hint=t("どちらか一方を消してください", "keep only one of them"),
                        )
                    first[k.value] = k
                todo.append(v)
        elif isinstance(node, yaml.SequenceNode):
            todo.extend(node.value)


def check_kind(doc: YamlDoc, kind: str, versions: Sequence[int] = (1,)) -> dict[str, Any]:
    """Every data file says what it is (kind) and which format version it follows."""
    if not isinstance(doc.data, dict):
        raise doc.error(
            t("最上位はマッピング (key: value) でなければなりません", "top level must be a mapping")
        )
    got = doc.data.get("kind")
    if got != kind:
        raise doc.error(
            t("kind が {k} ではありません (値: {g})", "kind must be {k} (got {g})", k=kind, g=got),
            ["kind"],
        )
    fmt = doc.data.get("format")
    if fmt not in versions:
        raise doc.error(
            t(
                "対応していない format です: {f} (対応: {v})",
                "unsupported format {f} (supported: {v})",
                f=fmt,
                v=", ".join(map(str, versions)),
            ),
            ["format"],
        )
    return doc.data


def pydantic_error(doc: YamlDoc, exc: Any, prefix: Sequence[str | int] = ()) -> ConfigError:
    """Turn the first error of a pydantic ValidationError into a ConfigError with file and line."""
    err = exc.errors()[0]
    loc = [*prefix, *[k for k in err["loc"] if not (isinstance(k, str) and k.startswith("function-"))]]
    # pydantic puts union/tagged names in loc; keep only keys present in the document.
    clean: list[str | int] = []
    node_data: Any = doc.data
    for k in loc:
        if (isinstance(node_data, dict) and k in node_data) or (
            isinstance(node_data, list) and isinstance(k, int) and 0 <= k < len(node_data)
        ):
            clean.append(k)
            node_data = node_data[k]
        elif isinstance(node_data, dict) and isinstance(k, str) and err["type"] == "missing":
            clean.append(k)
            break
    msg = pydantic_message(err)
    line, col = doc.locate(clean if err["type"] != "missing" else clean[:-1])
    return ConfigError(msg, path=doc.path, line=line, column=col, key=".".join(map(str, clean)) or None)


# pydantic's error types (pydantic_core's ErrorType) → Japanese; {…} are the error's ctx fields, {v} its
# input. English keeps pydantic's own message (--lang en). A type not listed keeps pydantic's message in
# both languages: wrong words in English beat a guess.
_PYDANTIC_JA = {
    "missing": "必須のキーがありません",
    "extra_forbidden": "不明なキーです",
    "int_parsing": "整数ではありません (値: {v})",
    "int_type": "整数ではありません (値: {v})",
    "int_from_float": "小数ではなく整数で書いてください (値: {v})",
    "float_parsing": "数値ではありません (値: {v})",
    "float_type": "数値ではありません (値: {v})",
    "decimal_parsing": "数値ではありません (値: {v})",
    "decimal_type": "数値ではありません (値: {v})",
    "string_type": "文字列ではありません (値: {v})。文字列は引用符で囲んでください",
    "bool_parsing": "true / false ではありません (値: {v})",
    "bool_type": "true / false ではありません (値: {v})",
    "date_parsing": "日付 (YYYY-MM-DD) ではありません (値: {v})",
    "date_from_datetime_parsing": "日付 (YYYY-MM-DD) ではありません (値: {v})",
    "date_from_datetime_inexact": "時刻のない日付 (YYYY-MM-DD) で書いてください (値: {v})",
    "date_type": "日付 (YYYY-MM-DD) ではありません (値: {v})",
    "datetime_parsing": "日時 (YYYY-MM-DDTHH:MM:SS) ではありません (値: {v})",
    "datetime_type": "日時 (YYYY-MM-DDTHH:MM:SS) ではありません (値: {v})",
    "greater_than": "{gt} より大きい値にしてください (値: {v})",
    "greater_than_equal": "{ge} 以上にしてください (値: {v})",
    "less_than": "{lt} より小さい値にしてください (値: {v})",
    "less_than_equal": "{le} 以下にしてください (値: {v})",
    "multiple_of": "{multiple_of} の倍数にしてください (値: {v})",
    "too_short": "要素が少なすぎます (最小 {min_length} 個、実際 {actual_length} 個)",
    "too_long": "要素が多すぎます (最大 {max_length} 個、実際 {actual_length} 個)",
    "string_too_short": "文字列が短すぎます (最小 {min_length} 文字)",
    "string_too_long": "文字列が長すぎます (最大 {max_length} 文字)",
    "string_pattern_mismatch": "形式が正しくありません (パターン {pattern}、値: {v})",
    "list_type": "リスト ([...] または - の並び) ではありません",
    "tuple_type": "リスト ([...] または - の並び) ではありません",
    "set_type": "リスト ([...] または - の並び) ではありません",
    "dict_type": "マッピング (key: value) ではありません",
    "model_type": "マッピング (key: value) ではありません",
    "model_attributes_type": "マッピング (key: value) ではありません",
    "none_required": "値を書かないでください (値: {v})",
    "union_tag_invalid": "{tag} は使えません (使える値: {expected_tags})",
    "union_tag_not_found": "{discriminator} を指定してください",
}


def _shown(value: Any) -> str:
    """The offending input as it reads in YAML (a scalar only: a mapping or list is not repeated)."""
    if isinstance(value, str):
        return repr(value if len(value) <= 60 else value[:59] + "…")
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    return str(value) if isinstance(value, int | float) else "…"


def pydantic_message(err: Any) -> str:
    """One pydantic error (an item of ValidationError.errors()) as a message in the current language:
    Japanese for the common types, pydantic's own English with --lang en. Our own validators'
    messages (value_error, assertion_error) are kept as written."""
    kind = str(err.get("type", ""))
    ctx = dict(err.get("ctx") or {})
    if kind in ("enum", "literal_error"):
        return t(
            "値 {v!r} は使えません (使える値: {e})",
            "value {v!r} is not allowed (expected {e})",
            v=err.get("input"),
            e=ctx.get("expected", ""),
        )
    if kind == "missing":
        return t("必須のキーがありません", "required key is missing")
    if kind == "extra_forbidden":
        return t("不明なキーです", "unknown key")
    english = str(err.get("msg", "")).removeprefix("Value error, ").removeprefix("Assertion failed, ")
    ja = _PYDANTIC_JA.get(kind)
    if ja is None or get_lang() == "en":
        return english
    try:
        return ja.format(v=_shown(err.get("input")), **{k: str(v) for k, v in ctx.items()})
    except (KeyError, IndexError, ValueError):  # a ctx field this pydantic version does not give
        return english
