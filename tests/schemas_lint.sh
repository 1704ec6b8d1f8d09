#!/usr/bin/env bash
# The ecosystem's linter (@redocly/cli, installed by ci/bootstrap into .tools/) must accept every
# OpenAPI document of schemas/ with no error; warnings are printed. Exit 77 (skip) without it.
set -u
root=$1
redocly=$root/.tools/node_modules/.bin/redocly
[ -x "$redocly" ] || { echo "redocly not installed (run ci/bootstrap): skipped"; exit 77; }
cd "$root"
status=0
for f in schemas/*.json; do
  out=$(REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true "$redocly" lint --format=summary "$f" 2>&1)
  rc=$?
  line=$(grep -E "error|warning|valid" <<<"$out" | tail -n 1)
  echo "$f: ${line:-ok}"
  [ $rc -eq 0 ] || { status=1; echo "$out"; }
done
exit $status
