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

# A run in which nothing succeeded exits non-zero: 3 when no answer came back at all (nothing
# listens there), 1 when answers came and every one failed (an unexpected status).
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
expect 3 "an unreachable target" "$bin" load "$work/pass.yaml" --target "http://127.0.0.1:$port"
grep -q "failed 100: connect 100" "$work/out" || { echo "FAIL: causes line"; cat "$work/out"; fail=1; }
sed 's|request: GET /api/v2/me|{request: GET /api/v2/me, expect: [201]}|' "$work/pass.yaml" >"$work/wrongstatus.yaml"
expect 1 "every answer failed" "$bin" load "$work/wrongstatus.yaml"

# --ca and --insecure against an HTTPS emulator with its own certificate, for the run's
# connections and for its OAuth token request.
if openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=localhost \
    -addext subjectAltName=IP:127.0.0.1,DNS:localhost -keyout "$work/key.pem" -out "$work/cert.pem" >/dev/null 2>&1; then
  "$bin" emulate --listen 127.0.0.1:0 --threads 1 --tls --cert "$work/cert.pem" --key "$work/key.pem" >"$work/emu.log" 2>&1 &
  emu_pid=$!
  for _ in $(seq 100); do grep -q "listening on" "$work/emu.log" && break; sleep 0.1; done
  tls=$(grep -o 'https://127.0.0.1:[0-9]*' "$work/emu.log" | head -1)
  sed 's/^auth: .*/auth: {api_key: demo-api-key, oauth: {grant: password, username: agent1, password: agent1-password, client_id: demo-client, client_secret: demo-client-secret}}/' \
    "$work/pass.yaml" | sed 's|request: GET /api/v2/me|{request: GET /api/v2/me, expect: [200, 401, 403]}|' >"$work/oauth.yaml"
  expect 3 "TLS not verified: no request succeeds" "$bin" load "$work/pass.yaml" --target "$tls"
  grep -q "failed 100: tls 100" "$work/out" || { echo "FAIL: tls causes line"; cat "$work/out"; fail=1; }
  expect 0 "--ca trusts the emulator's certificate" "$bin" load "$work/pass.yaml" --target "$tls" --ca "$work/cert.pem"
  expect 0 "--insecure" "$bin" load "$work/pass.yaml" --target "$tls" --insecure
  expect 3 "OAuth token request without --ca" "$bin" load "$work/oauth.yaml" --target "$tls"
  grep -q "OAuth token request failed" "$work/out" || { echo "FAIL: OAuth TLS message"; cat "$work/out"; fail=1; }
  expect 0 "OAuth token request with --ca" "$bin" load "$work/oauth.yaml" --target "$tls" --ca "$work/cert.pem"
  expect 2 "an unreadable --ca" "$bin" load "$work/pass.yaml" --target "$tls" --ca "$work/absent.pem"
  kill "$emu_pid"
else
  echo "openssl missing: --ca checks skipped"
fi
exit $fail
