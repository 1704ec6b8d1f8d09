// Differential test of cxh::histogram against hdr-histogram-js 3.0.1 (an independent port of
// HdrHistogram):
//   1. a .hlog written by us is read by HistogramLogReader with identical buckets and statistics;
//   2. a .hlog written by HistogramLogWriter (encodeIntoCompressedBase64) is read by us likewise;
//   3. our .hgrm equals outputPercentileDistribution() for the same samples, byte for byte,
//      except the #[Max] footer value: JS prints its raw internal max there, HdrHistogram (Java,
//      and we) print getMaxValue(), the highest equivalent value of the largest sample.
// usage: node hdr_oracle.js <hdr_oracle_tool> <node_modules dir> <work dir>; exit 77 = skipped.
"use strict";
const fs = require("fs");
const path = require("path");
const { execFileSync } = require("child_process");

const [tool, modules, work] = process.argv.slice(2);
let hdr;
try {
  hdr = require(path.join(path.resolve(modules), "hdr-histogram-js"));
} catch (e) {
  console.log(`hdr-histogram-js not found under ${modules} (run ci/bootstrap): skipped`);
  process.exit(77);
}
fs.mkdirSync(work, { recursive: true });

// Kept in step with kPercentiles and kHgrmSettings in hdr_oracle_tool.cpp.
const PERCENTILES = [0, 0.1, 1, 5, 10, 25, 33.333, 50, 66.6, 75, 90, 95, 99, 99.5, 99.9, 99.99, 99.999, 100];
const HGRM_SETTINGS = [[5, 1], [3, 1000], [10, 1e6], [1, 1]];

// Seeded data (mulberry32), so a failure reproduces.
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
function gauss(r) {
  return Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
}
function dataSets() {
  const r = rng(20240607);
  const sets = [];
  const add = (lowest, highest, digits, tag, n, draw, maxCount = 1) => {
    const samples = [];
    for (let i = 0; i < n; i++) {
      const v = Math.min(highest, Math.max(0, Math.round(draw())));
      samples.push([v, 1 + Math.floor(r() * maxCount)]);
    }
    sets.push({ lowest, highest, digits, tag, samples });
  };
  add(1, 3600000000000, 3, "uniform", 20000, () => r() * 5e6);
  add(1, 3600000000000, 3, "-", 30000, () => Math.exp(9 + 1.5 * gauss(r)));
  add(1000, 10000000000, 2, "bimodal", 20000, () => (r() < 0.07 ? 250000 + 40000 * gauss(r) : 800 + 120 * gauss(r)), 5);
  add(1, 10000000, 5, "five-digits", 10000, () => r() * 1e7);
  add(1, 1000000, 0, "zero-digits", 5000, () => Math.exp(12 * r()));
  add(1, 1000000, 1, "with-zeros", 3000, () => (r() < 0.2 ? 0 : r() * 1e6), 1000);
  add(1, 1000, 3, "empty", 0, () => 0);
  add(1, 1000000000000, 3, "single", 1, () => 1);
  add(1, 1000000000000, 3, "large", 5000, () => 1e12 * Math.pow(r(), 0.1));
  add(16, 3600000000, 2, "lowest-16", 8000, () => Math.exp(4 + 2 * gauss(r)), 3);
  return sets;
}

function makeJs(set) {
  const h = hdr.build({
    lowestDiscernibleValue: set.lowest,
    highestTrackableValue: set.highest,
    numberOfSignificantValueDigits: set.digits,
    bitBucketSize: 64,
    autoResize: false,
    useWebAssembly: false,
  });
  for (const [v, c] of set.samples) h.recordValueWithCount(v, c);
  if (set.tag !== "-") h.tag = set.tag;
  return h;
}

// HdrHistogram's getMaxValue(): the highest equivalent value of the last non-empty bucket. Taken
// from the counts because hdr-histogram-js keeps maxValue as value + unitMagnitudeMask, and after
// decoding adds that mask to an already-highest value, which can point into the next bucket.
function jsMax(h) {
  for (let i = h.countsArrayLength - 1; i >= 0; i--) {
    if (h.getCountAtIndex(i) > 0) return h.highestEquivalentValue(h.valueFromIndex(i));
  }
  return 0;
}

// What our summary holds, computed through the JS API.
function jsSummary(h) {
  const buckets = [];
  for (let i = 0; i < h.countsArrayLength; i++) {
    const c = h.getCountAtIndex(i);
    if (c > 0) buckets.push([h.highestEquivalentValue(h.valueFromIndex(i)), c]);
  }
  const total = h.totalCount;
  const max = jsMax(h);
  const min = total === 0 || h.getCountAtIndex(0) > 0 ? 0 : h.lowestEquivalentValue(h.minNonZeroValue);
  return {
    total,
    min,
    max,
    mean: h.mean,
    stddev: h.stdDeviation,
    percentiles: PERCENTILES.map((p) => [p, total === 0 ? 0 : h.getValueAtPercentile(p)]),
    buckets,
  };
}

// JS's .hgrm with the #[Max] footer value replaced by getMaxValue() (see the header comment).
function jsHgrm(h, ticks, scaling) {
  const text = h.outputPercentileDistribution(ticks, scaling);
  const fmt = new Intl.NumberFormat("en-US", {
    minimumFractionDigits: h.numberOfSignificantValueDigits,
    maximumFractionDigits: h.numberOfSignificantValueDigits,
    useGrouping: false,
  });
  return text.replace(/^#\[Max     = +[^,]*,/m, `#[Max     = ${fmt.format(jsMax(h) / scaling).padStart(12)},`);
}

let failures = 0;
let checks = 0;
function expectEqual(what, ours, theirs) {
  checks++;
  const a = JSON.stringify(ours);
  const b = JSON.stringify(theirs);
  if (a === b) return;
  failures++;
  if (failures > 20) return;
  if (typeof ours === "string" && typeof theirs === "string") {
    const x = ours.split("\n");
    const y = theirs.split("\n");
    const at = x.findIndex((line, i) => line !== y[i]);
    console.log(`FAIL ${what}: first difference at line ${at + 1}:\n  ours: ${JSON.stringify(x[at])}\n  js:   ${JSON.stringify(y[at])}`);
  } else {
    console.log(`FAIL ${what}:\n  ours: ${a.slice(0, 400)}\n  js:   ${b.slice(0, 400)}`);
  }
}
function compareSummary(what, ours, theirs) {
  for (const key of ["total", "min", "max", "mean", "stddev", "percentiles", "buckets"]) {
    expectEqual(`${what}: ${key}`, ours[key], theirs[key]);
  }
}

const sets = dataSets();
const samplesFile = path.join(work, "samples.txt");
fs.writeFileSync(
  samplesFile,
  sets
    .map((s) => `histogram ${s.lowest} ${s.highest} ${s.digits} ${s.tag}\n${s.samples.map(([v, c]) => `${v} ${c}`).join("\n")}\nend\n`)
    .join("")
);
const jsHists = sets.map(makeJs);

// 1 and 3: our log and .hgrm.
const ourLog = path.join(work, "ours.hlog");
const ourJson = path.join(work, "ours.json");
execFileSync(tool, ["record", samplesFile, ourLog, ourJson], { stdio: "inherit" });
const ours = JSON.parse(fs.readFileSync(ourJson, "utf8"));
expectEqual("histograms recorded", ours.length, sets.length);
const reader = new hdr.HistogramLogReader(fs.readFileSync(ourLog, "utf8"), 64);
const baseTimeSec = 1700000000.125;
sets.forEach((set, i) => {
  const name = `[${i} ${set.tag}]`;
  const decoded = reader.nextIntervalHistogram();
  if (!decoded) {
    expectEqual(`${name} JS read interval from our log`, "an interval", null);
    return;
  }
  compareSummary(`${name} our log read by JS`, ours[i], jsSummary(decoded));
  expectEqual(`${name} our log read by JS: tag`, ours[i].tag || "NO TAG", decoded.tag);
  expectEqual(`${name} our log read by JS: start`, decoded.startTimeStampMsec, (baseTimeSec + 2 * i) * 1000);
  expectEqual(`${name} our log read by JS: end`, decoded.endTimeStampMsec, (baseTimeSec + 2 * i + 1.5) * 1000);
  compareSummary(`${name} recorded by us and by JS`, ours[i], jsSummary(jsHists[i]));
  HGRM_SETTINGS.forEach(([ticks, scaling], k) => {
    expectEqual(`${name} hgrm ticks=${ticks} scaling=${scaling}`, ours[i].hgrm[k], jsHgrm(jsHists[i], ticks, scaling));
  });
});
expectEqual("JS reads no more intervals than we wrote", reader.nextIntervalHistogram(), null);

// 2: a log JS writes, read by us.
let jsLogText = "";
const writer = new hdr.HistogramLogWriter((s) => (jsLogText += s));
const jsStartMs = 1700000000123;
writer.outputComment("written by hdr-histogram-js HistogramLogWriter");
writer.outputLogFormatVersion();
writer.outputStartTime(jsStartMs);
writer.outputLegend();
jsHists.forEach((h, i) => writer.outputIntervalHistogram(h, 3 * i, 3 * i + 2.5, 1000));
const jsLog = path.join(work, "js.hlog");
const readJson = path.join(work, "read.json");
fs.writeFileSync(jsLog, jsLogText);
execFileSync(tool, ["read", jsLog, readJson], { stdio: "inherit" });
const read = JSON.parse(fs.readFileSync(readJson, "utf8"));
expectEqual("intervals we read from the JS log", read.length, sets.length);
read.forEach((summary, i) => {
  const name = `[${i} ${sets[i].tag}]`;
  const h = jsHists[i];
  compareSummary(`${name} JS log read by us`, summary, jsSummary(h));
  expectEqual(`${name} JS log read by us: tag`, summary.tag, sets[i].tag === "-" ? "" : sets[i].tag);
  // No BaseTime line and small timestamps: the base is StartTime, as HistogramLogReader deduces.
  expectEqual(`${name} JS log read by us: start`, summary.start_ms, Math.round(jsStartMs + 3000 * i));
  expectEqual(`${name} JS log read by us: end`, summary.end_ms, Math.round(jsStartMs + 3000 * i + 2500));
  HGRM_SETTINGS.forEach(([ticks, scaling], k) => {
    expectEqual(`${name} hgrm of the decoded histogram ticks=${ticks}`, summary.hgrm[k], jsHgrm(h, ticks, scaling));
  });
});

console.log(`hdr-histogram-js oracle: ${checks} checks over ${sets.length} histograms, ${failures} failed`);
process.exit(failures === 0 ? 0 : 1);
