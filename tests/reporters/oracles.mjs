// The reports of three runs (hostile synthetic, clean, unreachable) checked by independent
// consumers. argv: TOOLS SOURCE_DIR CHROMIUM WORK_DIR
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const [tools, src, chromiumPath, work] = process.argv.slice(2);
const require = createRequire(path.join(tools, 'x.js'));
const { parse } = await import(pathToFileURL(path.join(tools, 'junit2json/dist/esm/index.js')).href);
const Ajv2020 = require('ajv/dist/2020').default;
const addFormats = require('ajv-formats');
const { chromium } = require('playwright-core');

let problems = 0;
const fail = (m) => { console.error('FAIL ' + m); problems++; };

const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
const validate = ajv.compile(JSON.parse(fs.readFileSync(path.join(src, 'schemas/report/run-result.schema.json'))));

const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'], timeout: 120000 });
for (const run of ['nasty', 'clean', 'unreachable']) {
  const dir = path.join(work, run);
  const report = JSON.parse(fs.readFileSync(path.join(dir, 'report.json'), 'utf8'));
  if (!validate(report)) fail(`${run}: JSON report invalid: ${ajv.errorsText(validate.errors)}`);
  const t = report.totals;

  // junit2json: the same counts as the JSON report, per outcome.
  const junit = await parse(fs.readFileSync(path.join(dir, 'report.xml'), 'utf8'));
  if (junit.tests !== t.cases || junit.failures !== t.failed || junit.errors !== t.errored ||
      junit.skipped !== t.skipped) {
    fail(`${run}: junit2json read tests=${junit.tests} failures=${junit.failures} errors=${junit.errors} ` +
         `skipped=${junit.skipped}; the run had ${JSON.stringify(t)}`);
  }
  let cases = 0, failures = 0, errors = 0, skipped = 0;
  for (const s of junit.testsuite || []) {
    for (const c of s.testcase || []) {
      cases++;
      if (c.failure) failures++;
      if (c.error) errors++;
      if (c.skipped) skipped++;
    }
  }
  if (cases !== t.cases || failures !== t.failed || errors !== t.errored || skipped !== t.skipped) {
    fail(`${run}: junit2json testcases ${cases}/${failures}/${errors}/${skipped} vs ${JSON.stringify(t)}`);
  }

  // Chromium: no console errors or page errors; the outcome filters hide and show rows.
  const page = await browser.newPage();
  const consoleErrors = [];
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  await page.goto(pathToFileURL(path.join(dir, 'report.html')).href, { timeout: 120000 });
  const rows = await page.locator('#cases .case').count();
  if (rows !== t.cases) fail(`${run}: the page shows ${rows} cases, the run had ${t.cases}`);
  const visible = async () => page.locator('#cases .case:visible').count();
  await page.locator('input[name=outcome][value=passed]').uncheck();
  if (await visible() !== t.cases - t.passed) fail(`${run}: hiding passed cases left ${await visible()}`);
  await page.locator('input[name=outcome][value=passed]').check();
  if (await visible() !== t.cases) fail(`${run}: showing passed cases again gave ${await visible()}`);
  await page.fill('#search', 'no case is named like this');
  if (await visible() !== 0) fail(`${run}: a search for nothing left ${await visible()} rows`);
  await page.fill('#search', '');
  const coverage = await page.locator('#coverage table.matrix tr').count();
  if (coverage !== report.coverage.length) fail(`${run}: coverage matrix has ${coverage} rows, not ${report.coverage.length}`);
  const shot = path.join(dir, 'report.png');
  await page.screenshot({ path: shot, fullPage: false });
  for (const e of consoleErrors) fail(`${run}: console error: ${e}`);
  console.log(`${run}: ${t.cases} cases (${t.passed}/${t.failed}/${t.errored}/${t.skipped}); junit2json, ajv and Chromium agree; screenshot ${shot}`);
  await page.close();
}
await browser.close();
process.exit(problems ? 1 : 0);
