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


# cxharness run: exit 0 all passed, 1 conformance failures, 2 usage or config error, 3 unreachable.
cat >"$tmp/pass.yaml" <<'YAML'
suite: cli-pass
cases:
  - name: create
    steps:
      - call: openmediaCreateInteraction
        path: {openMediaService: chat}
        body: {interaction: {mediaType: chat}}
        expect: {status: 200}
YAML
sed 's/cli-pass/cli-fail/; s/status: 200/status: 201/' "$tmp/pass.yaml" >"$tmp/fail.yaml"
printf 'suite: cli-bad\ncases:\n  - name: a\n    steps:\n      - call: op\n        expect: {stat: 200}\n' >"$tmp/bad.yaml"
printf 'target: http://127.0.0.1:9\ncredentials: {api_key: k, pasword: x}\n' >"$tmp/bad-config.yaml"
expect "run embedded" 0 "passed, 0 failed, 0 errored" -- "$bin" run
expect "run without generated cases" 0 "[0-9]+ passed, 0 failed, 0 errored" -- "$bin" run --no-generated
expect "run generated cases only" 0 "generated / cddsGetJob: unknown id" -- "$bin" run --suite generated
expect "generated cases with a file" 0 "^  authPing: no credentials" -- "$bin" run --list "$tmp/pass.yaml" --generated
expect "--generated excludes --no-generated" 2 "excludes" -- "$bin" run --generated --no-generated
expect "run --list" 0 "openmedia" -- "$bin" run --list
expect "run one file" 0 "1 passed" -- "$bin" run "$tmp/pass.yaml"
expect "run failure" 1 "expected: 201" -- "$bin" run "$tmp/fail.yaml"
expect "run bad suite" 2 "bad.yaml:6:18" -- "$bin" run "$tmp/bad.yaml"
expect "run unknown suite" 2 "no suite 'nope'" -- "$bin" run --suite nope
expect "run no match" 2 "no case matched" -- "$bin" run --tag no-such-tag
expect "run bad report" 2 "unknown format 'pdf'" -- "$bin" run --report pdf:x.pdf
expect "run bad config" 2 "bad-config.yaml:2:.*unknown credential 'pasword'" -- "$bin" run --config "$tmp/bad-config.yaml"
expect "run without credentials" 2 "needs credentials.api_key \(CXH_API_KEY\)" -- env -u CXH_API_KEY "$bin" run "$tmp/pass.yaml" --target http://127.0.0.1:9
expect "run unreachable" 3 "connect" -- env CXH_API_KEY=k "$bin" run "$tmp/pass.yaml" --target http://127.0.0.1:9
expect "run reports" 0 "" -- "$bin" run "$tmp/pass.yaml" --report "json:$tmp/r/run.json" --report "junit:$tmp/r/run.xml"
expect "json report written" 0 '"passed": 1' -- cat "$tmp/r/run.json"
# Run variables (--var, --list), bounds (--timeout, --max-duration).
cat >"$tmp/var.yaml" <<'YAML'
suite: cli-var
variables: {service: chat, code: 7}
cases:
  - name: create in the service
    requirements: [{id: V-1, level: MUST, text: created, cite: "000:30"}]
    steps:
      - call: openmediaCreateInteraction
        path: {openMediaService: "${service}"}
        body: {interaction: {mediaType: chat}}
        expect:
          status: 200
          body: [{pointer: /status/code, equals: "${code}"}]
YAML
expect "run --list shows variables" 0 'code = 7' -- "$bin" run --list "$tmp/var.yaml"
expect "run with the suite default" 1 "" -- "$bin" run "$tmp/var.yaml"
expect "run --var" 0 "1 passed" -- "$bin" run "$tmp/var.yaml" --var code=0
expect "run --var undeclared" 0 "no selected suite declares the variable 'nope'" -- "$bin" run "$tmp/var.yaml" --var code=0 --var nope=1
expect "run --var malformed" 2 "is not NAME=VALUE" -- "$bin" run "$tmp/var.yaml" --var code
printf 'variables: {code: 0}\n' >"$tmp/var-config.yaml"
expect "run config variables" 0 "1 passed" -- "$bin" run "$tmp/var.yaml" --config "$tmp/var-config.yaml"
expect "run --timeout malformed" 2 "--timeout 'soon'" -- "$bin" run "$tmp/pass.yaml" --timeout soon
expect "run --max-duration reached" 3 "deadline .* reached; [0-9]+ case\(s\) not run" -- "$bin" run "$tmp/pass.yaml" "$tmp/var.yaml" --max-duration 1ms
expect "lint suites" 0 "11 suites" -- "$bin" lint "$root/scenarios"
expect "lint bad suite" 1 "bad.yaml:6:18" -- "$bin" lint "$tmp/bad.yaml"
expect "lint load profiles" 0 "lint: 3 load profiles, 0 problem" -- "$bin" lint "$root/scenarios/load"
expect "lint suites and profiles" 0 "lint: 3 load profiles, 0 problem" -- "$bin" lint "$root/scenarios"
mkdir -p "$tmp/load"
sed 's/^rate: 40/rate: -3/' "$root/scenarios/load/smoke.yaml" >"$tmp/load/neg.yaml"
expect "lint bad profile" 1 "neg.yaml:[0-9]+:7: 'rate' is -3" -- "$bin" lint "$tmp/load/neg.yaml"
sed 's/operation: openmediaCreateInteraction/operation: openmediaCreateInteractoin/' \
  "$root/scenarios/load/smoke.yaml" >"$tmp/load/op.yaml"
expect "lint profile with unknown operation" 1 "op.yaml:[0-9]+:[0-9]+: .*openmediaCreateInteractoin" -- "$bin" lint "$tmp/load/op.yaml"

# emulate --admin off loopback: refused without a token; with one it starts and never prints it.
expect "emulate admin off loopback without token" 2 "--admin on the non-loopback address 0.0.0.0 needs an admin token" -- "$bin" emulate --admin --listen 0.0.0.0:0
expect "emulate admin token env unset" 2 "environment variable 'CXH_TEST_NO_SUCH_VAR' is not set" -- env -u CXH_TEST_NO_SUCH_VAR "$bin" emulate --admin --admin-token-env CXH_TEST_NO_SUCH_VAR --listen 0.0.0.0:0
admin_token="tok-$RANDOM-$RANDOM-secret"
CXH_TEST_ADMIN_TOKEN=$admin_token "$bin" emulate --admin --admin-token-env CXH_TEST_ADMIN_TOKEN --listen 0.0.0.0:0 >"$tmp/emulate.out" 2>&1 &
emulate_pid=$!
for _ in $(seq 1 600); do grep -q "listening on" "$tmp/emulate.out" && break; sleep 0.1; done
kill -INT "$emulate_pid" 2>/dev/null
wait "$emulate_pid"
expect "emulate admin with token off loopback starts" 0 "listening on http://0.0.0.0:" -- cat "$tmp/emulate.out"
if grep -qF -- "$admin_token" "$tmp/emulate.out"; then
  failed=$((failed + 1)); echo "FAIL: emulate printed the admin token"
else
  passed=$((passed + 1))
fi

echo "cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
