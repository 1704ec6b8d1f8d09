#!/usr/bin/env bash
# Reports read by independent consumers: junit2json (npm) parses the JUnit XML, ajv checks the
# JSON report against schemas/report/run-result.schema.json, headless Chromium (playwright-core)
# opens the HTML report. Usage: oracles.sh FIXTURE CXHARNESS SOURCE_DIR WORK_DIR
set -u
fixture=$1 cxh=$2 src=$3 work=$4
tools="$src/.tools/node_modules"
for m in junit2json playwright-core ajv ajv-formats; do
  [ -d "$tools/$m" ] || { echo "npm module $m missing (run ci/bootstrap): skipped"; exit 77; }
done
command -v node >/dev/null || { echo "node missing: skipped"; exit 77; }
chromium=$(command -v chromium || true)
[ -n "$chromium" ] || { echo "chromium missing (run ci/bootstrap): skipped"; exit 77; }
rm -rf "$work" && mkdir -p "$work/nasty" "$work/clean" "$work/unreachable"

"$fixture" "$work/nasty" || { echo "fixture failed"; exit 1; }
"$cxh" run --report "junit:$work/clean/report.xml" --report "json:$work/clean/report.json" \
  --report "html:$work/clean/report.html" > "$work/clean/console.txt"
rc=$?
[ $rc -eq 0 ] || { echo "clean run exited $rc, expected 0"; cat "$work/clean/console.txt"; exit 1; }
# Port 9 (discard) is closed on loopback: every case errors, exit 3.
"$cxh" run --suite openmedia --target http://127.0.0.1:9 --report "junit:$work/unreachable/report.xml" \
  --report "json:$work/unreachable/report.json" --report "html:$work/unreachable/report.html" \
  > "$work/unreachable/console.txt"
rc=$?
[ $rc -eq 3 ] || { echo "unreachable run exited $rc, expected 3"; exit 1; }

exec node "$src/tests/reporters/oracles.mjs" "$tools" "$src" "$chromium" "$work"
