#!/usr/bin/env bash
# The command line against hostile inputs (issue 12): YAML alias bombs and huge scalars in
# suites, configs and load profiles; --webhook-listen without a secret; reports at a symlink;
# secrets in the reports of a default run. Every case: an exit code and a message, no crash.
# Usage: input_limits_test.sh CXHARNESS
set -u
bin=$1
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
absent() {  # absent NAME FILE FIXED_STRING: the file exists and does not contain the string
  if [ -s "$2" ] && ! grep -qF -- "$3" "$2"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAIL: $1: $2 missing or contains '$3'"
    grep -oF -- "$3" "$2" | head -3
  fi
}

# 10^9 nodes once the aliases expand, in about 600 bytes.
bomb() {  # bomb INDENT
  local pad=$1
  echo "${pad}l0: &l0 [x, x, x, x, x, x, x, x, x, x]"
  for i in 1 2 3 4 5 6 7 8; do
    local p="*l$((i - 1))"
    echo "${pad}l$i: &l$i [$p, $p, $p, $p, $p, $p, $p, $p, $p, $p]"
  done
}
{ echo "suite: bomb"; echo "variables:"; bomb "  "; echo "cases: []"; } >"$tmp/bomb.yaml"
{ echo "target: http://127.0.0.1:9"; echo "x:"; bomb "  "; } >"$tmp/bomb-config.yaml"
mkdir -p "$tmp/load"
{ printf 'executor: constant-arrival-rate\nrate: 1\nduration: 1s\nx:\n'; bomb "  ";
  printf 'mix:\n  - request: POST /x\n    body: *l8\n'; } >"$tmp/load/bomb.yaml"

expect "run: alias bomb suite" 2 "bomb.yaml:[0-9]+:[0-9]+: the document expands to more than" -- "$bin" run "$tmp/bomb.yaml"
expect "lint: alias bomb suite" 1 "bomb.yaml:[0-9]+:[0-9]+: the document expands" -- "$bin" lint "$tmp/bomb.yaml"
expect "lint: alias bomb profile" 1 "bomb.yaml:[0-9]+:[0-9]+: the document expands" -- "$bin" lint "$tmp/load/bomb.yaml"

# A 50,000-digit scalar (std::regex recursed once per digit).
digits=$(head -c 50000 /dev/zero | tr '\0' '7')
cat >"$tmp/digits.yaml" <<YAML
suite: digits
variables: {n: $digits}
cases:
  - name: create
    requirements: [{id: D-1, level: MUST, cite: "000:52"}]
    steps:
      - call: openmediaCreateInteraction
        path: {openMediaService: chat}
        body: {interaction: {mediaType: chat}}
        expect: {status: 200}
YAML
expect "run: alias bomb config" 2 "bomb-config.yaml:[0-9]+:[0-9]+: the document expands" -- "$bin" run --config "$tmp/bomb-config.yaml" "$tmp/digits.yaml"
expect "lint: 50,000-digit scalar" 0 "" -- "$bin" lint "$tmp/digits.yaml"
expect "run: 50,000-digit scalar" 0 "1 passed" -- "$bin" run "$tmp/digits.yaml"
sed "s/expect: {status: 200}/expect: {status: 200, within: ${digits}ms}/" "$tmp/digits.yaml" >"$tmp/budget.yaml"
expect "run: 50,000-digit duration" 2 "duration" -- "$bin" run "$tmp/budget.yaml"

# Webhooks from a real target can only be trusted with the channel secret.
expect "run --webhook-listen without a secret" 2 "CXH_CHANNEL_SECRET.*channel_secret" -- \
  env -u CXH_CHANNEL_SECRET CXH_API_KEY=k "$bin" run "$tmp/digits.yaml" --target http://127.0.0.1:9 --webhook-listen 127.0.0.1:0

# A report path that is a symlink is replaced, not written through.
echo precious >"$tmp/victim"
ln -s "$tmp/victim" "$tmp/run.json"
expect "run: report over a symlink" 0 "" -- "$bin" run "$tmp/digits.yaml" --report "json:$tmp/run.json"
expect "the symlink's target is untouched" 0 "^precious$" -- cat "$tmp/victim"
expect "the report replaced the symlink" 0 '"passed": 1' -- cat "$tmp/run.json"
expect "no temporary file left" 0 "^run.json$" -- ls -A "$tmp" -I victim -I bomb.yaml -I bomb-config.yaml -I load -I digits.yaml -I budget.yaml

# The auth suite against the embedded emulator: no configured secret and no issued token in
# any report (the emulator's credentials are cxharness emulate's documented defaults).
expect "run auth suite with reports" 0 "" -- "$bin" run --suite auth --report "json:$tmp/a.json" \
  --report "junit:$tmp/a.xml" --report "html:$tmp/a.html" --report "console:$tmp/a.txt"
for f in a.json a.xml a.html a.txt; do
  for secret in agent1-password demo-api-key demo-client-secret; do
    absent "$f has no $secret" "$tmp/$f" "$secret"
  done
done
# Issued tokens: every access_token / refresh_token / code value in the JSON report is hidden.
expect "no access_token value in the JSON report" 1 "" -- grep -qE 'access_token\\?"?:\\?"[^<\\]' "$tmp/a.json"
expect "no code= value in the JSON report" 1 "" -- grep -qE 'code=[^<]' "$tmp/a.json"
expect "no signed user token (X-GWS-User) in the JSON report" 1 "" -- grep -qE '"actual": "eyJ' "$tmp/a.json"
expect "tokens are shown redacted" 0 "" -- grep -q 'redacted' "$tmp/a.json"

echo "input limits: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
