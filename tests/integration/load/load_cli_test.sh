#!/usr/bin/env bash
# cxharness load from the command line: exit codes and reports.
set -u
bin=$1
root=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0
expect() {  # CODE DESCRIPTION COMMAND...
  local want=$1 what=$2
  shift 2
  "$@" >"$work/out" 2>&1
  local got=$?
  if [ "$got" -ne "$want" ]; then
    echo "FAIL: $what: exit $got, expected $want"; cat "$work/out"; fail=1
  else
    echo "ok: $what (exit $got)"
  fi
}
cat >"$work/pass.yaml" <<'Y'
executor: constant-arrival-rate
rate: 50
duration: 2s
auth: {basic: {username: agent1, password: agent1-password}}
mix:
  - request: GET /api/v2/me
thresholds: ["p(99)<5s", "error_rate<1%", "achieved_rate>0.9*planned"]
Y
sed 's/p(99)<5s/p(99)<1us/' "$work/pass.yaml" >"$work/fail.yaml"
cat >"$work/behind.yaml" <<'Y'
executor: constant-arrival-rate
rate: 100000
duration: 1s
connections: 1
auth: {basic: {username: agent1, password: agent1-password}}
mix:
  - request: GET /api/v2/me
Y
printf 'executor: constant-arrival-rate\nrate: 10\nduration: 10x\nmix:\n  - request: GET /x\n' >"$work/bad.yaml"

expect 0 "thresholds pass" "$bin" load "$work/pass.yaml" --report "json:$work/s.json" --report "html:$work/r.html" --report "hgrm:$work/hgrm" --report "hlog:$work/r.hlog"
expect 99 "a failing threshold" "$bin" load "$work/fail.yaml"
expect 4 "the generator falls behind" "$bin" load "$work/behind.yaml"
grep -q "run INVALID" "$work/out" || { echo "FAIL: no INVALID line"; fail=1; }
expect 2 "a bad duration" "$bin" load "$work/bad.yaml"
grep -q "bad.yaml:3:11: bad duration '10x'" "$work/out" || { echo "FAIL: diagnostic"; cat "$work/out"; fail=1; }
expect 2 "a bad --report" "$bin" load "$work/pass.yaml" --report pdf:x
for p in "$root"/scenarios/load/*.yaml; do
  CXH_API_KEY=x expect 0 "--check $(basename "$p")" "$bin" load --check "$p"
done
# The JSON summary validates against its schema; the HTML has no external resource.
expect 0 "summary against its schema" "$bin" validate --schema "$root/schemas/report/load-summary.schema.json" "$work/s.json"
if grep -Eq "(src|href)=|url\(|@import" "$work/r.html"; then echo "FAIL: external resource in HTML"; fail=1; fi
grep -q "<svg" "$work/r.html" || { echo "FAIL: no SVG chart"; fail=1; }
[ -s "$work/hgrm/GET__api_v2_me.hgrm" ] || { echo "FAIL: no .hgrm"; ls "$work/hgrm"; fail=1; }
grep -q "^Tag=GET__api_v2_me," "$work/r.hlog" || { echo "FAIL: no tagged hlog interval"; fail=1; }
# The .hlog decodes with hdr-histogram-js to the same number of samples as the summary counts.
mods=$root/.tools/node_modules
if command -v node >/dev/null && [ -d "$mods/hdr-histogram-js" ]; then
  js=$(node "$(dirname "$0")/hlog_total.js" "$mods" "$work/r.hlog")
  want=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["all"]["corrected_ms"]["count"])' "$work/s.json")
  [ "$js" = "$want" ] && echo "ok: hdr-histogram-js reads the .hlog ($js samples)" || { echo "FAIL: hlog total $js, summary $want"; fail=1; }
else
  echo "hdr-histogram-js not installed: .hlog oracle skipped"
fi
exit $fail
