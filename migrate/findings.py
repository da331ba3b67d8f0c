"""The registry of finding codes: stable kebab-case code, default severity, ja/en titles, messages and
a fix hint (what the person who receives the finding does about it: re-export, correct the value in the
legacy system, or add a transform to the mapping)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from migrate.i18n import get_lang, t

# Severity words of every rendering; a Japanese table never shows the English word (tests/test_fix_hints.py).
SEVERITIES = ("error", "warning", "info")
_SEVERITY_WORDS = {"error": ("エラー", "error"), "warning": ("警告", "warning"), "info": ("情報", "info")}


def severity_label(severity: str | None) -> str:
    """The severity as a person reads it in the current language (エラー / 警告 / 情報)."""
    words = _SEVERITY_WORDS.get(str(severity or ""))
    return t(*words) if words else str(severity or "-")


def severity_rank(severity: str | None) -> int:
    """0 for errors, 1 for warnings, 2 for information: the order findings are shown in."""
    return SEVERITIES.index(severity) if severity in SEVERITIES else len(SEVERITIES)


@dataclass(frozen=True)
class FindingType:
    code: str
    severity: str  # default; item checks take the item's severity (エラー / アラート)
    title_ja: str
    title_en: str
    description: str
    # keyword-only and without default: a code added without its hint fails at import
    hint_ja: str = field(kw_only=True)
    hint_en: str = field(kw_only=True)

    def title(self) -> str:
        return self.title_en if get_lang() == "en" else self.title_ja

    def hint(self) -> str:
        return self.hint_en if get_lang() == "en" else self.hint_ja


def title_of(code: str) -> str:
    """The code's title in the current language (the code itself for a code not in the registry)."""
    ft = REGISTRY.get(code)
    return ft.title() if ft else code


def hint_of(code: str) -> str | None:
    """What to do about a finding of this code, in the current language (None: not a finding code)."""
    ft = REGISTRY.get(code)
    return ft.hint() if ft else None


def with_hints(data: Any) -> Any:
    """JSON-like data with a `hint` beside every finding code (a finding, a count per code, a check):
    each dict holding a registered `code` and a `severity` or `count`. Added only, never replacing a
    key: the JSON envelope stays backwards compatible. Changes data in place and returns it."""
    todo = [data]
    while todo:
        obj = todo.pop()
        if isinstance(obj, dict):
            code = obj.get("code")
            if isinstance(code, str) and code in REGISTRY and ("severity" in obj or "count" in obj):
                obj.setdefault("hint", REGISTRY[code].hint())
            todo.extend(obj.values())
        elif isinstance(obj, list | tuple):
            todo.extend(obj)
    return data


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
            hint_ja="detail.offset のバイトを確認し、元のシステムから CP932 (Shift_JIS) で抽出し直してください。文字コードの判定違いなら --encoding cp932 を指定してください",
            hint_en="Look at the byte at detail.offset; re-export the file from the source system as CP932 (Shift_JIS), or pass --encoding cp932 if the detection chose wrongly",
        ),
        _T(
            "nul-byte",
            "error",
            "NUL バイト",
            "NUL byte",
            "A NUL character inside a line (removed before parsing).",
            hint_ja="NUL (0x00) を含まないよう抽出し直してください (固定長の埋め文字が NUL になっていないか抽出設定を確認)",
            hint_en="Re-export without NUL (0x00) bytes; check whether the export pads fixed-width fields with NUL",
        ),
        _T(
            "quote-unbalanced",
            "error",
            "引用符が閉じていない",
            "unclosed quote",
            "A quoted field never closes; the line is re-read without quotes so the rest of the file is validated.",
            hint_ja='その行の引用符 (") を確認してください。値の中の " は "" と二重にして抽出し直してください',
            hint_en='Check the quotes on that line: a " inside a value must be doubled (""); re-export with proper CSV quoting',
        ),
        _T(
            "row-field-count",
            "error",
            "列数がヘッダーと異なる",
            "wrong number of fields",
            "The record has more or fewer fields than the header.",
            hint_ja="その行の区切り文字と引用符を確認し、値の中のカンマや改行は引用符で囲んで抽出し直してください",
            hint_en="Check that line's separators and quotes: a comma or line break inside a value must be quoted; re-export",
        ),
        _T(
            "blank-line",
            "warning",
            "空行",
            "blank line",
            "An empty line; it is skipped.",
            hint_ja="対処は不要です (読み飛ばします)。気になる場合は空行を出さないよう抽出設定を直してください",
            hint_en="Nothing to do (the line is skipped); change the export settings if you want no blank lines",
        ),
        _T(
            "header-duplicate",
            "error",
            "ヘッダーの列名が重複",
            "duplicate header",
            "Two columns share a name.",
            hint_ja="列名が重ならないよう抽出設定を直し、マッピングの from が意図した列を読むようにしてください",
            hint_en="Give each column a unique name in the export, so that the mapping's from reads the intended one",
        ),
        _T(
            "header-missing",
            "warning",
            "ヘッダーの列名が空",
            "empty header",
            "A column has no name.",
            hint_ja="抽出設定でその列に列名を付けてください (マッピングは列名で列を読みます)",
            hint_en="Name the column in the export settings (the mapping reads columns by name)",
        ),
        _T(
            "header-looks-like-data",
            "error",
            "ヘッダー行がない (1 行目がデータ)",
            "header missing (the first line is data)",
            "The first line holds values no header has (4+ digits, a 個人番号, a date, control characters, "
            "mostly numbers): it is read as a record, columns are numbered, its values are never shown.",
            hint_ja="1 行目に列名の行を付けて抽出し直してください (列名はマッピングの旧列名に合わせます)",
            hint_en="Re-export with a header row of column names, as the mapping's legacy columns name them",
        ),
        _T(
            "line-end-cr-only",
            "warning",
            "改行が CR のみ",
            "CR-only line ends",
            "The file ends its lines with CR alone (old Mac style); each CR is read as a line end.",
            hint_ja="改行コードを CRLF (または LF) にして抽出し直してください",
            hint_en="Re-export with CRLF (or LF) line ends",
        ),
        _T(
            "no-data-rows",
            "warning",
            "データ行がない",
            "no data rows",
            "The file has a header but no data rows: nothing was checked, readiness is not measurable.",
            hint_ja="抽出条件を確認し、データ行を含めて抽出し直してください",
            hint_en="Check the export's selection criteria and re-export with the data rows",
        ),
        _T(
            "column-missing",
            "error",
            "マッピングの列がファイルにない",
            "mapped column absent",
            "A column the mapping reads is not in the file; that item's checks are not run.",
            hint_ja="列名 (全角・半角、空白) をマッピングの from と見比べ、その列を含めて抽出し直すかマッピングを直してください",
            hint_en="Compare the column name (full/half width, spaces) with the mapping's from; re-export with the column or fix the mapping",
        ),
        _T(
            "column-unmapped",
            "warning",
            "マッピングされていない列",
            "unmapped column",
            "A column of the file is neither mapped nor listed under ignore: its data would be lost.",
            hint_ja="その列をマッピングの items の from に対応付けるか、不要なら ignore に加えてください",
            hint_en="Map the column to an item (from) in the mapping, or list it under ignore if it is deliberately dropped",
        ),
        _T(
            "file-unreadable",
            "error",
            "ファイルを検証できない",
            "file could not be validated",
            "Nightly: the delivery could not be read or validated at all; the message is kept, the run goes on.",
            hint_ja="メッセージの原因 (権限、文字コード、壊れたファイル) を直し、migrate validate で個別に確認してください",
            hint_en="Fix the cause the message names (permissions, encoding, a damaged file), then check the file with migrate validate",
        ),
        _T(
            "file-changed",
            "error",
            "検証中にファイルが変わった",
            "file changed during the run",
            "Nightly: the delivery's bytes or identity (inode, size, mtime) changed between being found and "
            "being validated (a re-delivery mid-run); no result is kept and it is validated again next run.",
            hint_ja="納品 (書き込み) が終わってから実行してください。次回の実行で自動的に再検証されます",
            hint_en="Run after the delivery has finished writing; the file is validated again on the next run",
        ),
        _T(
            "file-timeout",
            "error",
            "制限時間内に検証が終わらない",
            "validation over the time limit",
            "Nightly: validating the delivery took longer than the suite's file_timeout (checked at every piece "
            "read); it is stopped, no result is kept, the night goes on and it is validated again next run.",
            hint_ja="スイートの file_timeout を延ばすか、ファイルを分割して納品してもらってください",
            hint_en="Raise the suite's file_timeout, or have the delivery split into smaller files",
        ),
        _T(
            "worker-lost",
            "error",
            "検証中のワーカーが失われた",
            "worker lost",
            "Nightly: the process validating the delivery died (killed, out of memory, host down), and again on "
            "the one retry elsewhere; it is recorded, never dropped, and validated again next run.",
            hint_ja="ワーカーのログとメモリ不足 (OOM) を確認し、--jobs を減らして再実行してください",
            hint_en="Check the worker's logs and memory (out of memory?), then run again with fewer --jobs",
        ),
        _T(
            "file-not-regular",
            "error",
            "通常のファイルではない",
            "not a regular file",
            "Nightly: a glob matched a FIFO, device, socket or folder; it is never opened.",
            hint_ja="スイートの glob が通常のファイルだけに一致するよう直すか、そのパスを納品フォルダから取り除いてください",
            hint_en="Narrow the suite's glob to regular files, or remove that path from the delivery folder",
        ),
        _T(
            "file-outside-root",
            "error",
            "スイートの root の外を指すリンク",
            "link to outside the suite's root",
            "Nightly: a symbolic link under the root points outside it; it is never followed or read.",
            hint_ja="リンクではなくファイルそのものをスイートの root の下に置いてください",
            hint_en="Put the file itself under the suite's root instead of a link to it",
        ),
        _T(
            "symlink-loop",
            "error",
            "シンボリックリンクのループ",
            "symbolic link loop",
            "Nightly: a link that never resolves, or a folder link back to a folder above it; it is skipped.",
            hint_ja="壊れたリンクまたはループしているリンクを納品フォルダから削除してください",
            hint_en="Remove the broken or looping link from the delivery folder",
        ),
        # mapping
        _T(
            "code-unmapped",
            "error",
            "コード変換表にない旧コード",
            "legacy code not in translation table",
            "The legacy value has no entry in the mapping's code translation table.",
            hint_ja="マッピングの codes にこの旧コードと変換先の標準コードを追加するか、旧システムで値を訂正してください",
            hint_en="Add this legacy code and its standard code to the mapping's codes, or correct the value in the legacy system",
        ),
        _T(
            "wareki-date-invalid",
            "error",
            "存在しない和暦日付",
            "date that never existed",
            "A 和暦 date outside its era or not on the calendar (H31.05.01, S64.01.08, 2/30).",
            hint_ja="元号と年の組み合わせを確認し (例: 平成31年5月1日は令和元年5月1日)、旧システムで日付を訂正してください",
            hint_en="Check the era and year (e.g. H31.05.01 is R01.05.01) and correct the date in the legacy system",
        ),
        # item checks
        _T(
            "required-missing",
            "error",
            "必須項目が空",
            "required item missing",
            "A required (必須) item is empty.",
            hint_ja="旧システムで値を入力するか、マッピングの from が正しい列を指しているか確認してください",
            hint_en="Fill in the value in the legacy system, or check that the mapping's from names the right column",
        ),
        _T(
            "conditional-required-missing",
            "error",
            "条件付き必須項目が空",
            "conditionally required item missing",
            "An item required under a condition (条件付き) is empty while the condition holds.",
            hint_ja="detail.condition の条件を確認し、条件に当たる行は旧システムで値を入力してください",
            hint_en="Read the condition (detail.condition); where it holds, fill in the value in the legacy system",
        ),
        _T(
            "type-integer",
            "error",
            "整数ではない",
            "not an integer",
            "The value is not a whole number.",
            hint_ja="数字以外の文字 (全角数字、カンマ、空白) を除くか、マッピングに hankaku-digits / trim を加えてください",
            hint_en="Remove what is not a digit (full-width digits, commas, spaces), or add hankaku-digits / trim to the mapping",
        ),
        _T(
            "type-decimal",
            "error",
            "数値ではない",
            "not a number",
            "The value is not a decimal number of the declared scale.",
            hint_ja="数値の形式 (小数点以下の桁数、全角数字、カンマ) を確認し、旧システムで訂正するかマッピングで変換してください",
            hint_en="Check the number's format (decimal places, full-width digits, commas); correct it, or convert it in the mapping",
        ),
        _T(
            "flag-invalid",
            "error",
            "フラグが 0/1 ではない",
            "flag is not 0/1",
            "A flag item holds something else than 0 or 1.",
            hint_ja="旧システムの値をマッピングの codes で 0 / 1 に変換してください",
            hint_en="Translate the legacy values to 0 / 1 with codes in the mapping",
        ),
        _T(
            "date-invalid",
            "error",
            "日付として正しくない",
            "invalid date",
            "Not a YYYY-MM-DD calendar date (or, for lenient items, not a plausible date or 不詳 form).",
            hint_ja="実在する YYYY-MM-DD の日付に訂正するか、和暦ならマッピングに wareki を加えてください",
            hint_en="Correct it to a real YYYY-MM-DD date, or add the wareki transform to the mapping for 和暦 dates",
        ),
        _T(
            "datetime-invalid",
            "error",
            "日時として正しくない",
            "invalid date-time",
            "Not an ISO date-time.",
            hint_ja="YYYY-MM-DDTHH:MM:SS の形式で抽出し直すか、旧システムで値を訂正してください",
            hint_en="Re-export as YYYY-MM-DDTHH:MM:SS, or correct the value in the legacy system",
        ),
        _T(
            "time-invalid",
            "error",
            "時刻として正しくない",
            "invalid time",
            "Not a TIME of the 基本データリスト: HH:MM:SS in 24 hours (seconds may be omitted).",
            hint_ja="24 時間制の HH:MM:SS (秒は省略可) に訂正してください",
            hint_en="Correct it to HH:MM:SS in 24 hours (seconds may be omitted)",
        ),
        _T(
            "year-invalid",
            "error",
            "年として正しくない",
            "invalid year",
            "Not a YEAR of the 基本データリスト: four digits YYYY (0000 / 9999 mean unknown / open-ended).",
            hint_ja="西暦 4 桁 (YYYY) に訂正してください。和暦の年なら旧システムで西暦に直して抽出してください",
            hint_en="Correct it to a 4-digit year (YYYY); have 和暦 years exported as 西暦",
        ),
        _T(
            "charset-hankaku",
            "error",
            "半角文字列ではない",
            "not half-width",
            "A データ型 X item holds a character that is not half-width (printable ASCII or 半角カナ).",
            hint_ja="全角文字を半角に直すか、マッピングに hankaku-alnum / nfkc を加えてください",
            hint_en="Convert full-width characters to half-width, or add hankaku-alnum / nfkc to the mapping",
        ),
        _T(
            "charset-zenkaku",
            "error",
            "全角文字列ではない",
            "not full-width",
            "A データ型 Ｎ item holds a half-width character (ASCII letter, digit, space or 半角カナ).",
            hint_ja="半角文字を全角に直すか、マッピングに zenkaku を加えてください",
            hint_en="Convert half-width characters to full-width, or add zenkaku to the mapping",
        ),
        _T(
            "length-exceeded",
            "error",
            "桁数超過 (文字)",
            "too many characters",
            "More characters than the item's 桁数.",
            hint_ja="旧システムで値を桁数以内に訂正してください (切り捨てると情報が失われるため自動では切りません)",
            hint_en="Shorten the value to the item's 桁数 in the legacy system (it is not cut automatically: a cut loses information)",
        ),
        _T(
            "length-short",
            "error",
            "桁数不足",
            "too few characters",
            "Fewer characters than the item's minimum length.",
            hint_ja="欠けている桁を確認してください。先頭の 0 が落ちたコードならマッピングに {zero-pad: N} を加えてください",
            hint_en="Check the missing digits; for a code that lost its leading zeros, add {zero-pad: N} to the mapping",
        ),
        _T(
            "byte-length-exceeded",
            "error",
            "桁数超過 (CP932 バイト)",
            "too many CP932 bytes",
            "Longer than the item's 桁数 counted in CP932 bytes (a kanji is 2 bytes).",
            hint_ja="CP932 のバイト数 (漢字は 2 バイト) で桁数以内に収まるよう旧システムで訂正してください",
            hint_en="Shorten the value in the legacy system so its CP932 bytes (2 per kanji) fit the item's 桁数",
        ),
        _T(
            "code-invalid",
            "error",
            "コード表にない値",
            "value not in code table",
            "The value is not in the item's code table.",
            hint_ja="detail のコード表を確認し、旧コードならマッピングの codes で標準コードに変換してください",
            hint_en="Check the code table named in detail; translate legacy codes to standard ones with codes in the mapping",
        ),
        _T(
            "pattern-mismatch",
            "error",
            "形式が正しくない",
            "pattern mismatch",
            "The value does not match the item's pattern.",
            hint_ja="detail.pattern と値を見比べ、旧システムで訂正するかマッピングで変換 (remove-hyphens など) してください",
            hint_en="Compare the value with detail.pattern; correct it, or convert it in the mapping (e.g. remove-hyphens)",
        ),
        _T(
            "out-of-range",
            "error",
            "範囲外の値",
            "out of range",
            "The number is outside the item's range.",
            hint_ja="detail の範囲を確認し、旧システムで値を訂正してください",
            hint_en="Check the range in detail and correct the value in the legacy system",
        ),
        _T(
            "charset-zenkaku-kana",
            "error",
            "全角カタカナ以外の文字",
            "not full-width katakana",
            "A カナ item holds characters other than full-width katakana (e.g. half-width ｶﾅ).",
            hint_ja="半角カナやひらがなを全角カタカナに直すか、マッピングに zenkaku-kana / katakana を加えてください",
            hint_en="Convert half-width kana or hiragana to full-width katakana, or add zenkaku-kana / katakana to the mapping",
        ),
        _T(
            "charset-hankaku-digits",
            "error",
            "半角数字以外の文字",
            "not half-width digits",
            "Only 0-9 are allowed.",
            hint_ja="数字以外 (ハイフン、空白、全角数字) を除くか、マッピングに hankaku-digits / remove-hyphens を加えてください",
            hint_en="Remove what is not a digit (hyphens, spaces, full-width digits), or add hankaku-digits / remove-hyphens to the mapping",
        ),
        _T(
            "charset-hankaku-alnum",
            "error",
            "半角英数字以外の文字",
            "not half-width alphanumerics",
            "Only ASCII is allowed.",
            hint_ja="全角英数字を半角に直すか、マッピングに hankaku-alnum を加えてください",
            hint_en="Convert full-width alphanumerics to half-width, or add hankaku-alnum to the mapping",
        ),
        _T(
            "charset-outside-jis",
            "error",
            "JIS X 0213 外の文字",
            "character outside JIS X 0213",
            "A jisx0213 item holds a character (or sequence) outside JIS X 0213:2004, planes 1 and 2 "
            "including the non-BMP ones (𠮟); the detail names each one (`「髙」(U+9AD9)`).",
            hint_ja="detail.chars の文字を文字同定し、JIS X 0213 の文字に置き換えて抽出し直してください",
            hint_en="Identify each character of detail.chars (文字同定) and re-export it as its JIS X 0213 equivalent",
        ),
        _T(
            "charset-outside-mj",
            "warning",
            "行政事務標準文字 (MJ) 外の文字",
            "character outside 行政事務標準文字 (MJ)",
            "A 行政事務標準文字 or Ｎ item holds a character outside the MJ文字情報一覧表 ∪ JIS X 0213, or an "
            "IVS sequence the MJ table does not list; the detail names each one (`「们」(U+4EEC)`). The MJ+ "
            "additions (about 9,400 GJ characters) are not in the published table: this may be a false "
            "alarm for an MJ+ character, hence a warning.",
            hint_ja="detail.chars の文字を MJ文字情報一覧表で確認し、MJ+ の文字でなければ文字同定してください",
            hint_en="Look up each character of detail.chars in the MJ table; unless it is an MJ+ character, identify it (文字同定)",
        ),
        _T(
            "gaiji-private-use",
            "error",
            "外字 (私用領域の文字)",
            "外字 (private-use character)",
            "A private-use character (BMP U+E000–F8FF or planes 15/16, the municipality's own 外字): it "
            "needs 文字同定, never deletion.",
            hint_ja="外字の対応表 (外字 → MJ 文字) で文字同定し、同定した文字で抽出し直してください。削除はしないでください",
            hint_en="Identify the 外字 with your 外字 table (外字 → MJ character) and re-export with that character; never delete it",
        ),
        _T(
            "check-digit-invalid",
            "error",
            "チェックデジット不一致",
            "check digit mismatch",
            "個人番号 / 法人番号 / 団体コード / 宛名番号 check digit is wrong.",
            hint_ja="住民記録システムなど元のシステムで番号を確認し、入力誤りを訂正してください",
            hint_en="Look the number up in the source system (住民記録 or the like) and correct the typing error",
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
            hint_ja="総務省の最新の全国地方公共団体コードで確認し、合併前の旧コードなら新コードに訂正してください。架空の団体なら fictional_lg_codes に宣言してください",
            hint_en="Check it against 総務省's current list: replace a pre-merger code with the new one, or declare a fictional code with fictional_lg_codes",
        ),
        # entity and cross-file
        _T(
            "key-duplicate",
            "error",
            "主キーの重複",
            "duplicate primary key",
            "The primary key value occurs more than once.",
            hint_ja="同じ主キーの行を旧システムで確認し、重複した行を除くか主キーを訂正してください",
            hint_en="Find the rows sharing the key in the legacy system; remove the duplicate row or correct the key",
        ),
        _T(
            "unique-duplicate",
            "error",
            "一意であるべき値の重複",
            "duplicate unique value",
            "A combination declared unique occurs more than once.",
            hint_ja="同じ値の組み合わせを持つ行を旧システムで確認し、誤っている方を訂正してください",
            hint_en="Find the rows sharing the combination in the legacy system and correct the wrong one",
        ),
        _T(
            "rule-violated",
            "error",
            "項目間ルール違反",
            "cross-field rule violated",
            "A rule between two items does not hold.",
            hint_ja="detail のルールに関わる両方の項目 (例: 生年月日 ≤ 住民となった年月日) を確認し、誤っている方を訂正してください",
            hint_en="Check both items of the rule in detail (e.g. birth date ≤ date of becoming a resident) and correct the wrong one",
        ),
        _T(
            "reference-missing",
            "error",
            "参照先に存在しない値",
            "reference not found",
            "The value does not exist in the referenced extract (e.g. 宛名番号 absent from 住民記録).",
            hint_ja="参照先の抽出データ (--ref) が同じ時点のものか確認し、参照先に登録するか値を訂正してください",
            hint_en="Check that the referenced extract (--ref) is from the same date; register the value there or correct it here",
        ),
    )
}
