#include <cxh/reporters/reporters.hpp>
#include <nlohmann/json.hpp>

#include "text.hpp"

namespace cxh::reporters {

namespace {

// The page's behaviour: renders the embedded run (filters, cases, coverage, requirements).
constexpr const char* page_script = R"JS(
(function () {
  'use strict';
  var run = JSON.parse(document.getElementById('run-data').textContent);
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  var list = document.getElementById('cases');
  var tagSelect = document.getElementById('tag');
  var search = document.getElementById('search');
  var tags = {};
  run.cases.forEach(function (c) { c.tags.forEach(function (t) { tags[t] = true; }); });
  Object.keys(tags).sort().forEach(function (t) {
    var o = el('option', '', t); o.value = t; tagSelect.appendChild(o);
  });
  function exchange(h) {
    var box = el('div', 'exchange');
    box.appendChild(el('div', 'req', h.method + ' ' + h.url + '  ->  ' + (h.status || 'no answer') +
                       '  (' + h.elapsed_ms.toFixed(1) + ' ms)'));
    if (h.request_body) box.appendChild(el('pre', '', h.request_body));
    var heads = h.response_headers.map(function (x) { return x.name + ': ' + x.value; }).join('\n');
    if (heads) box.appendChild(el('pre', 'headers', heads));
    if (h.response_body) box.appendChild(el('pre', '', h.response_body));
    return box;
  }
  run.cases.forEach(function (c, i) {
    var row = el('details', 'case ' + c.result);
    row.dataset.result = c.result;
    row.dataset.tags = c.tags.join(' ');
    row.dataset.text = (c.suite + ' ' + c.name + ' ' + c.tags.join(' ')).toLowerCase();
    var sum = el('summary');
    sum.appendChild(el('span', 'badge ' + c.result, c.result == 'finding' ? c.level + ' finding' : c.result));
    sum.appendChild(el('span', 'name', c.suite + ' / ' + c.name));
    sum.appendChild(el('span', 'time', Math.round(c.elapsed_ms) + ' ms'));
    row.appendChild(sum);
    row.appendChild(el('div', 'file', c.file));
    if (c.requirements.length) {
      row.appendChild(el('div', 'reqs', c.requirements.map(function (r) {
        return r.id + ' (' + r.level + (r.cite.length ? ' ' + r.cite.join(', ') : '') + ')'; }).join(', ')));
    }
    if (c.error) row.appendChild(el('div', 'error', c.error));
    c.steps.forEach(function (s) {
      var st = el('div', 'step ' + s.result);
      st.appendChild(el('h4', '', s.name + (s.operation_key ? '  —  ' + s.operation_key : '')));
      if (s.error) st.appendChild(el('div', 'error', (s.result == 'not_run' ? 'not run: ' : '') + s.error));
      var table = el('table', 'checks');
      s.checks.forEach(function (k) {
        var tr = el('tr', k.passed ? 'pass' : 'fail');
        tr.appendChild(el('td', '', k.passed ? '✓' : '✗'));
        tr.appendChild(el('td', '', k.level));
        tr.appendChild(el('td', '', k.rule));
        tr.appendChild(el('td', '', k.title));
        tr.appendChild(el('td', '', k.passed ? '' : 'expected ' + k.expected + '; actual ' + k.actual +
                          (k.detail ? '\n' + k.detail : '')));
        tr.appendChild(el('td', 'src', k.source));
        table.appendChild(tr);
      });
      st.appendChild(table);
      if (s.http) st.appendChild(exchange(s.http));
      row.appendChild(st);
    });
    list.appendChild(row);
  });
  function apply() {
    var shown = {};
    document.querySelectorAll('input[name=outcome]').forEach(function (b) { shown[b.value] = b.checked; });
    var tag = tagSelect.value, q = search.value.toLowerCase(), visible = 0;
    list.querySelectorAll('.case').forEach(function (row) {
      var ok = shown[row.dataset.result] && (!tag || (' ' + row.dataset.tags + ' ').indexOf(' ' + tag + ' ') >= 0) &&
               (!q || row.dataset.text.indexOf(q) >= 0);
      row.hidden = !ok;
      if (ok) visible++;
    });
    document.getElementById('visible').textContent = visible + ' of ' + run.cases.length + ' cases shown';
  }
  document.querySelectorAll('input[name=outcome]').forEach(function (b) { b.addEventListener('change', apply); });
  tagSelect.addEventListener('change', apply);
  search.addEventListener('input', apply);
  apply();

  var byApi = {};
  run.coverage.forEach(function (e) { (byApi[e.api] = byApi[e.api] || []).push(e); });
  var cov = document.getElementById('coverage');
  Object.keys(byApi).sort().forEach(function (api) {
    var called = byApi[api].filter(function (e) { return e.calls > 0; }).length;
    var box = el('details', 'api');
    box.appendChild(el('summary', '', api + ': ' + called + ' of ' + byApi[api].length + ' operations called'));
    var t = el('table', 'matrix');
    byApi[api].forEach(function (e) {
      var tr = el('tr', e.calls === 0 ? 'uncalled' : e.failed_calls ? 'fail' : 'pass');
      tr.appendChild(el('td', '', e.operation_key));
      tr.appendChild(el('td', '', e.operation_id));
      tr.appendChild(el('td', 'num', String(e.calls)));
      tr.appendChild(el('td', 'num', String(e.failed_calls)));
      tr.appendChild(el('td', 'src', e.source));
      t.appendChild(tr);
    });
    box.appendChild(t);
    cov.appendChild(box);
  });
  var reqs = document.getElementById('requirements');
  run.cases.forEach(function (c) {
    c.requirements.forEach(function (r) {
      var tr = el('tr', c.result === 'passed' ? 'pass' : 'fail');
      [r.id, r.level, r.cite.join(', '), r.text, c.suite + ' / ' + c.name, c.result].forEach(function (v) { tr.appendChild(el('td', '', v)); });
      reqs.appendChild(tr);
    });
  });
})();
)JS";

constexpr const char* page_style = R"CSS(
body{font:14px/1.4 system-ui,sans-serif;margin:0;color:#1d2330;background:#f6f7f9}
header{background:#1d2330;color:#fff;padding:16px 24px}header h1{margin:0 0 4px;font-size:20px}
main{padding:16px 24px}section{margin-bottom:28px}
.totals span{display:inline-block;margin-right:16px;font-weight:600}
.filters{display:flex;gap:16px;align-items:center;flex-wrap:wrap;margin:8px 0}
.case{background:#fff;border:1px solid #d8dce3;border-radius:6px;margin:6px 0;padding:4px 10px}
.case summary{cursor:pointer;display:flex;gap:12px;align-items:center}.case .name{flex:1}
.badge{font-size:12px;padding:1px 8px;border-radius:10px;color:#fff;background:#777}
.badge.passed{background:#2e7d32}.badge.failed{background:#c62828}.badge.errored{background:#6a1b9a}.badge.skipped{background:#9e9e9e}.badge.not_run{background:#616161}.badge.finding{background:#ef6c00}
.file,.reqs,.time,.src{color:#5b6475;font-size:12px}.error{color:#b00020;white-space:pre-wrap}
.step{border-top:1px solid #eceef2;padding:6px 0}.step h4{margin:4px 0;font-size:13px}
table{border-collapse:collapse;width:100%}td{border-bottom:1px solid #eceef2;padding:2px 6px;vertical-align:top;white-space:pre-wrap}
tr.fail td{background:#fdecec}tr.uncalled td{background:#fff8e1}.num{text-align:right}
pre{background:#f1f3f6;padding:6px;overflow:auto;max-height:240px;white-space:pre-wrap;word-break:break-all}
)CSS";

// Attribute and text escaping for HTML: the XML rules (control characters dropped) are valid
// HTML too.
std::string html_escape(std::string_view raw) {
  return detail::xml_escape(raw);
}

// JSON inside <script>: no "<" at all, so neither </script> nor <!-- can appear.
std::string script_safe(const nlohmann::json& j) {
  std::string text = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '<') {
      out += "\\u003c";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

void write_html(const runner::run_result& r, std::ostream& out) {
  auto t = r.count();
  unsigned called = 0;
  for (const auto& e : r.coverage) called += e.calls > 0;
  out << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      << "<meta name=\"viewport\" content=\"width=device-width\">"
      << "<title>cxharness conformance report</title><style>" << page_style
      << "</style></head><body>\n"
      << "<header><h1>Conformance report</h1><div>" << html_escape(r.target) << " &middot; "
      << html_escape(r.started_at) << " &middot; " << static_cast<long long>(r.duration_ms)
      << " ms &middot; cxharness " << html_escape(r.tool_version) << "</div></header>\n<main>\n"
      << "<section class=\"totals\"><span>" << r.cases.size() << " cases</span><span>" << t.passed
      << " passed</span><span>" << t.failed << " failed</span><span>" << t.errored
      << " errored</span><span>" << t.skipped << " skipped</span><span>" << t.not_run
      << " not run</span><span>" << t.findings
      << " findings (SHOULD/MAY/INFO)</span><span>coverage " << called << " / " << r.coverage.size()
      << " operations</span></section>\n"
      << "<noscript><p>The case list, coverage matrix and requirements need JavaScript; the totals "
         "above and the JSON report have everything.</p></noscript>\n"
      << "<section><h2>Cases</h2><div class=\"filters\">"
      << "<label><input type=\"checkbox\" name=\"outcome\" value=\"passed\" checked> passed</label>"
      << "<label><input type=\"checkbox\" name=\"outcome\" value=\"failed\" checked> failed</label>"
      << "<label><input type=\"checkbox\" name=\"outcome\" value=\"errored\" checked> "
         "errored</label>"
      << "<label><input type=\"checkbox\" name=\"outcome\" value=\"skipped\" checked> "
         "skipped</label>"
      << "<label><input type=\"checkbox\" name=\"outcome\" value=\"not_run\" checked> "
         "not run</label>"
      << "<label><input type=\"checkbox\" name=\"outcome\" value=\"finding\" checked> "
         "findings</label>"
      << "<label>tag <select id=\"tag\"><option value=\"\">any</option></select></label>"
      << "<input id=\"search\" type=\"search\" placeholder=\"search cases\">"
      << "<span id=\"visible\"></span></div><div id=\"cases\"></div></section>\n"
      << "<section><h2>Coverage by operation</h2><div id=\"coverage\"></div></section>\n"
      << "<section><h2>Requirements</h2><table><thead><tr><td>id</td><td>level</td><td>cite</"
         "td><td>text</td>"
         "<td>case</td><td>outcome</td></tr></thead><tbody id=\"requirements\"></tbody></table>"
         "</section>\n</main>\n"
      << "<script type=\"application/json\" id=\"run-data\">" << script_safe(to_json(r))
      << "</script>\n"
      << "<script>" << page_script << "</script>\n</body></html>\n";
}

}  // namespace cxh::reporters
