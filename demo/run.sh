#!/usr/bin/env bash
# make demo: the main job end to end on the fictional municipality ひかり台市 (団体コード 992011).
# Every command here is one a user runs; outputs go to reports/demo/.
set -uo pipefail
cd "$(dirname "$0")/.."
OUT=reports/demo
AS_OF=2026-11-23
mkdir -p "$OUT"
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; rc=$?; [ $rc -le 1 ] || { echo "demo: '$*' failed with exit code $rc" >&2; exit $rc; }; }

step "1. 標準仕様 (20業務)"
run migrate specs list
run migrate specs export juki --format xlsx -o "$OUT/juki-data-dictionary.xlsx"
# 第6.1版 against our 第4.0版 model: the whole diff goes to a file, its totals are shown
printf '$ %s\n' "migrate specs diff juki@4.0 juki@6.1 > $OUT/juki-4.0-to-6.1.txt"
migrate specs diff juki@4.0 juki@6.1 > "$OUT/juki-4.0-to-6.1.txt" || { echo "demo: specs diff failed" >&2; exit 5; }
tail -n 1 "$OUT/juki-4.0-to-6.1.txt"

step "2. 移行データの検証 (CP932 の旧システム抽出データ)"
python -c "from migrate.samples import write_juki; write_juki('$OUT/juki-jumin.csv', 500)"
run migrate mapping check mappings/juki/midori-jumin-v1.yaml
run migrate validate "$OUT/juki-jumin.csv" --mapping mappings/juki/midori-jumin-v1.yaml \
    --report html --report-path "$OUT/validation.html"
run migrate validate "$OUT/juki-jumin.csv" --mapping mappings/juki/midori-jumin-v1.yaml \
    --format junit -o "$OUT/validation.junit.xml" --report xlsx --report-path "$OUT/validation.xlsx"
# The same legacy extract against 第6.1版 (midori-jumin-v2): 郵便番号 without hyphens and 性別 0/1/2 map
# cleanly, the `zenkaku` transform makes 番地・方書・本籍 full-width (データ型 Ｎ); 届出年月日 is not in the legacy layout: every row reports it missing.
run migrate mapping check mappings/juki/midori-jumin-v2.yaml
run migrate validate "$OUT/juki-jumin.csv" --mapping mappings/juki/midori-jumin-v2.yaml \
    --format json -o "$OUT/validation-6.1.json" --report html --report-path "$OUT/validation-6.1.html"

# The legacy layouts of five more businesses (個人住民税, 固定資産税, 国保, 介護保険, 児童手当): each mapping
# is linted here; the nightly below validates their deliveries, 宛名番号 checked against 住民記録 and 住登外者.
for m in mappings/kojin-juminzei/midori-kazei-v1.yaml mappings/kotei-shisanzei/midori-tochi-v1.yaml \
         mappings/kokuho/midori-kokuho-v1.yaml mappings/kaigo-hoken/midori-kaigo-v1.yaml \
         mappings/jido-teate/midori-jidoteate-v1.yaml; do
    run migrate mapping check "$m"
done

step "3. 夜間一括検証 (2 ベンダー・6 業務 + 住登外者、2 晩: 2 回目は未変更ファイルを省略し、変更分の新規・解消を表示)"
rm -f "$OUT"/history.sqlite*
run python demo/make_deliveries.py --night 1
run migrate nightly checks/midori-nightly.yaml --as-of 2026-11-22 --history "$OUT/history.sqlite" --dashboard "$OUT/nightly"
run python demo/make_deliveries.py --night 2
run migrate nightly checks/midori-nightly.yaml --as-of "$AS_OF" --history "$OUT/history.sqlite" --dashboard "$OUT/nightly"
run migrate history list --history "$OUT/history.sqlite"

step "4. 移行計画の進捗 (期限に対する見通し、夜間検証の結果によるゲート、期限内確率、総務省ダッシュボード指標)"
H=(--history "$OUT/history.sqlite")
run migrate plan status demo/plan.yaml --as-of "$AS_OF" "${H[@]}"
# the nightly suite names its plan (plan: in checks/midori-nightly.yaml): the juki gate reads the run above
run migrate plan status --suite checks/midori-nightly.yaml --as-of "$AS_OF" "${H[@]}"
run migrate plan risk demo/plan.yaml --as-of "$AS_OF" "${H[@]}" --runs 10000 --seed 1
run migrate plan what-if demo/plan.yaml --as-of "$AS_OF" --delay kokuho:s33=+15d
run migrate plan rollup demo/plan.yaml demo/plan-town.yaml --as-of "$AS_OF" "${H[@]}"

step "5. 報告書 (Excel / HTML)"
run migrate plan report demo/plan.yaml --as-of "$AS_OF" "${H[@]}" --format xlsx -o "$OUT/plan-status.xlsx"
run migrate plan report demo/plan.yaml --as-of "$AS_OF" "${H[@]}" --format html -o "$OUT/plan-status.html"

step "出力"
ls -1 "$OUT" | sed "s#^#  $OUT/#"
