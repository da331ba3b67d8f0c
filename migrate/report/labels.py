"""Every status word a report shows, in the language of the run: one table per kind of status.

Kinds that look alike are kept apart by name: a schedule's colour (順調 / 注意 / 遅延), a validated
file's traffic light (エラーあり / 要確認 / 問題なし), a nightly source against its thresholds
(基準未達 / エラー残あり / 基準達成), what the nightly did with a delivered file (新規 / 更新 /
前回結果を継続, shorter in the terminal table), a recorded run (完了 / 実行中 / 未完了).
Severities are migrate.findings.severity_label, finding titles migrate.findings.title_of.
"""

from __future__ import annotations

from migrate.findings import severity_label, title_of
from migrate.i18n import t

__all__ = [
    "colour_word",
    "delivery_label",
    "headings",
    "light_label",
    "metric_label",
    "milestone_state_label",
    "phase_word",
    "run_status_label",
    "schedule_label",
    "severity_label",
    "source_status_label",
    "title_of",
    "verdict",
]

_SCHEDULE = {
    "green": ("順調", "on track"),
    "amber": ("注意", "at risk"),
    "red": ("遅延", "late"),
    "grey": ("完了", "done"),
}


def schedule_label(status: str) -> str:
    """A plan status colour as a word: 順調 / 注意 / 遅延 / 完了."""
    words = _SCHEDULE.get(status)
    return t(*words) if words else status


_COLOUR_WORDS = {"green": ("緑", "green"), "amber": ("黄", "amber"), "red": ("赤", "red")}


def colour_word(status: str) -> str:
    """A plan status colour named as a colour (緑 / 黄 / 赤), as the terminal tables say it."""
    return t(*_COLOUR_WORDS[status])


_LIGHT = {"red": ("エラーあり", "errors"), "amber": ("要確認", "check"), "green": ("問題なし", "clean")}


def light_label(status: str) -> str:
    """A validated file's traffic light: エラーあり / 要確認 / 問題なし."""
    words = _LIGHT.get(status)
    return t(*words) if words else status


_SOURCE = {
    "red": ("基準未達", "breached"),
    "amber": ("エラー残あり", "errors remain"),
    "green": ("基準達成", "passed"),
}


def source_status_label(status: str) -> str:
    """A nightly source against its thresholds: 基準未達 / エラー残あり / 基準達成."""
    words = _SOURCE.get(status)
    return t(*words) if words else status


# state: (report wording, terminal wording): the terminal table keeps its columns narrow
_DELIVERY = {
    "new": (("新規", "new"), ("新規", "new")),
    "changed": (("更新", "changed"), ("変更", "changed")),
    "revalidated": (("再検証", "revalidated"), ("再検証", "revalidated")),
    "carried": (("前回結果を継続", "unchanged (carried)"), ("前回結果", "carried")),
    "unreadable": (("読めない", "unreadable"), ("読込不可", "unreadable")),
}


def delivery_label(status: str, *, short: bool = False) -> str:
    """What the nightly did with a delivered file (新規 / 更新 / 再検証 / 前回結果を継続 / 読めない)."""
    words = _DELIVERY.get(status)
    return t(*words[1 if short else 0]) if words else status


_RUN = {
    "complete": ("完了", "complete"),
    "running": ("実行中", "running"),
    "incomplete": ("未完了", "incomplete"),
}


def run_status_label(status: str) -> str:
    """A recorded nightly run: 完了 / 実行中 / 未完了."""
    words = _RUN.get(status)
    return t(*words) if words else status


def verdict(ok: bool | None, *, none: str | None = None) -> str:
    """合格 / 基準未達 (`none`, by default 判定なし, when the run was not judged)."""
    if ok is None:
        return t("判定なし", "not judged") if none is None else none
    return t("合格", "pass") if ok else t("基準未達", "BREACHED")


_METRICS = {
    "readiness": ("移行可能率", "readiness"),
    "errors": ("エラー件数", "errors"),
    "warnings": ("警告件数", "warnings"),
    "new_errors": ("新規エラー", "new errors"),
    "complete": ("全検査実行", "all checks ran"),
    "unreadable": ("読めないファイル", "unreadable files"),
    "files": ("ファイル数", "files"),
}


def metric_label(metric: str) -> str:
    words = _METRICS.get(metric)
    return t(*words) if words else metric


# state: (Japanese, English in reports, English in the terminal's narrow table)
_MILESTONE_STATES = {
    "not-started": ("未着手", "not started", "not started"),
    "in-progress": ("作業中", "in progress", "in progress"),
    "done": ("完了済み", "done", "done"),
    "not-applicable": ("対象外", "not applicable", "n/a"),
}


def milestone_state_label(state: str, *, short: bool = False) -> str:
    words = _MILESTONE_STATES.get(state)
    if words is None:
        return state
    return t(words[0], words[2] if short else words[1])


_PHASE_WORDS = {
    "planning": ("計画立案", "planning"),
    "procurement": ("ベンダー選定・契約", "procurement"),
    "migration": ("移行", "migration"),
    "operation": ("運用", "operation"),
}


def phase_word(phase: str | None) -> str:
    """A phase of the procedure in one word, as the terminal says it (the reports use the
    procedure template's names, carried in the plan view)."""
    if phase is None:
        return "-"
    ja, en = _PHASE_WORDS.get(phase, (phase, phase))
    return t(ja, en)


# Column headings: one wording per column, whichever table shows it.
_HEADINGS = {
    "as_of": ("基準日", "as of"),
    "breached": ("基準未達", "breached"),
    "breaches": ("基準未達", "breaches"),
    "business": ("業務", "business"),
    "carried": ("引継", "carried"),
    "character": ("文字", "character"),
    "columns": ("列", "columns"),
    "delimiter": ("区切り文字", "delimiter"),
    "detail": ("詳細", "detail"),
    "first_line": ("初出行", "first line"),
    "hint": ("修正のヒント", "how to fix"),
    "legacy_value": ("旧値", "legacy value"),
    "line": ("行番号", "line"),
    "mapped_value": ("変換後", "mapped value"),
    "ran": ("実行", "ran"),
    "rules": ("規則", "rules"),
    "codepoint": ("コードポイント", "code point"),
    "complete": ("全検査実行", "complete"),
    "count": ("件数", "count"),
    "encoding": ("文字コード", "encoding"),
    "entity": ("エンティティ", "entity"),
    "error_rows": ("エラー行", "rows with errors"),
    "errors": ("エラー", "errors"),
    "file": ("ファイル", "file"),
    "files": ("ファイル", "files"),
    "fixed": ("解消", "fixed"),
    "item": ("項目", "item"),
    "items": ("項目", "items"),
    "legacy_column": ("旧列", "legacy column"),
    "mapping": ("マッピング", "mapping"),
    "meaning": ("内容", "meaning"),
    "message": ("メッセージ", "message"),
    "new": ("新規", "new"),
    "ok": ("基準達成", "ok"),
    "path": ("パス", "path"),
    "readiness": ("移行可能率", "readiness"),
    "rows": ("行数", "rows"),
    "rule": ("規則", "rule"),
    "run": ("実行", "run"),
    "severity": ("重大度", "severity"),
    "source": ("ソース", "source"),
    "sources": ("ソース", "sources"),
    "spec": ("仕様", "spec"),
    "started": ("開始", "started"),
    "state": ("状態", "state"),
    "status": ("判定", "status"),
    "still": ("継続", "still"),
    "still_failing": ("継続", "still failing"),
    "suite": ("スイート", "suite"),
    "unreadable": ("読めない", "unreadable"),
    "vendor": ("ベンダー", "vendor"),
    "verdict": ("判定", "verdict"),
    "warnings": ("警告", "warnings"),
}


def headings(*keys: str) -> list[str]:
    """The column headings of these keys in the language of the run."""
    return [t(*_HEADINGS[k]) for k in keys]
