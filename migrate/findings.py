"""The registry of finding codes: stable kebab-case code, default severity, ja/en titles and messages."""

from __future__ import annotations

from dataclasses import dataclass

from migrate.i18n import get_lang


@dataclass(frozen=True)
class FindingType:
    code: str
    severity: str  # default; item checks take the item's severity (エラー / アラート)
    title_ja: str
    title_en: str
    description: str

    def title(self) -> str:
        return self.title_en if get_lang() == "en" else self.title_ja


_T = FindingType
REGISTRY: dict[str, FindingType] = {
    f.code: f
    for f in (
        # file structure
        _T(
            "encoding-invalid-bytes",
            "error",
            "文字コードとして読めないバイト",
            "undecodable bytes",
            "Bytes that are not valid in the file's encoding; shown as U+FFFD, with byte offset.",
        ),
        _T(
            "nul-byte",
            "error",
            "NUL バイト",
            "NUL byte",
            "A NUL character inside a line (removed before parsing).",
        ),
        _T(
            "quote-unbalanced",
            "error",
            "引用符が閉じていない",
            "unclosed quote",
            "A quoted field never closes; the line is re-read without quotes so the rest of the file is validated.",
        ),
        _T(
            "row-field-count",
            "error",
            "列数がヘッダーと異なる",
            "wrong number of fields",
            "The record has more or fewer fields than the header.",
        ),
        _T("blank-line", "warning", "空行", "blank line", "An empty line; it is skipped."),
        _T(
            "header-duplicate",
            "error",
            "ヘッダーの列名が重複",
            "duplicate header",
            "Two columns share a name.",
        ),
        _T("header-missing", "warning", "ヘッダーの列名が空", "empty header", "A column has no name."),
        _T(
            "header-looks-like-data",
            "error",
            "ヘッダー行がない (1 行目がデータ)",
            "header missing (the first line is data)",
            "The first line holds values no header has (4+ digits, a 個人番号, a date, control characters, "
            "mostly numbers): it is read as a record, columns are numbered, its values are never shown.",
        ),
        _T(
            "line-end-cr-only",
            "warning",
            "改行が CR のみ",
            "CR-only line ends",
            "The file ends its lines with CR alone (old Mac style); each CR is read as a line end.",
        ),
        _T(
            "no-data-rows",
            "warning",
            "データ行がない",
            "no data rows",
            "The file has a header but no data rows: nothing was checked, readiness is not measurable.",
        ),
        _T(
            "column-missing",
            "error",
            "マッピングの列がファイルにない",
            "mapped column absent",
            "A column the mapping reads is not in the file; that item's checks are not run.",
        ),
        _T(
            "column-unmapped",
            "warning",
            "マッピングされていない列",
            "unmapped column",
            "A column of the file is neither mapped nor listed under ignore: its data would be lost.",
        ),
        _T(
            "file-unreadable",
            "error",
            "ファイルを検証できない",
            "file could not be validated",
            "Nightly: the delivery could not be read or validated at all; the message is kept, the run goes on.",
        ),
        _T(
            "file-changed",
            "error",
            "検証中にファイルが変わった",
            "file changed during the run",
            "Nightly: the delivery's bytes or identity (inode, size, mtime) changed between being found and "
            "being validated (a re-delivery mid-run); no result is kept and it is validated again next run.",
        ),
        _T(
            "file-timeout",
            "error",
            "制限時間内に検証が終わらない",
            "validation over the time limit",
            "Nightly: validating the delivery took longer than the suite's file_timeout (checked at every piece "
            "read); it is stopped, no result is kept, the night goes on and it is validated again next run.",
        ),
        _T(
            "worker-lost",
            "error",
            "検証中のワーカーが失われた",
            "worker lost",
            "Nightly: the process validating the delivery died (killed, out of memory, host down), and again on "
            "the one retry elsewhere; it is recorded, never dropped, and validated again next run.",
        ),
        _T(
            "file-not-regular",
            "error",
            "通常のファイルではない",
            "not a regular file",
            "Nightly: a glob matched a FIFO, device, socket or folder; it is never opened.",
        ),
        _T(
            "file-outside-root",
            "error",
            "スイートの root の外を指すリンク",
            "link to outside the suite's root",
            "Nightly: a symbolic link under the root points outside it; it is never followed or read.",
        ),
        _T(
            "symlink-loop",
            "error",
            "シンボリックリンクのループ",
            "symbolic link loop",
            "Nightly: a link that never resolves, or a folder link back to a folder above it; it is skipped.",
        ),
        # mapping
        _T(
            "code-unmapped",
            "error",
            "コード変換表にない旧コード",
            "legacy code not in translation table",
            "The legacy value has no entry in the mapping's code translation table.",
        ),
        _T(
            "wareki-date-invalid",
            "error",
            "存在しない和暦日付",
            "date that never existed",
            "A 和暦 date outside its era or not on the calendar (H31.05.01, S64.01.08, 2/30).",
        ),
        # item checks
        _T(
            "required-missing",
            "error",
            "必須項目が空",
            "required item missing",
            "A required (必須) item is empty.",
        ),
        _T(
            "conditional-required-missing",
            "error",
            "条件付き必須項目が空",
            "conditionally required item missing",
            "An item required under a condition (条件付き) is empty while the condition holds.",
        ),
        _T("type-integer", "error", "整数ではない", "not an integer", "The value is not a whole number."),
        _T(
            "type-decimal",
            "error",
            "数値ではない",
            "not a number",
            "The value is not a decimal number of the declared scale.",
        ),
        _T(
            "flag-invalid",
            "error",
            "フラグが 0/1 ではない",
            "flag is not 0/1",
            "A flag item holds something else than 0 or 1.",
        ),
        _T(
            "date-invalid",
            "error",
            "日付として正しくない",
            "invalid date",
            "Not a YYYY-MM-DD calendar date (or, for lenient items, not a plausible date or 不詳 form).",
        ),
        _T("datetime-invalid", "error", "日時として正しくない", "invalid date-time", "Not an ISO date-time."),
        _T(
            "time-invalid",
            "error",
            "時刻として正しくない",
            "invalid time",
            "Not a TIME of the 基本データリスト: HH:MM:SS in 24 hours (seconds may be omitted).",
        ),
        _T(
            "year-invalid",
            "error",
            "年として正しくない",
            "invalid year",
            "Not a YEAR of the 基本データリスト: four digits YYYY (0000 / 9999 mean unknown / open-ended).",
        ),
        _T(
            "charset-hankaku",
            "error",
            "半角文字列ではない",
            "not half-width",
            "A データ型 X item holds a character that is not half-width (printable ASCII or 半角カナ).",
        ),
        _T(
            "charset-zenkaku",
            "error",
            "全角文字列ではない",
            "not full-width",
            "A データ型 Ｎ item holds a half-width character (ASCII letter, digit, space or 半角カナ).",
        ),
        _T(
            "length-exceeded",
            "error",
            "桁数超過 (文字)",
            "too many characters",
            "More characters than the item's 桁数.",
        ),
        _T(
            "length-short",
            "error",
            "桁数不足",
            "too few characters",
            "Fewer characters than the item's minimum length.",
        ),
        _T(
            "byte-length-exceeded",
            "error",
            "桁数超過 (CP932 バイト)",
            "too many CP932 bytes",
            "Longer than the item's 桁数 counted in CP932 bytes (a kanji is 2 bytes).",
        ),
        _T(
            "code-invalid",
            "error",
            "コード表にない値",
            "value not in code table",
            "The value is not in the item's code table.",
        ),
        _T(
            "pattern-mismatch",
            "error",
            "形式が正しくない",
            "pattern mismatch",
            "The value does not match the item's pattern.",
        ),
        _T("out-of-range", "error", "範囲外の値", "out of range", "The number is outside the item's range."),
        _T(
            "charset-zenkaku-kana",
            "error",
            "全角カタカナ以外の文字",
            "not full-width katakana",
            "A カナ item holds characters other than full-width katakana (e.g. half-width ｶﾅ).",
        ),
        _T(
            "charset-hankaku-digits",
            "error",
            "半角数字以外の文字",
            "not half-width digits",
            "Only 0-9 are allowed.",
        ),
        _T(
            "charset-hankaku-alnum",
            "error",
            "半角英数字以外の文字",
            "not half-width alphanumerics",
            "Only ASCII is allowed.",
        ),
        _T(
            "charset-outside-jis",
            "error",
            "JIS X 0213 外の文字",
            "character outside JIS X 0213",
            "A jisx0213 item holds a character (or sequence) outside JIS X 0213:2004, planes 1 and 2 "
            "including the non-BMP ones (𠮟); the detail names each one (`U+9AD9 髙`).",
        ),
        _T(
            "charset-outside-mj",
            "warning",
            "行政事務標準文字 (MJ) 外の文字",
            "character outside 行政事務標準文字 (MJ)",
            "A 行政事務標準文字 or Ｎ item holds a character outside the MJ文字情報一覧表 ∪ JIS X 0213, or an "
            "IVS sequence the MJ table does not list; the detail names each one (`U+4EEC 们`). The MJ+ "
            "additions (about 9,400 GJ characters) are not in the published table: this may be a false "
            "alarm for an MJ+ character, hence a warning.",
        ),
        _T(
            "gaiji-private-use",
            "error",
            "外字 (私用領域の文字)",
            "外字 (private-use character)",
            "A private-use character (BMP U+E000–F8FF or planes 15/16, the municipality's own 外字): it "
            "needs 文字同定, never deletion.",
        ),
        _T(
            "check-digit-invalid",
            "error",
            "チェックデジット不一致",
            "check digit mismatch",
            "個人番号 / 法人番号 / 団体コード / 宛名番号 check digit is wrong.",
        ),
        _T(
            "lg-code-unknown",
            "warning",
            "公表一覧にない地方公共団体コード",
            "local government code not in the official list",
            "A 全国地方公共団体コード with a valid check digit that is not in the shipped list of prefectures "
            "and municipalities (migrate/data/lg-codes.csv). Codes change with mergers: an old code of a "
            "merged municipality, or a new one, is reported here. Fictional codes (demos, test data) are "
            "declared with `fictional_lg_codes` in the mapping or suite, or `--fictional-lg-code`.",
        ),
        # entity and cross-file
        _T(
            "key-duplicate",
            "error",
            "主キーの重複",
            "duplicate primary key",
            "The primary key value occurs more than once.",
        ),
        _T(
            "unique-duplicate",
            "error",
            "一意であるべき値の重複",
            "duplicate unique value",
            "A combination declared unique occurs more than once.",
        ),
        _T(
            "rule-violated",
            "error",
            "項目間ルール違反",
            "cross-field rule violated",
            "A rule between two items does not hold.",
        ),
        _T(
            "reference-missing",
            "error",
            "参照先に存在しない値",
            "reference not found",
            "The value does not exist in the referenced extract (e.g. 宛名番号 absent from 住民記録).",
        ),
    )
}
