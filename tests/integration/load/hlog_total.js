// Decodes a .hlog with hdr-histogram-js (the reference JS implementation) and prints the total
// count over every interval: the CLI test compares it with the JSON summary's count.
const [modules, file] = process.argv.slice(2);
const hdr = require(modules + '/hdr-histogram-js');
const reader = new hdr.HistogramLogReader(require('fs').readFileSync(file, 'utf8'));
let h, total = 0;
while ((h = reader.nextIntervalHistogram()) !== null) total += h.totalCount;
console.log(total);
