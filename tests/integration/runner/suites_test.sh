#!/bin/sh
# Runs every conformance suite of scenarios/ against the embedded emulator and checks, from the
# JSON report, that the run passed and that every documented non-webhook operation was called.
# Usage: suites_test.sh CXHARNESS SOURCE_DIR WORK_DIR [READING]. Exit 77 (skip) when the binary
# has no JSON reporter yet. READING (primary | alternate) is the emulator's reading of the pages
# where they are silent: the suites must pass against both.
set -u
cxharness=$1
source_dir=$2
work=$3
reading=${4:-primary}
mkdir -p "$work"
report="$work/suites-report.json"
rm -f "$report"

# The suites are the top-level YAML files; scenarios/load/ holds load profiles, not suites.
set --
for f in "$source_dir"/scenarios/*.yaml; do set -- "$@" "$f"; done
if [ "$#" -eq 0 ]; then
  echo "no suites in $source_dir/scenarios" >&2
  exit 1
fi

"$cxharness" run "$@" --reading "$reading" --report "json:$report" >"$work/suites-run.out" 2>"$work/suites-run.err"
rc=$?
if [ "$rc" -eq 2 ] && grep -q "no reporters" "$work/suites-run.err"; then
  echo "this build of cxharness has no JSON reporter: skipped" >&2
  exit 77
fi
cat "$work/suites-run.out"
cat "$work/suites-run.err" >&2
if [ "$rc" -ne 0 ]; then
  echo "cxharness run exited $rc, expected 0" >&2
  exit 1
fi

exec python3 - "$report" "$source_dir/schemas" <<'PY'
import glob, json, os, sys

report_path, schemas = sys.argv[1], sys.argv[2]
with open(report_path) as f:
    report = json.load(f)

def field(obj, *names):
    for n in names:
        if n in obj:
            return obj[n]
    return None

# Every documented operation: one per (method, path), or one per x-operations entry, plus the
# plain operation when it defines catalogue entries of its own. Webhooks are outbound.
documented = set()
for path in glob.glob(os.path.join(schemas, "*.json")):
    with open(path) as f:
        doc = json.load(f)
    for item in doc.get("paths", {}).values():
        for op in item.values():
            if not isinstance(op, dict) or "operationId" not in op:
                continue
            subs = op.get("x-operations") or []
            for sub in subs:
                documented.add(sub["operationId"])
            if not subs or op.get("x-catalog-ids"):
                documented.add(op["operationId"])

problems = []
coverage = field(report, "coverage")
if not isinstance(coverage, list) or not coverage:
    problems.append("the report has no coverage list")
    coverage = []
for entry in coverage:
    calls = field(entry, "calls")
    key = field(entry, "operation_key", "operationKey") or field(entry, "operation_id", "operationId")
    if not isinstance(calls, int) or calls <= 0:
        problems.append("not called: %s" % key)

# Variants of one wire operation share a coverage key; the steps name each operationId.
called = set()
for case in field(report, "cases") or []:
    for step in field(case, "steps") or []:
        op = field(step, "operation_id", "operationId")
        if op:
            called.add(op)
for op in sorted(documented - called):
    problems.append("no step calls %s" % op)

for p in problems:
    print(p, file=sys.stderr)
print("%d documented operations, %d coverage entries, %d problem(s)"
      % (len(documented), len(coverage), len(problems)))
sys.exit(1 if problems else 0)
PY
