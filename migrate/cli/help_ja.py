"""Japanese help texts, keyed by the English text the commands declare (whitespace normalised).

click has no Japanese catalog and its help strings are fixed when a command module is imported, before
the language is known; the help formatter (migrate.cli.lang) looks each text up here at render time.
tests/test_cli_language.py fails when a command or option's help has no entry.
"""

from __future__ import annotations

HELP_JA: dict[str, str] = {
    # migrate
    "migrate — 標準準拠システムへの移行を検証・追跡・報告するツール. Validate legacy extracts against the "
    "standard specifications of the 20 core businesses, track migration milestones toward each deadline, "
    "and report to leadership and vendors.": "migrate — 標準準拠システムへの移行を検証・追跡・報告するツール。\n\n"
    "20 業務の標準仕様に照らして移行データを検証し、期限までの移行マイルストーンを追跡し、"
    "管理職とベンダーに報告します。",
    "Show the version and exit.": "バージョンを表示して終了します。",
    "Show this message and exit.": "このメッセージを表示して終了します。",
    "Message language / 表示言語.": "表示言語 (ja / en)。",
    "Specs folder (default: ./specs).": "標準仕様のフォルダ (既定: ./specs)。",
    "Output format.": "出力形式。",
    "Write to a file (atomic).": "ファイルに書き出します (アトミック)。",
    "Write the output to a file (atomic).": "出力をファイルに書き出します (アトミック)。",
    "Overwrite an existing file.": "既存のファイルを上書きします。",
    # validate
    "Validate legacy extract FILES against a standard spec / 移行データを検証する.": "移行データ FILES を標準仕様に照らして検証します。",
    "BUSINESS[@VERSION][/ENTITY] (default: from the mapping).": "業務[@版][/エンティティ] (既定: マッピングから)。",
    "Mapping file or id under mappings/ (omit for standard headers).": "マッピングのファイルまたは mappings/ 配下の ID (標準の見出しなら省略可)。",
    "Reference extract: BUSINESS/ENTITY=FILE[::MAPPING].": "参照する抽出データ: 業務/エンティティ=ファイル[::マッピング]。",
    "Force an encoding (cp932, utf-8, euc-jp); default: detected.": "文字コードを指定します (cp932, utf-8, euc-jp)。既定: 自動判定。",
    "Field separator (default: detected; tab for .tsv).": "区切り文字 (既定: 自動判定。.tsv はタブ)。",
    "Output format: text summary, versioned JSON, JUnit XML or CSV of the findings (UTF-8 with BOM, for Excel).": "出力形式: text (要約)、json (版付き JSON)、junit (JUnit XML)、csv (指摘の一覧。Excel で開ける BOM 付き UTF-8)。",
    "Also write a report.": "レポートも書き出します。",
    "Where to write --report.": "--report の書き出し先。",
    "Show personal values unmasked (個人番号 is never shown).": "個人情報の値をマスクせずに表示します (個人番号は表示しません)。",
    "Cap the findings listed in json/junit/csv (default: all; 0 = none). The text summary lists 10.": "json/junit/csv に出す指摘の上限 (既定: すべて、0 = なし)。テキストの要約は 10 件です。",
    "Exit 1 when a finding of this severity or worse is found (never: always 0).": "この重大度以上の指摘があれば終了コード 1 (never: 常に 0)。",
    "宛名番号 M11W2-7: check digit when the remainder is 1 (not defined by the standard).": "宛名番号 M11W2～7: 余りが 1 のときの検査数字 (標準では未定義)。",
    "A fictional 地方公共団体コード (demo, training data): no lg-code-unknown for it (repeatable).": "架空の地方公共団体コード (デモ・研修用データ)。lg-code-unknown にしません (複数指定可)。",
    "Read the file in pieces of about this size (K/M/G suffix; 0 = whole file at once). Peak memory follows "
    "the piece size; findings do not.": "ファイルをこの大きさ程度ずつ読みます (K/M/G、0 = 一括)。"
    "最大メモリは読む大きさに比例し、指摘は変わりません。",
    "No progress on stderr.": "標準エラーに進捗を表示しません。",
    # mapping
    "Legacy → standard mappings / 移行マッピング.": "移行マッピング (旧システム → 標準)。",
    "Lint MAPPING against its spec: unknown items, unmapped required items, type and code gaps.": "MAPPING を標準仕様に照らして点検します: 不明な項目、未対応の必須項目、型とコードの不一致。",
    "BUSINESS[@VERSION][/ENTITY] (default: the mapping's own).": "業務[@版][/エンティティ] (既定: マッピング自身のもの)。",
    # nightly
    "Validate every delivered extract of SUITE and record the run / 納品データの夜間一括検証. SUITE is a suite "
    "file or its name under checks/ (default: the only suite there). Files unchanged since the last run are "
    "not validated again (their result is carried forward) unless --force.": "SUITE の納品データをすべて検証し、"
    "実行を記録します (夜間一括検証)。\n\nSUITE はスイートのファイルか checks/ 配下の名前です "
    "(既定: そこにある唯一のスイート)。前回から変わっていないファイルは --force がなければ再検証せず、"
    "前回の結果を引き継ぎます。",
    "Validate every file, even those unchanged since the last run.": "前回から変わっていないファイルも含めてすべて検証します。",
    "Files in parallel.": "並列に検証するファイル数。",
    "History database (default: the suite's `history`, else reports/history.sqlite).": "履歴データベース (既定: スイートの `history`、なければ reports/history.sqlite)。",
    "Only this vendor's sources (what that vendor may see).": "このベンダーのソースだけ (そのベンダーが見てよい範囲)。",
    "Also write JUnit XML here.": "JUnit XML もここに書き出します。",
    "Also write the JSON summary here.": "JSON の要約もここに書き出します。",
    "Also write one JSON and one JUnit file per vendor into this folder (each sees only its own).": "ベンダーごとに JSON と JUnit のファイルをこのフォルダに書き出します (各ベンダーは自分の分だけ)。",
    "Write the HTML/Excel dashboard here.": "HTML/Excel のダッシュボードをここに書き出します。",
    "The night this run stands for (YYYY-MM-DD; default today).": "この実行が表す日 (YYYY-MM-DD、既定: 今日)。",
    "Where files are validated: local (this machine, --jobs processes; default) or dask://HOST:PORT (a Dask "
    "scheduler; needs migrate[cluster]). Overrides the suite's `executor`.": "検証を実行する場所: local "
    "(このマシンで --jobs 個のプロセス、既定) または dask://HOST:PORT (Dask スケジューラ、migrate[cluster] "
    "が必要)。スイートの `executor` より優先します。",
    # history
    "Nightly runs: list, show, compare, trend / 夜間検証の履歴.": "夜間検証の履歴: 一覧、詳細、比較、推移。",
    "What is new, fixed and still failing from RUN_A to RUN_B / 2 つの実行の比較.": "RUN_A から RUN_B への比較: 新規・解消・継続中の指摘。",
    "History database (default: reports/history.sqlite).": "履歴データベース (既定: reports/history.sqlite)。",
    "Read the history path from this suite (file or name under checks/).": "このスイート (ファイルまたは checks/ 配下の名前) から履歴の場所を読みます。",
    "Only this source id (repeatable).": "このソース ID だけ (複数指定可)。",
    "Only this vendor's sources.": "このベンダーのソースだけ。",
    "The recorded runs, newest first / 実行の一覧.": "記録された実行の一覧 (新しい順)。",
    "What a milestone gate reads for each metric KEY (e.g. juki.readiness) / ゲートが読む値.": "マイルストーンのゲートが各指標 KEY (例: juki.readiness) について読む値。",
    "Only runs on or before this night (YYYY-MM-DD).": "この日以前の実行だけ (YYYY-MM-DD)。",
    "One run as the nightly printed it / 実行の詳細.": "1 回の実行の詳細 (夜間検証が表示した内容)。",
    "Readiness and error counts of SOURCE over its runs / ソースの推移.": "SOURCE の移行可能率とエラー件数の推移。",
    # specs
    "Standard specifications of the 20 businesses / 標準仕様.": "20 業務の標準仕様。",
    "List the businesses with ministry, versions, entity and item counts.": "業務の一覧 (所管府省、版、エンティティ数、項目数)。",
    "Show the items of a business (BUSINESS or BUSINESS@VERSION), optionally one ENTITY.": "業務 (BUSINESS または BUSINESS@VERSION) の項目を表示します。ENTITY で 1 つに絞れます。",
    "Compare two specs: OLD and NEW are BUSINESS@VERSION or spec file paths. Lists entities and items added, "
    "removed and changed (attribute old → new) and key changes. Always exits 0: a difference is information, "
    "not a failure.": "2 つの標準仕様を比較します。OLD と NEW は BUSINESS@VERSION か仕様ファイルのパスです。"
    "\n\n追加・削除・変更されたエンティティと項目 (属性の旧 → 新) とキーの変更を示します。"
    "差分は情報であって失敗ではないため、終了コードは常に 0 です。",
    "Export BUSINESS[@VERSION] (or one ENTITY) for other tools and for vendors.": "BUSINESS[@VERSION] (または 1 つの ENTITY) を他のツールやベンダー向けに書き出します。",
    "frictionless: Table Schema (with ENTITY) or Tabular Data Package; gx: Great Expectations suite JSON (one "
    "suite with ENTITY, else a list; needs migrate[gx]); xlsx: Excel data dictionary; pandera: a Python module "
    "with the pandera (polars) schema of migrate's checks.": "frictionless: Table "
    "Schema (ENTITY 指定時) または Tabular Data Package、gx: Great Expectations のスイート JSON (ENTITY "
    "指定時は 1 つ、なければ一覧。migrate[gx] が必要)、xlsx: Excel のデータ辞書、pandera: migrate の検査を"
    "pandera (polars) のスキーマにした Python モジュール。",
    "File to write (default: reports/specs/BUSINESS-VERSION[-ENTITY].*); '-' prints JSON formats.": "書き出すファイル (既定: reports/specs/BUSINESS-VERSION[-ENTITY].*)。'-' で JSON 形式を標準出力に出します。",
    "Read a 基本データリスト-style Excel WORKBOOK into a spec YAML file. Rows that cannot be mapped are reported "
    "with sheet, row and column; exit 3 when nothing is usable.": "基本データリスト形式の Excel WORKBOOK "
    "を標準仕様の YAML に読み込みます。\n\n対応できない行はシート・行・列を示して報告します。"
    "使えるものが何もなければ終了コード 3 です。",
    "Business id (e.g. juki; default: the business whose code starts the データ項目IDs). A 共通機能 outside the "
    "20 businesses (031 住登外者宛名番号管理) needs one of its own, e.g. --business atena.": "業務 ID (例: juki。"
    "既定: データ項目ID の先頭のコードの業務)。20 業務以外の共通機能 (031 住登外者宛名番号管理) には独自の ID "
    "が必要です (例: --business atena)。",
    "Spec version (default: 第N版 in the file name).": "仕様の版 (既定: ファイル名の第N版)。",
    "Column layout YAML (kind: migrate/import-layout); default: the built-in 基本データリスト layout.": "列レイアウトの YAML (kind: migrate/import-layout)。既定: 組み込みの基本データリストのレイアウト。",
    "Sheet to read (repeatable; default: all).": "読むシート (複数指定可、既定: すべて)。",
    "Spec YAML to write (default: reports/specs/BUSINESS/VERSION.yaml; '-' = stdout). The workbook's code "
    "tables go to codes/ beside the BUSINESS folder, where the spec loader reads them.": "書き出す仕様 YAML "
    "(既定: reports/specs/BUSINESS/VERSION.yaml、'-' = 標準出力)。ワークブックのコード表は BUSINESS "
    "フォルダの隣の codes/ に書き出され、仕様の読み込み時に読まれます。",
    "Write a synthetic extract of ENTITY in the standard layout (headers: --header, item ids by default). "
    "Every value follows the spec (type, length, charset, code table, pattern, conditions, keys, rules); names "
    "and addresses are fictional, 個人番号 have valid check digits (see README).": "ENTITY の合成データを"
    "標準レイアウトで書き出します (見出しは --header、既定は項目 ID)。\n\nすべての値は仕様 (型、桁数、"
    "文字種、コード表、パターン、条件、キー、ルール) に従います。氏名と住所は架空で、個人番号は検査数字が"
    "正しい値です (README 参照)。",
    "Data rows.": "データ行の数。",
    "Same seed, same file.": "乱数の種 (同じ種なら同じファイル)。",
    "Share of rows carrying exactly one known defect (e.g. 0.2); writes FILE.truth.json.": "既知の誤りを 1 つだけ含む行の割合 (例: 0.2)。FILE.truth.json を書き出します。",
    "Header row: item ids, データ項目 names or ローマ字 names (all read by validate without a mapping).": "見出し行: 項目 ID、データ項目名、ローマ字名 (どれもマッピングなしで validate が読めます)。",
    "Referenced extract BUSINESS/ENTITY=FILE (repeatable): references are drawn from its values.": "参照先の抽出データ BUSINESS/ENTITY=FILE (複数指定可)。参照する値はここから取ります。",
    # plan
    "Migration plans: milestones, deadlines, critical path / 移行計画. A plan (kind: migrate/plan) lists a "
    "municipality's businesses, each with its vendor, deadline (令和7年度末, or a 特定移行支援システム's later "
    "date and reason) and milestones. Dates are scheduled in working days (weekends, national holidays and "
    "12/29–1/3 are closed).": "移行計画: マイルストーン、期限、クリティカルパス。\n\n計画 (kind: "
    "migrate/plan) は団体の業務ごとに、ベンダー、期限 (令和7年度末、または特定移行支援システムの遅い期限と"
    "その理由) とマイルストーンを並べます。日付は稼働日で計算します (土日・祝日・12/29～1/3 は休み)。",
    "List the baselines saved for PLAN.": "PLAN について保存されたベースラインの一覧。",
    "Save the plan's current dates as baseline NAME (in PLAN's .baselines folder).": "計画の現在の日付をベースライン NAME として保存します (PLAN の .baselines フォルダ)。",
    "Status date (YYYY-MM-DD or 和暦, default: today); actuals after it are ignored.": "基準日 (YYYY-MM-DD または和暦、既定: 今日)。これより後の実績は無視します。",
    "Replace a baseline of the same name.": "同じ名前のベースラインを置き換えます。",
    "Save and list baselines (snapshots to measure slip against).": "ベースライン (遅れを測る基準のスナップショット) の保存と一覧。",
    "Validate a plan: ids, dependencies, cycles, dates, deadlines (exit 3 when invalid).": "計画を検証します: ID、依存関係、循環、日付、期限 (不正なら終了コード 3)。",
    "The critical path of each business (its driving chain) and of the whole plan.": "業務ごとと計画全体のクリティカルパス (期限を決める連鎖)。",
    "Only this business (repeatable).": "この業務だけ (複数指定可)。",
    "Nightly history database: gates read their latest values from it.": "夜間検証の履歴データベース。ゲートは最新の値をここから読みます。",
    "Read a WBS kept in Excel into a plan (columns mapped by a layout file).": "Excel の WBS を計画に読み込みます (列はレイアウトファイルで対応付け)。",
    "Column layout (YAML).": "列レイアウト (YAML)。",
    "団体名.": "団体名。",
    "全国地方公共団体コード.": "全国地方公共団体コード。",
    "When the plan starts (default: the earliest date in the WBS).": "計画の開始日 (既定: WBS で最も早い日付)。",
    "Write a plan from the standard procedure (about 40 steps per business), ready to edit.": "標準手順 (業務ごとに約 40 工程) から編集用の計画を書き出します。",
    "団体名, e.g. ひかり台市.": "団体名 (例: ひかり台市)。",
    "全国地方公共団体コード (6 digits with check digit).": "全国地方公共団体コード (検査数字付き 6 桁)。",
    "A business id (repeatable).": "業務 ID (複数指定可)。",
    "All 20 businesses.": "20 業務すべて。",
    "When the plan starts (default: today).": "計画の開始日 (既定: 今日)。",
    "Deadline of every business (default 2026-03-31, 令和7年度末).": "全業務の期限 (既定: 2026-03-31、令和7年度末)。",
    "Why the deadline is later than the national target.": "期限が国の目標より遅い理由。",
    "A PMO's own step template.": "PMO 独自の工程テンプレート。",
    "Write the milestone report: status per business and a Gantt chart / 進捗報告書を作成する.": "進捗報告書を作成します: 業務ごとの状況とガントチャート。",
    "Report format.": "レポートの形式。",
    "Where to write (default: reports/plan-….<format>).": "書き出し先 (既定: reports/plan-….<形式>)。",
    "Status date (YYYY-MM-DD or 和暦, default: today).": "基準日 (YYYY-MM-DD または和暦、既定: 今日)。",
    "Show slip against a saved baseline.": "保存したベースラインからの遅れを表示します。",
    "Dates in 西暦, 和暦, or 西暦 with the 年度.": "日付の表記: 西暦、和暦、または西暦と年度。",
    "Add P(on time) from N Monte-Carlo runs (default 10,000 when the plan has uncertainty).": "N 回のモンテカルロ試行による期限内確率を加えます (計画に不確実性があれば既定 10,000)。",
    "Deadline risk: P(on time), P50/P80/P95 finish and criticality index per business (Monte-Carlo).": "期限リスク: 業務ごとの期限内確率、P50/P80/P95 の完了日とクリティカリティ指数 (モンテカルロ)。",
    "Monte-Carlo runs (1 to 1,000,000).": "モンテカルロの試行回数 (1～1,000,000)。",
    "Random seed: same seed, same result.": "乱数の種 (同じ種なら同じ結果)。",
    "Calibrate the spread on slip since this baseline (default: the latest saved one).": "このベースライン以降の遅れでばらつきを較正します (既定: 最新の保存分)。",
    "Summarise several plans (a prefecture, a shared-procurement group): who is late, by how much, why.": "複数の計画 (都道府県、共同調達グループ) を集約します: どこが、どれだけ、なぜ遅れているか。",
    "Exit 1 when a business is at or above this status.": "この状況以上の業務があれば終了コード 1。",
    "Add P(on time) from N Monte-Carlo runs per plan (default 10,000 for plans with uncertainty).": "計画ごとに N 回のモンテカルロ試行による期限内確率を加えます (不確実性のある計画は既定 10,000)。",
    "Slip per milestone and business against a baseline, in working days.": "ベースラインに対するマイルストーンと業務ごとの遅れ (稼働日)。",
    "A saved baseline.": "保存したベースライン。",
    "Status per business: projected finish, float, green/amber/red, 完了率, reasons.": "業務ごとの状況: 完了見込み、余裕日数、緑/黄/赤、完了率、理由。",
    "Also list this business's milestones.": "この業務のマイルストーンも表示します。",
    "The effect of delays on every deadline, without changing the plan file.": "遅れが各期限に与える影響 (計画ファイルは変えません)。",
    "Delay a milestone, e.g. juki:s31=+10d (working days; w = 5 days). Repeatable.": "マイルストーンを遅らせます (例: juki:s31=+10d、稼働日、w = 5 日)。複数指定可。",
    "List every business, not only the affected ones.": "影響のある業務だけでなく、すべての業務を表示します。",
    "A nightly suite naming its plan (plan: PATH): read that plan, gates from the suite's history.": "計画を指定した夜間検証スイート (plan: パス)。その計画を読み、ゲートはスイートの履歴から読みます。",
}
