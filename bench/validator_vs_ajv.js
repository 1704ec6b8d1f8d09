#!/usr/bin/env node
// node validator_vs_ajv.js SCHEMA NDJSON [seconds] [--all-errors] [--formats]
//
// The ajv counterpart of validator_throughput: the same schema and the same NDJSON lines, the
// same two measurements for `seconds` each (default 2): (a) JSON.parse + validate per document
// from its raw string, (b) validate on the pre-parsed documents. Prints the same JSON line.
//
// ajv: Ajv2020 with strict: false; allErrors only with --all-errors; formats asserted (through
// ajv-formats) only with --formats, as our validator does with assert_formats.
// Exit 77 when ajv is not installed (.tools/node_modules, from ci/bootstrap).
'use strict';

const fs = require('fs');
const path = require('path');

function usage(problem) {
  process.stderr.write(`validator_vs_ajv.js: ${problem}\n` +
      'usage: validator_vs_ajv.js SCHEMA NDJSON [seconds] [--all-errors] [--formats]\n');
  process.exit(2);
}

function parse_arguments(argv) {
  const a = {seconds: 2, all_errors: false, formats: false};
  const positional = [];
  for (const v of argv) {
    if (v === '--all-errors') a.all_errors = true;
    else if (v === '--formats') a.formats = true;
    else if (v.startsWith('--')) usage(`unknown option ${v}`);
    else positional.push(v);
  }
  if (positional.length < 2 || positional.length > 3) usage('expected SCHEMA NDJSON [seconds]');
  [a.schema_path, a.documents_path] = positional;
  if (positional.length === 3) {
    a.seconds = Number(positional[2]);
    if (!(a.seconds > 0) || a.seconds > 3600) usage('seconds must be a number in (0, 3600]');
  }
  return a;
}

function load_module(name) {
  const tools = process.env.CXH_TOOLS_NODE_MODULES ||
      path.resolve(__dirname, '..', '.tools', 'node_modules');
  try {
    const m = require(require.resolve(name, {paths: [tools]}));
    return m.default || m;
  } catch (e) {
    process.stderr.write(`validator_vs_ajv.js: ${name} is not installed in ${tools} ` +
        '(run ci/bootstrap)\n');
    process.exit(77);
  }
}

// Runs step(i) over the documents, cyclically, until `seconds` have passed; reads the clock
// once per batch, like validator_throughput.
function run_for(seconds, docs, step) {
  const batch = 32;
  const start = process.hrtime.bigint();
  const stop = start + BigInt(Math.round(seconds * 1e9));
  let now = start;
  let runs = 0;
  let valid = 0;
  let i = 0;
  while (now < stop) {
    for (let k = 0; k < batch; ++k) {
      if (step(i)) ++valid;
      if (++i === docs) i = 0;
    }
    runs += batch;
    now = process.hrtime.bigint();
  }
  return {per_s: runs / (Number(now - start) / 1e9), runs, valid};
}

function main() {
  const a = parse_arguments(process.argv.slice(2));
  const Ajv2020 = load_module('ajv/dist/2020');
  let schema;
  let text;
  try {
    schema = JSON.parse(fs.readFileSync(a.schema_path, 'utf8'));
    text = fs.readFileSync(a.documents_path, 'utf8');
  } catch (e) {
    usage(e.message);
  }
  const ajv = new Ajv2020({strict: false, allErrors: a.all_errors, validateFormats: a.formats});
  if (a.formats) load_module('ajv-formats')(ajv);
  const validate = ajv.compile(schema);

  const raw = text.split('\n').map((l) => l.replace(/\r$/, '')).filter((l) => l.length > 0);
  if (raw.length === 0) usage(`${a.documents_path}: no documents`);
  const parsed = raw.map((l) => JSON.parse(l));
  let valid = 0;
  for (const doc of parsed) if (validate(doc)) ++valid;

  const parse_validate = (i) => {
    let doc;
    try {
      doc = JSON.parse(raw[i]);
    } catch (e) {
      return false;
    }
    return validate(doc);
  };
  const validate_only = (i) => validate(parsed[i]);

  // Warm-up: lets V8 optimize both loops before they are timed.
  const warm_up = Math.min(0.5, a.seconds / 5);
  run_for(warm_up, raw.length, parse_validate);
  run_for(warm_up, raw.length, validate_only);
  const pv = run_for(a.seconds, raw.length, parse_validate);
  const vo = run_for(a.seconds, raw.length, validate_only);

  const bytes = raw.reduce((n, l) => n + Buffer.byteLength(l, 'utf8'), 0);
  const mean_bytes = bytes / raw.length;
  process.stdout.write(JSON.stringify({
    impl: 'ajv',
    parse_validate_per_s: Math.floor(pv.per_s),
    validate_per_s: Math.floor(vo.per_s),
    docs: raw.length,
    valid,
    bytes,
    parse_validate_mb_per_s: pv.per_s * mean_bytes / 1e6,
    validate_mb_per_s: vo.per_s * mean_bytes / 1e6,
    loop_valid: pv.valid + vo.valid,
    all_errors: a.all_errors,
    formats: a.formats,
  }) + '\n');
}

main();
