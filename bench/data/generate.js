#!/usr/bin/env node
// Deterministic generator of benchmark documents for the schemas in bench/data/schemas/.
//
//   node bench/data/generate.js SCHEMA_NAME [--count N] [--seed S] [--invalid] [--check]
//
// Writes N documents as NDJSON (one compact JSON document a line) to stdout. Every document is
// 300 to 2048 bytes. Without --invalid every document is valid against the schema; with
// --invalid every document carries one mutation that makes it invalid. --check validates the
// output with ajv (from .tools/node_modules) and fails when a document does not have the
// intended verdict. The same name, count and seed always give the same bytes.
'use strict';

const fs = require('fs');
const path = require('path');

const min_bytes = 300;
const max_bytes = 2048;

// mulberry32: small, fast, and the same on every platform.
function make_rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo, hi) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = (list) => list[int(0, list.length - 1)];
  const chance = (p) => next() < p;
  const hex = (n, upper) => {
    let s = '';
    for (let i = 0; i < n; ++i) s += '0123456789abcdef'[int(0, 15)];
    return upper ? s.toUpperCase() : s;
  };
  const digits = (n) => {
    let s = '';
    for (let i = 0; i < n; ++i) s += String(int(0, 9));
    return s;
  };
  const words = ['order', 'refund', 'delivery', 'account', 'password', 'invoice', 'premium',
    'callback', 'shipping', 'warranty', 'upgrade', 'cancel', 'billing', 'address', 'support',
    'r\u00e9sum\u00e9', 'caf\u00e9', '\u6ce8\u6587', 'status', 'priority'];
  const text = (lo, hi) => {
    const n = int(lo, hi);
    const out = [];
    for (let i = 0; i < n; ++i) out.push(pick(words));
    return out.join(' ');
  };
  const date_time = () => {
    const pad = (v, n = 2) => String(v).padStart(n, '0');
    return `2024-${pad(int(1, 12))}-${pad(int(1, 28))}T${pad(int(0, 23))}:${pad(int(0, 59))}:` +
        `${pad(int(0, 59))}.${pad(int(0, 999), 3)}Z`;
  };
  const uuid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-${pick(['8', '9', 'a', 'b'])}${hex(3)}-${hex(12)}`;
  const name = () => pick(['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi']);
  return {next, int, pick, chance, hex, digits, text, date_time, uuid, name};
}

// ---------------------------------------------------------------- engage-interactions

function engage_participant(r, i) {
  const p = {id: `p${i}-${r.hex(6)}`, role: r.pick(['agent', 'customer', 'supervisor', 'bot'])};
  if (r.chance(0.7)) p.nickname = r.name();
  if (r.chance(0.6)) p.joinedAt = r.date_time();
  return p;
}

function engage_content(r, media) {
  if (media === 'chat') {
    const messages = [];
    for (let i = 0, n = r.int(1, 3); i < n; ++i)
      messages.push({from: r.name(), text: r.text(2, 10), index: i});
    return {kind: 'chat', messages};
  }
  if (media === 'email') {
    const to = [];
    for (let i = 0, n = r.int(1, 2); i < n; ++i) to.push(`${r.name()}@example.com`);
    return {kind: 'email', from: `${r.name()}@example.org`, to, subject: r.text(2, 6)};
  }
  const c = {kind: 'voice', ani: '+' + r.digits(r.int(8, 12))};
  if (r.chance(0.5)) c.dnis = r.digits(4);
  if (r.chance(0.7)) c.durationSeconds = r.int(0, 5000) / 10;
  return c;
}

function engage_interaction(r) {
  const media = r.pick(['voice', 'chat', 'email', 'workitem', 'sms']);
  const it = {
    id: r.hex(16, true),
    mediaType: media,
    state: r.pick(['queued', 'routing', 'invited', 'accepted', 'held', 'completed']),
    createdAt: r.date_time(),
  };
  if (r.chance(0.3)) it.parentId = r.hex(16, true);
  if (r.chance(0.8)) it.queue = r.pick(['sales', 'support', 'billing']) + '-' + r.int(1, 9);
  if (r.chance(0.6)) it.priority = r.int(0, 1000);
  if (r.chance(0.7)) {
    it.participants = [];
    for (let i = 0, n = r.int(1, 3); i < n; ++i) it.participants.push(engage_participant(r, i));
  }
  if (r.chance(0.8)) {
    it.userData = {};
    for (let i = 0, n = r.int(1, 6); i < n; ++i) {
      const kind = r.int(0, 3);
      it.userData[`${r.pick(['Customer', 'Case', 'Order', 'Segment'])}${i}`] =
          kind === 0 ? r.text(1, 3) : kind === 1 ? r.int(0, 99999) : kind === 2 ? r.chance(0.5) : null;
    }
  }
  if (['voice', 'chat', 'email'].includes(media) && r.chance(0.8))
    it.content = engage_content(r, media);
  return it;
}

function engage_document(r) {
  const code = r.pick([0, 0, 0, 0, 1, 2]);
  const doc = {status: {code}};
  if (code !== 0 && r.chance(0.6)) doc.status.message = r.text(2, 5);
  const interactions = [];
  for (let i = 0, n = r.int(1, 4); i < n; ++i) interactions.push(engage_interaction(r));
  doc.data = {interactions};
  if (r.chance(0.7)) doc.data.total = r.int(interactions.length, 500);
  if (r.chance(0.4)) doc.data.nextPageToken = r.hex(24);
  if (code === 2) {
    doc.errors = [];
    for (let i = 0, n = r.int(1, 2); i < n; ++i)
      doc.errors.push({code: r.int(100, 599), message: r.text(2, 5), detail: {ConfCode: r.int(1, 99999)}});
  }
  return doc;
}

const engage_mutations = [
  (d) => { d.status.code = String(d.status.code); },
  (d) => { delete d.data.interactions[0].state; },
  (d) => { d.data.interactions[0].mediaType = 'fax'; },
  (d) => { d.data.interactions[0].id = 'not-hex-' + d.data.interactions[0].id; },
  (d) => { d.data.unexpected = true; },
  (d) => { d.data.interactions[0].userData = {nested: {not: 'allowed'}}; },
  (d) => { d.data.interactions[0].priority = 1001; },
  (d) => { d.status.code = 2; delete d.errors; },
  (d) => {
    d.data.interactions[0].mediaType = 'voice';
    d.data.interactions[0].content = {kind: 'voice', ani: 'abc'};
  },
];

// ---------------------------------------------------------------- wsv2-result

function wsv2_device(r) {
  const d = {id: 'dev-' + r.digits(5), deviceState: r.pick(['Active', 'Inactive', 'Unknown'])};
  if (r.chance(0.8)) d.phoneNumber = r.digits(r.int(4, 10));
  if (r.chance(0.7)) {
    d.userState = {state: r.pick(['Ready', 'NotReady', 'LoggedOut', 'AfterCallWork'])};
    if (r.chance(0.5)) d.userState.displayName = r.text(1, 2);
  }
  if (r.chance(0.5)) d.capabilities = ['MakeCall', 'SetReady', 'SetNotReady'].slice(0, r.int(1, 3));
  return d;
}

function wsv2_user(r) {
  const first = r.name();
  const u = {id: r.hex(32), userName: `${first}.${r.int(1, 999)}`, firstName: first,
    lastName: r.pick(['smith', 'jones', 'martin', 'garcia']), enabled: r.chance(0.9)};
  if (r.chance(0.7)) u.emailAddress = `${first}@example.com`;
  if (r.chance(0.7)) u.roles = ['ROLE_AGENT', 'ROLE_SUPERVISOR'].slice(0, r.int(1, 2));
  if (r.chance(0.6)) {
    u.skills = [];
    for (let i = 0, n = r.int(1, 3); i < n; ++i) u.skills.push({name: r.pick(words_skills), level: r.int(0, 10)});
  }
  if (r.chance(0.4)) u.devices = [wsv2_device(r)];
  return u;
}
const words_skills = ['English', 'French', 'Billing', 'Sales', 'Tier2'];

function wsv2_call(r) {
  const c = {id: r.hex(16, true), state: r.pick(['Dialing', 'Ringing', 'Established', 'Held', 'Released']),
    callType: r.pick(['Inbound', 'Outbound', 'Internal', 'Consult']), ani: r.digits(7), dnis: r.digits(4)};
  c.participants = [{number: r.digits(4)}, {number: r.digits(7), formattedPhoneNumber: r.digits(7)}];
  if (r.chance(0.7)) c.userData = {CaseId: r.hex(8), Attempt: r.int(1, 5), Segment: r.pick(['gold', 'silver'])};
  if (r.chance(0.6)) c.capabilities = ['Hold', 'Transfer', 'Conference', 'Release'].slice(0, r.int(1, 4));
  return c;
}

function wsv2_document(r) {
  const variant = r.pick(['users', 'users', 'user', 'uris', 'error', 'op', 'op', 'numeric']);
  if (variant === 'users') {
    const users = [];
    for (let i = 0, n = r.int(1, 4); i < n; ++i) users.push(wsv2_user(r));
    return {statusCode: 0, users};
  }
  if (variant === 'user') return {statusCode: 0, id: r.hex(32), uri: `http://gws.example.com/api/v2/users/${r.hex(32)}`, user: wsv2_user(r)};
  if (variant === 'uris') {
    const uris = [];
    for (let i = 0, n = r.int(4, 16); i < n; ++i) uris.push(`http://gws.example.com/api/v2/skills/${r.hex(32)}`);
    return {statusCode: 0, uris};
  }
  if (variant === 'error') {
    const d = {statusCode: r.int(1, 6), statusMessage: r.text(3, 8)};
    d.uris = [];
    for (let i = 0, n = r.int(3, 8); i < n; ++i) d.uris.push(`http://gws.example.com/api/v2/queues/${r.hex(32)}`);
    return d;
  }
  if (variant === 'op') {
    const d = {status: r.pick(['ok', 'ok', 'error']), operationName: r.pick(['Answer', 'Hold', 'Complete']), requestId: r.uuid()};
    if (d.status === 'error') d.errorDescription = r.text(3, 8);
    d.calls = [];
    for (let i = 0, n = r.int(1, 3); i < n; ++i) d.calls.push(wsv2_call(r));
    return d;
  }
  const devices = [];
  for (let i = 0, n = r.int(2, 6); i < n; ++i) devices.push(wsv2_device(r));
  return {status: r.int(0, 3), description: r.text(3, 6), devices};
}

const wsv2_mutations = [
  (d) => { if ('statusCode' in d) d.statusCode = 7; else d.status = true; },
  (d) => { if ('statusCode' in d) { d.statusCode = 3; delete d.statusMessage; } else d.status = null; },
  (d) => { d.status = 'ok'; d.statusCode = 0; },  // matches two branches of oneOf
  (d) => {
    if (d.users) d.users[0].id = 'UPPER' + d.users[0].id;
    else if (d.calls) d.calls[0].state = 'Bogus';
    else if (d.devices) d.devices[0].deviceState = 'On';
    else d.statusCode = -1;
  },
  (d) => {
    if (d.status === 'ok' || d.status === 'error') { d.status = 'error'; delete d.errorDescription; }
    else if (d.users) d.users[0].skills = [{name: 'x', level: 11}];
    else if (d.devices) d.devices[0].userState = {displayName: 'no state'};
    else d.statusCode = 'zero';
  },
];

// ---------------------------------------------------------------- cometd-notifications

function cometd_data(r) {
  const kind = r.pick(['stat', 'stat', 'interaction', 'device']);
  if (kind === 'stat') {
    const statistics = [];
    for (let i = 0, n = r.int(1, 5); i < n; ++i) {
      const s = {statisticId: r.uuid(), value: r.chance(0.7) ? r.int(0, 100000) / 100 : {count: r.int(0, 99), max: r.int(0, 999)}};
      if (r.chance(0.8)) s.timestamp = 1700000000000 + r.int(0, 99999999);
      statistics.push(s);
    }
    return {messageType: 'StatisticUpdate', statistics};
  }
  if (kind === 'interaction') {
    const interaction = {id: r.hex(16, true), state: r.pick(['Invited', 'Accepted', 'Revoked', 'Completed'])};
    if (r.chance(0.7)) interaction.capabilities = ['accept', 'reject', 'transfer', 'complete'].slice(0, r.int(1, 4));
    if (r.chance(0.7)) interaction.userData = {Subject: r.text(1, 4), Priority: r.int(1, 9)};
    return {messageType: 'InteractionStateChanged',
      notificationType: r.pick(['Added', 'StateChanged', 'PropertiesUpdated', 'Removed']), interaction};
  }
  const devices = [];
  for (let i = 0, n = r.int(1, 2); i < n; ++i) {
    const d = {id: 'dev-' + r.digits(4), deviceState: r.pick(['Active', 'Inactive', 'Unknown']), phoneNumber: r.digits(4)};
    if (r.chance(0.7)) d.userState = {state: r.pick(['Ready', 'NotReady', 'LoggedOut']), displayName: r.text(1, 2)};
    devices.push(d);
  }
  return {messageType: 'DeviceStateChangeMessage', devices};
}

function cometd_document(r) {
  const out = [];
  for (let i = 0, n = r.int(1, 4); i < n; ++i) {
    const m = {channel: r.pick(['/statistics/v3/updates', '/v2/me/calls', '/v2/me/devices', '/workspace/v3/interactions'])};
    if (r.chance(0.7)) m.id = String(r.int(1, 99999));
    if (r.chance(0.3)) m.clientId = r.hex(20);
    m.data = cometd_data(r);
    if (r.chance(0.2)) m.ext = {ack: true};
    out.push(m);
  }
  return out;
}

const cometd_mutations = [
  (d) => { d[0].unknown = 1; },  // unevaluatedProperties: false
  (d) => { d[0].channel = 'no-leading-slash'; },
  (d) => { d[0].data = {messageType: 'Nope'}; },
  (d) => { d[0].data.extra = true; },
  (d) => { d.length = 0; d.push(17); },
  (d) => { delete d[0].channel; },
];

// ---------------------------------------------------------------- driver

const generators = {
  'engage-interactions': {make: engage_document, mutations: engage_mutations},
  'wsv2-result': {make: wsv2_document, mutations: wsv2_mutations},
  'cometd-notifications': {make: cometd_document, mutations: cometd_mutations},
};

function usage(msg) {
  if (msg) process.stderr.write(`generate.js: ${msg}\n`);
  process.stderr.write('usage: generate.js SCHEMA_NAME [--count N] [--seed S] [--invalid] [--check]\n' +
      `  SCHEMA_NAME: ${Object.keys(generators).join(', ')}\n`);
  process.exit(2);
}

function parse_args(argv) {
  const a = {name: null, count: 1000, seed: 1, invalid: false, check: false};
  for (let i = 0; i < argv.length; ++i) {
    const v = argv[i];
    if (v === '--count') a.count = Number(argv[++i]);
    else if (v === '--seed') a.seed = Number(argv[++i]);
    else if (v === '--invalid') a.invalid = true;
    else if (v === '--check') a.check = true;
    else if (v.startsWith('--')) usage(`unknown option ${v}`);
    else if (a.name === null) a.name = v;
    else usage(`unexpected argument ${v}`);
  }
  if (!a.name || !generators[a.name]) usage(a.name ? `unknown schema ${a.name}` : 'no schema name');
  if (!Number.isInteger(a.count) || a.count < 1) usage('--count needs a positive integer');
  if (!Number.isInteger(a.seed)) usage('--seed needs an integer');
  return a;
}

function load_checker(name) {
  const tools = path.resolve(__dirname, '..', '..', '.tools', 'node_modules');
  let Ajv2020;
  try {
    Ajv2020 = require(require.resolve('ajv/dist/2020', {paths: [tools]}));
  } catch (e) {
    process.stderr.write(`generate.js: --check needs ajv in ${tools} (run ci/bootstrap)\n`);
    process.exit(77);
  }
  const schema = JSON.parse(fs.readFileSync(path.join(__dirname, 'schemas', `${name}.json`), 'utf8'));
  const ajv = new (Ajv2020.default || Ajv2020)({strict: false, validateFormats: false});
  return ajv.compile(schema);
}

function main() {
  const a = parse_args(process.argv.slice(2));
  const gen = generators[a.name];
  const r = make_rng(a.seed);
  const check = a.check ? load_checker(a.name) : null;
  const lines = [];
  let attempts = 0;
  while (lines.length < a.count) {
    if (++attempts > a.count * 50) {
      process.stderr.write('generate.js: cannot produce documents in the size range\n');
      process.exit(1);
    }
    const doc = gen.make(r);
    if (a.invalid) r.pick(gen.mutations)(doc);
    const text = JSON.stringify(doc);
    const size = Buffer.byteLength(text, 'utf8');
    if (size < min_bytes || size > max_bytes) continue;
    if (check && check(doc) === a.invalid) {
      process.stderr.write(`generate.js: document ${lines.length} should be ` +
          `${a.invalid ? 'invalid' : 'valid'}: ${text}\n${JSON.stringify(check.errors)}\n`);
      process.exit(1);
    }
    lines.push(text);
  }
  process.stdout.write(lines.join('\n') + '\n');
}

main();
