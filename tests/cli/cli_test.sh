#!/usr/bin/env bash
# End-to-end checks of the cxharness command line: exit codes and messages a user relies on.
# Usage: cli_test.sh CXHARNESS REPO_ROOT
set -u
bin=$1
root=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0

expect() {  # expect NAME WANT_EXIT GREP_PATTERN -- command...
  local name=$1 want=$2 pattern=$3
  shift 4
  local out rc
  out=$("$@" 2>&1)
  rc=$?
  if [ "$rc" -eq "$want" ] && { [ -z "$pattern" ] || grep -qE -- "$pattern" <<<"$out"; }; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAIL: $name: exit $rc (want $want), output:"
    sed 's/^/    /' <<<"$out" | head -20
  fi
}

ex=$root/examples/validate
echo '{"type": "object", "required": ["id"]}' >"$tmp/s.json"
echo '{"id": 1}' >"$tmp/ok.json"
echo '[]' >"$tmp/bad.json"
printf '{"id": \n' >"$tmp/broken.json"
echo '{"type": "objekt"}' >"$tmp/invalid-schema.json"
echo '{"$ref": "#/$defs/a", "$defs": {"a": {"$ref": "#/$defs/a"}}}' >"$tmp/cycle.json"
echo '{"$ref": "other.json"}' >"$tmp/dangling.json"

expect "version" 0 "cxharness [0-9]" -- "$bin" version
expect "help" 0 "validate" -- "$bin" --help
expect "help validate" 0 "--schema" -- "$bin" help validate
expect "unknown subcommand" 2 "" -- "$bin" frobnicate
expect "no subcommand" 2 "" -- "$bin"
expect "valid instance" 0 "ok.json: valid" -- "$bin" validate --schema "$tmp/s.json" "$tmp/ok.json"
expect "invalid instance" 1 "expected object, found array" -- "$bin" validate -s "$tmp/s.json" "$tmp/bad.json"
expect "json output" 1 '"instanceLocation"' -- "$bin" validate -s "$tmp/s.json" -o json "$tmp/bad.json"
expect "instance not JSON" 2 "broken.json:2:1: not valid JSON" -- "$bin" validate -s "$tmp/s.json" "$tmp/broken.json"
expect "schema not JSON" 2 "broken.json:2:1" -- "$bin" validate -s "$tmp/broken.json" "$tmp/ok.json"
expect "schema invalid" 2 "invalid-schema.json#/type: not a valid schema" -- "$bin" validate -s "$tmp/invalid-schema.json" "$tmp/ok.json"
expect "ref cycle" 2 "reference cycle" -- "$bin" validate -s "$tmp/cycle.json" "$tmp/ok.json"
expect "dangling ref" 2 "cannot resolve 'other.json'" -- "$bin" validate -s "$tmp/dangling.json" "$tmp/ok.json"
expect "missing schema file" 2 "" -- "$bin" validate -s "$tmp/none.json" "$tmp/ok.json"
expect "missing instance file" 2 "cannot read" -- "$bin" validate -s "$tmp/s.json" "$tmp/none.json"
expect "bad --ref-dir" 2 "PREFIX=DIR" -- "$bin" validate -s "$tmp/s.json" --ref-dir nothing "$tmp/ok.json"
expect "example: valid" 0 "" -- "$bin" validate -s "$ex/engage-envelope.schema.json" "$ex/ok-response.json"
expect "example: invalid" 1 "missing required property" -- "$bin" validate -s "$ex/engage-envelope.schema.json" "$ex/bad-response.json"
expect "lint embedded" 0 " 0 problem" -- "$bin" lint
expect "lint folder" 0 "13 OpenAPI documents" -- "$bin" lint "$root/schemas"
expect "lint broken" 1 "broken.json:2:1" -- "$bin" lint "$tmp/broken.json"
expect "lint missing" 2 "no such file" -- "$bin" lint "$tmp/none.json"

echo "cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
