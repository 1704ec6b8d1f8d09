#!/usr/bin/env node
// Differential test of cxh::schema against ajv 8 (Ajv2020), an independent validator.
//
//   node ajv_differential.js SCHEMA_BATCH SUITE_DIR [NODE_MODULES]
//
// (a) Every schema and instance of SUITE_DIR/tests/draft2020-12/*.json (required tests). The
//     suite's `valid` decides who is right: ours wrong is a failure; ajv wrong is an ajv deviation,
//     printed but not failing.
// (b) Generated documents: ~200 deterministic mutations of valid seeds for each of the
//     product-like schemas below. ajv is the oracle: every disagreement fails unless
//     known-ajv-differences.json lists it (schema description + instance) with a reason.
// One schema_batch run validates everything on our side. Exit 0: nothing where ours is wrong;
// 1: a failure; 2: bad usage; 77: node modules (ajv) missing, the test is skipped.

'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const child_process = require('child_process');

const [binary, suite_dir, modules_arg] = process.argv.slice(2);
if (!binary || !suite_dir) {
  console.error('usage: node ajv_differential.js SCHEMA_BATCH SUITE_DIR [NODE_MODULES]');
  process.exit(2);
}
const node_modules = path.resolve(modules_arg || path.join(__dirname, '../../.tools/node_modules'));

let Ajv2020;
try {
  const mod = require(path.join(node_modules, 'ajv/dist/2020'));
  Ajv2020 = mod.default || mod;
} catch (e) {
  console.log(`ajv differential: ajv not found under ${node_modules} (run ci/bootstrap), ` +
              `skipped: ${e.message.split('\n')[0]}`);
  process.exit(77);
}
const ajv_options = {strict: false, allErrors: false, validateFormats: false};
const remote_base = 'http://localhost:1234/';
const samples_per_schema = 200;

// ---------------------------------------------------------------------------------------------
// (a) The official suite. Our side receives the suite's own text for every schema and instance,
// so number lexemes such as 1.0 or big integers reach our parser unchanged (JSON.stringify would
// rewrite them); ajv receives JSON.parse's values, as it would in production.

// Parses JSON text into a tree of spans {start, end, members?: Map, items?: [], key?: string}.
// The text has already passed JSON.parse; this only needs to find where each value lies.
function parse_spans(text) {
  let i = 0;
  const skip = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const expect = (c) => {
    skip();
    if (text[i] !== c) throw new Error(`expected '${c}' at offset ${i}`);
    i++;
  };
  function value() {
    skip();
    const start = i;
    const c = text[i];
    if (c === '{' || c === '[') {
      const object = c === '{';
      const node = object ? {start, members: new Map()} : {start, items: []};
      i++;
      skip();
      if (text[i] !== (object ? '}' : ']')) {
        for (;;) {
          if (object) {
            const key = value();
            expect(':');
            node.members.set(key.key, value());
          } else {
            node.items.push(value());
          }
          skip();
          if (text[i] === ',') {
            i++;
            continue;
          }
          break;
        }
      }
      expect(object ? '}' : ']');
      node.end = i;
      return node;
    }
    if (c === '"') {
      for (i++; text[i] !== '"'; i++) {
        if (i >= text.length) throw new Error('unterminated string');
        if (text[i] === '\\') i++;
      }
      i++;
      return {start, end: i, key: JSON.parse(text.slice(start, i))};
    }
    while (i < text.length && /[-+.0-9a-zA-Z]/.test(text[i])) i++;
    if (i === start) throw new Error(`unexpected character at offset ${i}`);
    return {start, end: i};
  }
  const root = value();
  skip();
  if (i !== text.length) throw new Error(`trailing text at offset ${i}`);
  return root;
}

function list_files(dir, filter) {
  const out = [];
  for (const entry of fs.readdirSync(dir, {withFileTypes: true})) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...list_files(full, filter));
    else if (filter(entry.name)) out.push(full);
  }
  return out.sort();
}

function suite_groups() {
  const dir = path.join(suite_dir, 'tests', 'draft2020-12');
  const groups = [];
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  for (const file of files) {
    const text = fs.readFileSync(path.join(dir, file), 'utf8');
    const cases = JSON.parse(text);
    const spans = parse_spans(text);
    cases.forEach((c, ci) => {
      const span = spans.items[ci];
      const raw = (node) => text.slice(node.start, node.end);
      const tests = span.members.get('tests').items;
      const instances_raw = tests.map((t) => raw(t.members.get('data')));
      groups.push({
        part: 'a',
        description: `${file} :: ${c.description}`,
        schema: c.schema,
        instances: c.tests.map((t) => t.data),
        test_descriptions: c.tests.map((t) => t.description),
        expected: c.tests.map((t) => t.valid),
        batch_text: `{"schema":${raw(span.members.get('schema'))},"instances":[${
            instances_raw.join(',')}],"draft":"2020-12","remotes":true}`,
      });
    });
  }
  return groups;
}

// The suite's remotes, as a test server at http://localhost:1234/ would serve them.
function load_remotes() {
  const dir = path.join(suite_dir, 'remotes');
  return list_files(dir, (f) => f.endsWith('.json')).map((file) => ({
    uri: remote_base + path.relative(dir, file).split(path.sep).join('/'),
    schema: JSON.parse(fs.readFileSync(file, 'utf8')),
  }));
}

// ajv's verdicts for one group: true / false, or 'error' when ajv cannot compile or throws.
function ajv_verdicts(group, remotes) {
  const ajv = new Ajv2020(ajv_options);
  for (const r of remotes) {
    try {
      ajv.addSchema(r.schema, r.uri);
    } catch (e) {
      // A remote ajv refuses (foreign $schema, clashing $id): cases that need it show up below.
    }
  }
  let validate;
  try {
    validate = ajv.compile(group.schema);
  } catch (e) {
    group.ajv_error = e.message;
    return group.instances.map(() => 'error');
  }
  return group.instances.map((instance) => {
    try {
      return validate(instance);
    } catch (e) {
      return 'error';
    }
  });
}


// ---------------------------------------------------------------------------------------------
// (b) Product-like schemas (catalog/envelopes.md families and the keywords our schemas use), each
// with valid seeds that the generator mutates.

const S = 'https://json-schema.org/draft/2020-12/schema';
const engage_status = {
  type: 'object',
  required: ['code'],
  properties: {code: {type: 'integer'}, message: {type: 'string'}, detail: {}},
};
const oauth_token = {
  type: 'object',
  required: ['access_token', 'token_type'],
  properties: {
    access_token: {type: 'string', minLength: 1},
    token_type: {enum: ['bearer', 'Bearer']},
    expires_in: {type: 'integer', minimum: 0, maximum: 2147483647},
    refresh_token: {type: 'string', minLength: 1},
    scope: {type: 'string', pattern: '^[a-z*:]+( [a-z*:]+)*$'},
  },
};
const oauth_error = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      enum: ['invalid_request', 'invalid_client', 'invalid_grant', 'unauthorized_client',
        'unsupported_grant_type', 'invalid_scope'],
    },
    error_description: {type: 'string'},
    error_uri: {type: 'string', format: 'uri'},
  },
};

const generated_schemas = [
  {
    description: 'Engage status envelope, code 2 requires errors (if/then)',
    schema: {
      $schema: S,
      type: 'object',
      required: ['status'],
      properties: {
        status: {$ref: '#/$defs/Status'},
        data: {},
        errors: {type: 'array', items: {$ref: '#/$defs/Status'}},
      },
      if: {properties: {status: {properties: {code: {const: 2}}, required: ['code']}}},
      then: {required: ['errors'], properties: {errors: {minItems: 1}}},
      $defs: {Status: engage_status},
    },
    seeds: [
      {status: {code: 0}, data: {id: 'a1'}},
      {status: {code: 2}, data: [{id: 1}], errors: [{code: 404, message: 'Not found'}]},
      {status: {code: 500, message: 'Resource not found', detail: {ConfCode: 12345}}},
    ],
  },
  {
    description: 'Engage envelope, closed: additionalProperties false, status unevaluatedProperties',
    schema: {
      $schema: S,
      type: 'object',
      required: ['status'],
      additionalProperties: false,
      properties: {
        status: {
          allOf: [{$ref: '#/$defs/Status'}],
          unevaluatedProperties: false,
        },
        data: {type: 'object'},
        errors: {type: 'array', items: {$ref: '#/$defs/Status'}, minItems: 1},
      },
      $defs: {Status: engage_status},
    },
    seeds: [
      {status: {code: 0}, data: {}},
      {status: {code: 1, message: 'accepted'}},
      {status: {code: 2, message: 'partial', detail: null}, errors: [{code: 7}]},
    ],
  },
  {
    description: 'Engage code chain: if code 0 then data, else if code 1 then requestId',
    schema: {
      $schema: S,
      type: 'object',
      required: ['status'],
      properties: {status: {$ref: '#/$defs/Status'}},
      if: {properties: {status: {properties: {code: {const: 0}}}}},
      then: {required: ['data']},
      else: {
        if: {properties: {status: {properties: {code: {const: 1}}}}},
        then: {
          required: ['data'],
          properties: {
            data: {
              type: 'object',
              required: ['requestId'],
              properties: {requestId: {type: 'string', pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-'}},
            },
          },
        },
        else: {properties: {status: {required: ['message']}}},
      },
      $defs: {Status: engage_status},
    },
    seeds: [
      {status: {code: 0}, data: {}},
      {status: {code: 1}, data: {requestId: '0a1b2c3d-4e5f-6789-abcd-ef0123456789'}},
      {status: {code: 403, message: 'Forbidden'}},
    ],
  },
  {
    description: 'OAuth token response (RFC 6749 5.1)',
    schema: {$schema: S, ...oauth_token},
    seeds: [
      {access_token: 'eyJhbGciOi', token_type: 'bearer', expires_in: 43199, scope: '*'},
      {access_token: 'x', token_type: 'Bearer', refresh_token: 'r-1', scope: 'read write:all'},
    ],
  },
  {
    description: 'OAuth error response (RFC 6749 5.2)',
    schema: {$schema: S, ...oauth_error, additionalProperties: false},
    seeds: [
      {error: 'invalid_grant', error_description: 'Bad credentials'},
      {error: 'invalid_client', error_uri: 'https://example.com/e'},
    ],
  },
  {
    description: 'OAuth response: oneOf token | error',
    schema: {
      $schema: S,
      oneOf: [
        {$ref: '#/$defs/Token'},
        {$ref: '#/$defs/Error'},
      ],
      $defs: {Token: oauth_token, Error: oauth_error},
    },
    seeds: [
      {access_token: 'abc', token_type: 'bearer', expires_in: 0},
      {error: 'invalid_scope'},
    ],
  },
  {
    description: 'Web Services v2 statusCode 0..6, statusMessage when not 0',
    schema: {
      $schema: S,
      type: 'object',
      required: ['statusCode'],
      properties: {
        statusCode: {type: 'integer', minimum: 0, maximum: 6},
        statusMessage: {type: 'string', minLength: 1},
      },
      if: {not: {properties: {statusCode: {const: 0}}}},
      then: {required: ['statusMessage']},
    },
    seeds: [
      {statusCode: 0},
      {statusCode: 3, statusMessage: 'Invalid parameter'},
      {statusCode: 6, statusMessage: 'Ünauthorized ✓'},
    ],
  },
  {
    description: 'Web Services v2 operation result: oneOf on status const ok | error',
    schema: {
      $schema: S,
      oneOf: [
        {
          type: 'object',
          properties: {status: {const: 'ok'}},
          required: ['status'],
          not: {required: ['errorDescription']},
        },
        {
          type: 'object',
          properties: {status: {const: 'error'}, errorDescription: {type: 'string', minLength: 1}},
          required: ['status', 'errorDescription'],
        },
      ],
    },
    seeds: [
      {status: 'ok'},
      {status: 'error', errorDescription: 'User not found'},
      {status: 'ok', id: 12},
    ],
  },
  {
    description: 'Web Services v2 users list: nested $ref/$defs',
    schema: {
      $schema: S,
      type: 'object',
      required: ['statusCode', 'users'],
      properties: {
        statusCode: {const: 0},
        users: {type: 'array', items: {$ref: '#/$defs/User'}},
        totalCount: {type: 'integer', minimum: 0},
      },
      $defs: {
        User: {
          type: 'object',
          required: ['id', 'userName'],
          properties: {
            id: {$ref: '#/$defs/Id'},
            userName: {type: 'string', minLength: 1, maxLength: 64},
            firstName: {type: 'string'},
            enabled: {type: 'boolean'},
            skills: {type: 'array', items: {$ref: '#/$defs/Skill'}},
          },
        },
        Skill: {
          type: 'object',
          required: ['name', 'level'],
          properties: {name: {type: 'string'}, level: {type: 'integer', minimum: 0, maximum: 10}},
          additionalProperties: false,
        },
        Id: {type: 'string', pattern: '^[0-9A-F]{32}$'},
      },
    },
    seeds: [
      {statusCode: 0, users: [], totalCount: 0},
      {
        statusCode: 0,
        users: [{
          id: '0123456789ABCDEF0123456789ABCDEF',
          userName: 'kim',
          enabled: true,
          skills: [{name: 'Sales', level: 10}, {name: 'Français', level: 0}],
        }],
      },
    ],
  },
  {
    description: 'API gateway 403 body: {"message":"Forbidden"} only',
    schema: {
      $schema: S,
      type: 'object',
      properties: {message: {const: 'Forbidden'}},
      required: ['message'],
      additionalProperties: false,
    },
    seeds: [{message: 'Forbidden'}],
  },
  {
    description: 'CometD-like tuple: prefixItems [channel, id, object], items false',
    schema: {
      $schema: S,
      type: 'array',
      prefixItems: [
        {type: 'string', pattern: '^/'},
        {type: 'integer', minimum: 1},
        {type: 'object'},
      ],
      items: false,
      minItems: 2,
    },
    seeds: [['/meta/handshake', 1], ['/statistics/v3/updates', 42, {data: {}}]],
  },
  {
    description: 'Measurement row: prefixItems [string, integer] then items number',
    schema: {
      $schema: S,
      type: 'array',
      prefixItems: [{type: 'string', maxLength: 16}, {type: 'integer'}],
      items: {type: 'number', exclusiveMinimum: -1000, maximum: 1000},
    },
    seeds: [['p99', 3, 1.5, -999.5, 1000], ['x', -1], []],
  },
  {
    description: 'Event list: contains error, minContains 1, maxContains 3',
    schema: {
      $schema: S,
      type: 'array',
      items: {type: 'object', required: ['type'], properties: {type: {type: 'string'}}},
      contains: {properties: {type: {const: 'error'}}},
      minContains: 1,
      maxContains: 3,
      maxItems: 8,
    },
    seeds: [
      [{type: 'error', code: 1}],
      [{type: 'info'}, {type: 'error'}, {type: 'error'}, {type: 'warning'}],
    ],
  },
  {
    description: 'Array with contains and minContains 0 (contains never fails)',
    schema: {$schema: S, type: 'array', contains: {type: 'integer'}, minContains: 0, maxContains: 2},
    seeds: [[], ['a', 1], [1, 2, 'x']],
  },
  {
    description: 'Statistics values: patternProperties, additionalProperties false',
    schema: {
      $schema: S,
      type: 'object',
      patternProperties: {
        '^[A-Za-z][A-Za-z0-9_]*$': {type: 'number', minimum: 0},
        '^x-': {},
      },
      additionalProperties: false,
      minProperties: 1,
    },
    seeds: [
      {TotalCalls: 12, Avg_Handle_Time: 3.25},
      {'x-trace': 'abc', calls2: 0},
    ],
  },
  {
    description: 'patternProperties with non-ASCII names and \\w, \\d classes',
    schema: {
      $schema: S,
      type: 'object',
      patternProperties: {
        '^\\w+$': {type: 'string'},
        '^\\d+$': {type: 'integer'},
        'é': {type: 'boolean'},
      },
      additionalProperties: {type: 'null'},
    },
    seeds: [{abc: 'x', 12: 'y'}, {'café': true}, {'日本': null}],
  },
  {
    description: 'unevaluatedProperties false across allOf + $ref base',
    schema: {
      $schema: S,
      allOf: [
        {$ref: '#/$defs/Resource'},
        {properties: {name: {type: 'string'}, tags: {type: 'array', items: {type: 'string'}}}},
      ],
      unevaluatedProperties: false,
      $defs: {
        Resource: {
          type: 'object',
          required: ['id', 'type'],
          properties: {id: {type: 'string'}, type: {enum: ['agent', 'queue', 'skill']}},
        },
      },
    },
    seeds: [
      {id: 'a', type: 'agent', name: 'Ann'},
      {id: 'q', type: 'queue', tags: ['vip', 'ünicode']},
    ],
  },
  {
    description: 'unevaluatedProperties false with if/then/else and anyOf',
    schema: {
      $schema: S,
      type: 'object',
      properties: {kind: {enum: ['email', 'chat']}},
      required: ['kind'],
      if: {properties: {kind: {const: 'email'}}},
      then: {properties: {subject: {type: 'string'}, to: {type: 'array', items: {type: 'string'}}}},
      else: {properties: {nickname: {type: 'string'}}},
      anyOf: [{properties: {priority: {type: 'integer'}}}, {required: ['urgent']}],
      unevaluatedProperties: false,
    },
    seeds: [
      {kind: 'email', subject: 'Hi', to: ['a@b.c'], priority: 1},
      {kind: 'chat', nickname: 'bob'},
      {kind: 'chat', urgent: true},
    ],
  },
  {
    description: 'unevaluatedItems false after prefixItems in allOf and anyOf',
    schema: {
      $schema: S,
      type: 'array',
      prefixItems: [{type: 'string'}],
      allOf: [{prefixItems: [true, {type: 'boolean'}]}],
      anyOf: [{prefixItems: [true, true, {type: 'integer'}]}, {maxItems: 2}],
      unevaluatedItems: false,
    },
    seeds: [['h', true, 1], ['a', false], ['x']],
  },
  {
    description: 'Webhook subscription: dependentRequired and dependentSchemas',
    schema: {
      $schema: S,
      type: 'object',
      required: ['channel'],
      properties: {
        channel: {type: 'string', minLength: 1},
        callbackUrl: {type: 'string'},
        secret: {type: 'string', minLength: 8},
        retries: {type: 'integer', minimum: 0, maximum: 5},
      },
      dependentRequired: {callbackUrl: ['secret'], retries: ['callbackUrl']},
      dependentSchemas: {secret: {properties: {channel: {pattern: '^tpm-'}}}},
    },
    seeds: [
      {channel: 'email'},
      {channel: 'tpm-1', callbackUrl: 'https://h/cb', secret: '12345678', retries: 3},
    ],
  },
  {
    description: 'enum and const of mixed types (null, objects, arrays, 1 vs 1.0)',
    schema: {
      $schema: S,
      type: 'object',
      properties: {
        mode: {enum: ['NORMAL', 'AUTO', null, 1, [1, 'a'], {x: 1}]},
        version: {const: 1.0},
        flags: {const: {on: true, list: [1, 2]}},
      },
    },
    seeds: [
      {mode: 'AUTO', version: 1},
      {mode: null, flags: {on: true, list: [1, 2]}},
      {mode: [1, 'a'], version: 1.0},
      {mode: {x: 1}},
    ],
  },
  {
    description: 'Numeric bounds: exclusiveMinimum, maximum, multipleOf 0.01 and 5',
    schema: {
      $schema: S,
      type: 'object',
      properties: {
        percent: {type: 'number', exclusiveMinimum: 0, maximum: 100, multipleOf: 0.01},
        interval: {type: 'integer', multipleOf: 5, minimum: 5, exclusiveMaximum: 3600},
        ratio: {type: 'number', minimum: -1, maximum: 1},
        weight: {multipleOf: 0.5},
      },
    },
    seeds: [
      {percent: 99.99, interval: 60, ratio: 0, weight: 2.5},
      {percent: 0.01, interval: 3595, ratio: -1},
      {percent: 100, ratio: 1, weight: 0},
    ],
  },
  {
    description: 'Large and tiny numbers: multipleOf 1e-8, bounds at 2^53 and -2^31',
    schema: {
      $schema: S,
      type: 'array',
      items: {
        anyOf: [
          {type: 'integer', minimum: -2147483648, maximum: 9007199254740992},
          {type: 'number', multipleOf: 1e-8, maximum: 1},
        ],
      },
    },
    seeds: [[0, 1, -2147483648, 9007199254740992], [0.5, 1e-8, 0.12345678]],
  },
  {
    description: 'String lengths with non-ASCII (code points, not UTF-16 units)',
    schema: {
      $schema: S,
      type: 'object',
      properties: {
        displayName: {type: 'string', minLength: 2, maxLength: 5},
        initials: {type: 'string', maxLength: 2},
        note: {type: 'string', minLength: 1, maxLength: 1},
      },
      required: ['displayName'],
    },
    seeds: [
      {displayName: 'Zoë', initials: 'ZÖ'},
      {displayName: '日本語テキ', note: '😀'},
      {displayName: '😀😀', initials: '🎉', note: 'é'},
    ],
  },
  {
    description: 'uniqueItems on numbers, strings and objects',
    schema: {
      $schema: S,
      type: 'object',
      properties: {
        ids: {type: 'array', uniqueItems: true, items: {type: 'number'}},
        skills: {type: 'array', uniqueItems: true},
        names: {type: 'array', uniqueItems: true, items: {type: 'string'}, maxItems: 4},
      },
    },
    seeds: [
      {ids: [1, 2, 3.5], skills: [{a: 1}, {a: 2}, [1], 'x'], names: ['a', 'A', 'é']},
      {ids: [], skills: [1, '1', true, null, {}]},
    ],
  },
  {
    description: 'Statistics subscription request (nested required, enums, minItems)',
    schema: {
      $schema: S,
      type: 'object',
      required: ['operationId', 'data'],
      properties: {
        operationId: {type: 'string', pattern: '^[0-9a-fA-F-]{36}$'},
        data: {
          type: 'object',
          required: ['statistics'],
          properties: {
            statistics: {
              type: 'array',
              minItems: 1,
              maxItems: 3,
              items: {
                type: 'object',
                required: ['statisticId', 'definition'],
                properties: {
                  statisticId: {type: 'string', minLength: 1},
                  definition: {
                    type: 'object',
                    required: ['notificationMode', 'subject'],
                    properties: {
                      notificationMode: {enum: ['Periodical', 'Immediate', 'ChangesBased']},
                      subject: {enum: ['DNStatus', 'AgentStatus', 'GroupStatus']},
                      insensitivity: {type: 'integer', minimum: 0},
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
    seeds: [{
      operationId: '01234567-89ab-cdef-0123-456789abcdef',
      data: {
        statistics: [{
          statisticId: 's1',
          definition: {notificationMode: 'Immediate', subject: 'AgentStatus', insensitivity: 5},
        }],
      },
    }],
  },
  {
    description: 'Header map: propertyNames pattern, maxProperties, string values',
    schema: {
      $schema: S,
      type: 'object',
      propertyNames: {pattern: '^[A-Za-z0-9-]+$', maxLength: 20},
      additionalProperties: {type: 'string'},
      maxProperties: 4,
    },
    seeds: [{'Content-Type': 'application/json', 'X-Hub-Signature': 'sha1=ab'}, {}],
  },
  {
    description: 'Recursive routing tree: $ref to itself through $defs',
    schema: {
      $schema: S,
      $ref: '#/$defs/Node',
      $defs: {
        Node: {
          type: 'object',
          required: ['name'],
          properties: {
            name: {type: 'string', minLength: 1},
            children: {type: 'array', items: {$ref: '#/$defs/Node'}, maxItems: 3},
          },
          additionalProperties: false,
        },
      },
    },
    seeds: [
      {name: 'root', children: [{name: 'a'}, {name: 'b', children: [{name: 'c', children: []}]}]},
      {name: 'leaf'},
    ],
  },
  {
    // ajv resolves $dynamicAnchor only at the root of a schema resource (the suite part shows
    // where it deviates), so this extension keeps its anchors there, as the spec's example does.
    description: 'Strict routing tree: $dynamicRef extension with unevaluatedProperties',
    schema: {
      $schema: S,
      $id: 'https://example.com/schemas/strict-node',
      $dynamicAnchor: 'node',
      $ref: 'node',
      unevaluatedProperties: false,
      $defs: {
        node: {
          $id: 'node',
          $dynamicAnchor: 'node',
          type: 'object',
          required: ['name'],
          properties: {
            name: {type: 'string'},
            queue: {type: 'string'},
            children: {type: 'array', items: {$dynamicRef: '#node'}},
          },
        },
      },
    },
    seeds: [
      {name: 'root', children: [{name: 'sales', queue: 'q1'}, {name: 'support', children: []}]},
      {name: 'leaf'},
    ],
  },
  {
    description: 'Contact: anyOf email | phone, not (deleted true), nullable type arrays',
    schema: {
      $schema: S,
      type: 'object',
      properties: {
        email: {type: ['string', 'null'], minLength: 3},
        phone: {type: ['string', 'null'], pattern: '^\\+?[0-9 ]{3,}$'},
        deleted: {type: 'boolean'},
      },
      anyOf: [{required: ['email']}, {required: ['phone']}],
      not: {properties: {deleted: {const: true}}, required: ['deleted']},
    },
    seeds: [
      {email: 'a@b.c'},
      {phone: '+33 1 23 45 67', deleted: false},
      {email: null, phone: null},
    ],
  },
  {
    description: 'Interaction: format is an annotation only; pattern on date-time',
    schema: {
      $schema: S,
      type: 'object',
      required: ['id', 'createdAt'],
      properties: {
        id: {type: 'string', format: 'uuid'},
        createdAt: {type: 'string', format: 'date-time', pattern: '^\\d{4}-\\d{2}-\\d{2}T'},
        email: {type: 'string', format: 'email'},
      },
    },
    seeds: [
      {id: 'not-a-uuid', createdAt: '2024-02-30T25:61:00Z', email: 'nope'},
      {id: '3f2504e0-4f89-11d3-9a0c-0305e82c3301', createdAt: '2024-01-01T00:00:00Z'},
    ],
  },
  {
    description: 'Map of mailboxes: additionalProperties schema, boolean subschemas',
    schema: {
      $schema: S,
      type: 'object',
      properties: {internal: false, version: true},
      additionalProperties: {
        type: 'object',
        required: ['address'],
        properties: {address: {type: 'string'}, quota: {type: 'integer', minimum: 0}},
      },
      minProperties: 1,
    },
    seeds: [{support: {address: 'support@x', quota: 10}, version: 'v1'}, {sales: {address: 's'}}],
  },
  {
    description: 'Third-Party Messaging: messages oneOf by type const, nested arrays',
    schema: {
      $schema: S,
      type: 'object',
      required: ['channel', 'messages'],
      properties: {
        channel: {
          type: 'object',
          required: ['id', 'type'],
          properties: {id: {type: 'string'}, type: {enum: ['whatsapp', 'sms', 'custom']}},
        },
        messages: {
          type: 'array',
          minItems: 1,
          items: {
            oneOf: [
              {
                type: 'object',
                required: ['type', 'text'],
                properties: {type: {const: 'text'}, text: {type: 'string', maxLength: 4096}},
              },
              {
                type: 'object',
                required: ['type', 'attachments'],
                properties: {
                  type: {const: 'attachment'},
                  attachments: {
                    type: 'array',
                    items: {type: 'object', required: ['url'], properties: {url: {type: 'string'}}},
                    minItems: 1,
                  },
                },
              },
            ],
          },
        },
      },
    },
    seeds: [{
      channel: {id: 'c1', type: 'sms'},
      messages: [{type: 'text', text: 'héllo'}, {type: 'attachment', attachments: [{url: 'u'}]}],
    }],
  },
  {
    description: 'Paged response: allOf of two $defs, minimum/maximum on limits',
    schema: {
      $schema: S,
      allOf: [{$ref: '#/$defs/Envelope'}, {$ref: '#/$defs/Paging'}],
      $defs: {
        Envelope: {
          type: 'object',
          required: ['status'],
          properties: {status: {type: 'object', properties: {code: {type: 'integer'}}}},
        },
        Paging: {
          properties: {
            offset: {type: 'integer', minimum: 0},
            limit: {type: 'integer', minimum: 1, maximum: 500},
            total: {type: 'integer', minimum: 0},
          },
          dependentRequired: {offset: ['limit']},
        },
      },
    },
    seeds: [{status: {code: 0}, offset: 0, limit: 500, total: 1000}, {status: {}}],
  },
];

// ---------------------------------------------------------------------------------------------
// The generator: seeded (xorshift32), so every run produces the same documents.

function make_random(seed) {
  let state = seed >>> 0 || 0x9e3779b9;
  const next = () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 4294967296;
  };
  return {
    next,
    int: (n) => Math.floor(next() * n),
    pick: (list) => list[Math.floor(next() * list.length)],
    chance: (p) => next() < p,
  };
}

// FNV-1a, so that each schema's stream depends on its description only, not on its position.
function hash(text) {
  let h = 0x811c9dc5;
  for (const c of Buffer.from(text, 'utf8')) h = Math.imul(h ^ c, 0x01000193) >>> 0;
  return h;
}

const numeric_keywords = new Set(['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum',
  'multipleOf', 'minLength', 'maxLength', 'minItems', 'maxItems', 'minContains', 'maxContains',
  'minProperties', 'maxProperties']);

// Names, values and boundary numbers that the schema mentions: mutations aimed at its edges.
function collect_pools(schema) {
  const names = new Set(['extra', 'x-custom', 'ünïcode', '', 'id', 'type', 'status', 'data']);
  const values = [];
  const numbers = new Set([0, 1, -1, 0.1, 0.3, 0.07, 1.5, 1e-9, 5e-324, 2 ** 31, -(2 ** 31) - 1,
    2 ** 53, 2 ** 53 + 2, 1e21, -1e21, 1e308, 99.995, 100.01, 3599.999, 10.0000000001,
    19.990000001, 1000000.0005]);
  const walk = (node) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node === null || typeof node !== 'object') return;
    for (const [k, v] of Object.entries(node)) {
      if (['properties', 'patternProperties', 'dependentRequired', 'dependentSchemas']
              .includes(k)) {
        Object.keys(v).forEach((n) => names.add(n));
      }
      if (k === 'required' && Array.isArray(v)) v.forEach((n) => names.add(n));
      if (k === 'const') values.push(v);
      if (k === 'enum' && Array.isArray(v)) values.push(...v);
      if (numeric_keywords.has(k) && typeof v === 'number') {
        for (const d of [0, 1, -1, 0.5, -0.5, 0.01, -0.01]) numbers.add(v + d);
        numbers.add(v * 2);
        numbers.add(v * 3);
        numbers.add(-v);
      }
      if (k === 'multipleOf' && typeof v === 'number') {  // near misses, far from 0 and close to it
        numbers.add(v * 1e6 + v * 1e-4);
        numbers.add(v * 3 + v * 1e-10);
        numbers.add(v * 7 + v * 1e-7);
      }
      walk(v);
    }
  };
  walk(schema);
  const strings = ['', 'a', 'ab', 'abc', 'é', 'e\u0301', 'Zoë', '日本語', '😀', '😀😀😀', 'ß',
    'Forbidden', 'forbidden', 'ok', 'ok ', 'error', '/meta', '0', '12', '٣', 'true', 'null',
    'x-a', 'A_1', '1abc', 'tab\there', 'nul\u0000', 'x'.repeat(64), 'y'.repeat(65),
    'é'.repeat(4097), '0123456789ABCDEF0123456789ABCDEF', '0123456789abcdef0123456789abcdef',
    '2024-01-01T00:00:00Z', ...names];
  for (const v of values) if (typeof v === 'string') strings.push(v);
  return {names: [...names], values, numbers: [...numbers].filter(Number.isFinite), strings};
}

const alphabets = ['abcXYZ019_-', 'éüßçñ', '日本語中文', '😀🎉👍'];

// A string of exactly n code points, drawn from one or more alphabets.
function string_of(random, n) {
  let out = '';
  for (let i = 0; i < n; i++) out += random.pick(Array.from(random.pick(alphabets)));
  return out;
}

function random_scalar(random, pools) {
  switch (random.int(7)) {
    case 0: return null;
    case 1: return random.chance(0.5);
    case 2: return random.pick(pools.numbers);
    case 3: return random.int(2000) - 1000;
    case 4: return random.pick(pools.strings);
    case 5: return string_of(random, random.int(8));
    default: return pools.values.length ? clone(random.pick(pools.values)) : 0;
  }
}

function random_value(random, pools, depth = 0) {
  const kind = depth > 1 ? 0 : random.int(5);
  if (kind === 3) {
    return Array.from({length: random.int(4)}, () => random_value(random, pools, depth + 1));
  }
  if (kind === 4) {
    const out = {};
    for (let i = random.int(4); i > 0; i--) {
      out[random.pick(pools.names)] = random_value(random, pools, depth + 1);
    }
    return out;
  }
  return random_scalar(random, pools);
}

const clone = (v) => (v === undefined ? v : JSON.parse(JSON.stringify(v)));

function all_paths(value, prefix = [], out = []) {
  out.push(prefix);
  if (value !== null && typeof value === 'object') {
    for (const k of Object.keys(value)) all_paths(value[k], [...prefix, k], out);
  }
  return out;
}

function get_at(value, p) {
  for (const k of p) {
    if (value === null || typeof value !== 'object' || !(k in value)) return undefined;
    value = value[k];
  }
  return value;
}

function set_at(root, p, v) {
  if (p.length === 0) return v;
  get_at(root, p.slice(0, -1))[p[p.length - 1]] = v;
  return root;
}

function tweak_number(random, n, pools) {
  switch (random.int(8)) {
    case 0: return n + 1;
    case 1: return n - 1;
    case 2: return -n;
    case 3: return n + 0.5;
    case 4: return n * 10;
    case 5: return Math.round(n / 5) * 5;
    case 6: return String(n);
    default: return random.pick(pools.numbers);
  }
}

function tweak_string(random, s, pools) {
  const points = Array.from(s);
  switch (random.int(8)) {
    case 0: return points.slice(0, Math.max(0, points.length - 1)).join('');
    case 1: return s + string_of(random, 1);
    case 2: return string_of(random, points.length);
    case 3: return s.toUpperCase();
    case 4: return string_of(random, random.pick(pools.numbers.filter((n) => Number.isInteger(n) && n >= 0 && n < 12)));
    case 5: return Number(s) || 0;
    case 6: return '';
    default: return random.pick(pools.strings);
  }
}

// One mutation at a random place of the document; returns the (possibly new) root.
function mutate(random, doc, seeds, pools) {
  const p = random.pick(all_paths(doc));
  const target = get_at(doc, p);
  const op = random.int(10);
  if (op === 0) return set_at(doc, p, random_value(random, pools));
  if (op === 1 && pools.values.length) return set_at(doc, p, clone(random.pick(pools.values)));
  if (op === 2) {  // crossover: the value another seed has at the same place (often valid)
    const other = get_at(random.pick(seeds), p);
    if (other !== undefined) return set_at(doc, p, clone(other));
  }
  if (typeof target === 'number') return set_at(doc, p, tweak_number(random, target, pools));
  if (typeof target === 'string') return set_at(doc, p, tweak_string(random, target, pools));
  if (Array.isArray(target)) {
    const i = random.int(target.length + 1);
    switch (random.int(6)) {
      case 0: target.splice(i, 1); break;
      case 1: if (target.length) target.push(clone(target[random.int(target.length)])); break;
      case 2: target.splice(i, 0, random_value(random, pools, 1)); break;
      case 3: target.length = 0; break;
      case 4: target.reverse(); break;
      default: if (target.length) target.splice(i, 0, clone(random.pick(target)));
    }
    return doc;
  }
  if (target !== null && typeof target === 'object') {
    const keys = Object.keys(target);
    switch (random.int(4)) {
      case 0: if (keys.length) delete target[random.pick(keys)]; break;
      case 1: target[random.pick(pools.names)] = random_value(random, pools, 1); break;
      case 2: target[string_of(random, 1 + random.int(3))] = random_scalar(random, pools); break;
      default:
        if (keys.length) {  // rename a property
          const k = random.pick(keys);
          target[random.pick(pools.names)] = target[k];
          delete target[k];
        }
    }
    return doc;
  }
  return set_at(doc, p, random_scalar(random, pools));
}

// The seeds themselves, then mutants with 1 to 3 mutations, without duplicates. JSON round trip:
// both validators see exactly the values the batch file carries.
function generate(entry) {
  const random = make_random(hash(entry.description));
  const pools = collect_pools(entry.schema);
  const seen = new Set();
  const out = [];
  const add = (doc) => {
    const text = JSON.stringify(doc);
    if (text === undefined || seen.has(text)) return;
    seen.add(text);
    out.push(JSON.parse(text));
  };
  entry.seeds.forEach(add);
  for (let attempt = 0; out.length < samples_per_schema && attempt < 50 * samples_per_schema;
    attempt++) {
    let doc = clone(random.pick(entry.seeds));
    for (let m = 1 + random.int(3); m > 0; m--) doc = mutate(random, doc, entry.seeds, pools);
    add(doc);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Running both sides and comparing.

// Canonical text (sorted keys) to match instances against known-ajv-differences.json.
function canonical(v) {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`)
        .join(',')}}`;
  }
  return JSON.stringify(v);
}

function load_known() {
  const file = path.join(__dirname, 'known-ajv-differences.json');
  const list = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (!Array.isArray(list)) throw new Error(`${file}: expected an array`);
  const known = new Map();
  list.forEach((k, i) => {
    const instances = 'instance' in k ? [k.instance] : k.instances;
    if (typeof k.schema !== 'string' || !Array.isArray(instances) ||
        typeof k.reason !== 'string' || k.reason.trim() === '') {
      throw new Error(`${file}: entry ${i} needs "schema" (a description), "instance" or ` +
                      `"instances", and a non-empty "reason"`);
    }
    for (const instance of instances) {
      known.set(`${k.schema}\n${canonical(instance)}`, {schema: k.schema, instance, reason: k.reason});
    }
  });
  return known;
}

function run_ours(groups) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cxh-ajv-'));
  const batch = path.join(dir, 'batch.json');
  try {
    fs.writeFileSync(batch, `[${groups.map((g) => g.batch_text).join(',\n')}]`);
    const run = child_process.spawnSync(
        binary, ['--remotes', path.join(suite_dir, 'remotes'), batch],
        {encoding: 'utf8', maxBuffer: 1 << 30});
    if (run.error) throw new Error(`cannot run ${binary}: ${run.error.message}`);
    if (run.status !== 0) {
      throw new Error(`${binary} exited with ${run.status}${run.signal ? ` (${run.signal})` : ''}` +
                      `: ${run.stderr}`);
    }
    const out = JSON.parse(run.stdout);
    if (!Array.isArray(out) || out.length !== groups.length) {
      throw new Error(`${binary} printed ${out.length} results for ${groups.length} groups`);
    }
    return out;
  } finally {
    fs.rmSync(dir, {recursive: true, force: true});
  }
}

const verdict = (v) => (v === true ? 'valid' : v === false ? 'invalid' : String(v));
function show(instance) {
  const text = JSON.stringify(instance);
  return text.length <= 600 ? text : `${text.slice(0, 600)}... (${text.length} characters)`;
}

function main() {
  if (!fs.existsSync(binary)) throw new Error(`no such program: ${binary}`);
  if (!fs.existsSync(path.join(suite_dir, 'tests', 'draft2020-12'))) {
    throw new Error(`no JSON-Schema-Test-Suite at ${suite_dir}`);
  }
  const known = load_known();
  const remotes = load_remotes();
  const groups = suite_groups();
  for (const entry of generated_schemas) {
    const instances = generate(entry);
    groups.push({
      part: 'b',
      description: entry.description,
      schema: entry.schema,
      instances,
      batch_text: JSON.stringify(
          {schema: entry.schema, instances, draft: '2020-12', remotes: false}),
    });
  }
  const ours = run_ours(groups);

  const tally = {agreements: 0, disagreements: 0, ajv_deviations: 0, known: 0, failures: 0,
    suite_failures: 0, internal: 0};
  const used_known = new Set();
  groups.forEach((g, gi) => {
    const mine = ours[gi];
    const theirs = ajv_verdicts(g, g.part === 'a' ? remotes : []);
    if (!mine.compiled) {
      console.log(`[${g.part}] ${g.description}: our compiler rejected the schema: ${mine.error}`);
    }
    if (g.ajv_error && g.part === 'b') {
      console.log(`[b] ${g.description}: ajv cannot compile the schema: ${g.ajv_error}`);
    }
    for (const i of mine.internal_mismatch || []) {
      tally.internal++;
      console.log(`INTERNAL MISMATCH [${g.part}] ${g.description}: is_valid and validate() ` +
                  `differ on ${show(g.instances[i])}`);
    }
    for (const e of mine.internal_error || []) {
      tally.internal++;
      console.log(`INTERNAL ERROR [${g.part}] ${g.description}: ${e.what} on ` +
                  `${show(g.instances[e.index])}`);
    }
    g.instances.forEach((instance, i) => {
      const our = mine.results[i];
      const ajv = theirs[i];
      const what = g.part === 'a' ? `${g.description} :: ${g.test_descriptions[i]}` : g.description;
      const line = `${what}\n    instance: ${show(instance)}\n    ajv: ${verdict(ajv)}, ours: ` +
                   verdict(our);
      if (g.part === 'a') {
        const expected = g.expected[i];
        if (our !== expected) {
          tally.failures++;
          if (ajv === our) tally.suite_failures++;
          else tally.disagreements++;
          console.log(`FAILURE (ours differs from the suite, which says ${verdict(expected)}): ` +
                      line);
        } else if (ajv !== expected) {
          tally.disagreements++;
          tally.ajv_deviations++;
          console.log(`ajv deviation (the suite agrees with ours): ${line}`);
        } else {
          tally.agreements++;
        }
        return;
      }
      if (our === ajv) {
        tally.agreements++;
        return;
      }
      tally.disagreements++;
      const key = `${g.description}\n${canonical(instance)}`;
      if (known.has(key)) {
        used_known.add(key);
        tally.ajv_deviations++;
        tally.known++;
        console.log(`known ajv difference: ${line}\n    reason: ${known.get(key).reason}`);
      } else {
        tally.failures++;
        console.log(`DISAGREEMENT: ${line}`);
      }
    });
    if (g.part === 'b') {
      const valid = theirs.filter((v) => v === true).length;
      console.log(`  generated: ${g.description}: ${g.instances.length} instances, ` +
                  `${valid} valid for ajv`);
    }
  });
  let stale = 0;
  for (const [key, k] of known) {
    if (!used_known.has(key)) {
      stale++;
      console.log(`STALE known-ajv-differences.json entry (no longer differs): ${k.schema}: ` +
                  show(k.instance));
    }
  }
  console.log(`ajv differential: ${tally.agreements} agreements, ${tally.disagreements} ` +
              `disagreements (${tally.ajv_deviations} ajv deviations, ${tally.known} of them ` +
              `listed as known); ${tally.failures} where ours is wrong, ${tally.internal} ` +
              `internal mismatches, ${stale} stale known entries`);
  return tally.failures === 0 && tally.internal === 0 && stale === 0 ? 0 : 1;
}

try {
  process.exitCode = main();
} catch (e) {
  console.log(`ajv differential: cannot run: ${e.message}`);
  process.exitCode = 1;
}
