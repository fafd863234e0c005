"""out/ledger.html: the claims ledger as one self-contained page, the
counts `make report` prints, and the headless-Chromium check `make test`
runs on the page.

The page needs no network: styles, script and data are inline, the fonts
are the system's (a Korean-capable stack). Every row opens to the seed
quote, what the kernel does (the note), the cases with their status and
log lines, the source checks with file:line, the mutants its cases kill,
and the kernel and arch of the run. The URL fragment holds the view:
#lang=en&verdict=false&area=mm&ev=source&q=text&open=ID, so a link shows
the same rows (and the browser check drives the page with it).

Python 3 standard library only.
"""
import html
import json
import os
import shutil
import subprocess
import sys
import tempfile
from html.parser import HTMLParser

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import claims  # noqa: E402
import ktap  # noqa: E402
import sources  # noqa: E402

VERDICTS = claims.VERDICTS
EV_KINDS = ('behaviour', 'definition', 'source', 'none')

# label key -> (Korean, English). The claims and notes stay as written.
LABELS = {
    'title': ('kclaims 검증 장부', 'kclaims ledger'),
    'subtitle': ('커널 공부 노트의 주장을 실제 커널(KUnit)로 확인한 결과',
                 'Claims of kernel study notes, checked on the real kernel '
                 'by KUnit'),
    'run': ('실행', 'Run'),
    'kernel': ('커널', 'kernel'),
    'arch_l': ('아키텍처', 'arch'),
    'claims': ('주장', 'claims'),
    'by_area': ('영역별 판정', 'Verdicts by area'),
    'by_verdict': ('판정별', 'By verdict'),
    'by_ev': ('증거 종류별', 'By evidence kind'),
    'area': ('영역', 'Area'),
    'verdict': ('판정', 'Verdict'),
    'ev': ('증거', 'Evidence'),
    'kind': ('필요한 증거', 'Needs'),
    'search': ('검색', 'Search'),
    'all': ('전체', 'all'),
    'id': ('ID', 'ID'),
    'claim': ('주장 (노트 원문)', 'Claim (as the note says)'),
    'result': ('결과', 'Result'),
    'visible': ('표시', 'shown'),
    'quote': ('노트 원문', 'Seed quote'),
    'seed': ('출처', 'seed'),
    'note': ('커널의 실제 동작', 'What the kernel does'),
    'cases': ('KUnit 케이스', 'Cases'),
    'srcchecks': ('소스 검사', 'Source checks'),
    'mutants': ('죽인 뮤턴트', 'Mutants killed'),
    'catalogue': ('첫 카탈로그 판정', 'First catalogue reading'),
    'where': ('확인 환경', 'Shown on'),
    'none': ('없음', 'none'),
    'lang': ('English', '한국어'),
    'legend': ('판정의 뜻', 'What the verdicts mean'),
    'evlegend': ('증거 종류', 'Evidence kinds'),
    'shown': ('확인됨', 'shown'),
    'not shown here': ('여기서는 확인 못 함', 'not shown here'),
    'red': ('실패', 'red'),
    'not run': ('실행 안 됨', 'not run'),
    'holds': ('맞음', 'holds'),
    'nuanced': ('단서 있음', 'nuanced'),
    'outdated': ('옛날 얘기', 'outdated'),
    'false': ('틀림', 'false'),
    'arch': ('아키텍처마다 다름', 'arch'),
    'untestable': ('확인 불가', 'untestable'),
    'behaviour': ('동작', 'behaviour'),
    'definition': ('정의', 'definition'),
    'source': ('소스', 'source'),
    'x_holds': ('커널이 노트에 적힌 대로 동작한다.',
                'The kernel does what the note says.'),
    'x_nuanced': ('대체로 맞지만 단서가 있다 (설명 참고).',
                  'Holds, with a caveat (see the note).'),
    'x_outdated': ('예전 커널에서는 맞았지만 바뀌었다. 무엇으로, 어느 '
                   '버전에서 바뀌었는지는 설명에 있다.',
                   'True of an older kernel; the note names the '
                   'replacement and the version that changed it.'),
    'x_false': ('틀렸다: 커널은 다르게 동작한다.',
                'Wrong: the kernel does otherwise.'),
    'x_arch': ('아키텍처마다 답이 다르다 (PAGE_SIZE, HIGHMEM, 3G/1G 분할 '
               '등).', 'The truth differs by architecture (PAGE_SIZE, '
               'HIGHMEM, the 3G/1G split).'),
    'x_untestable': ('커널을 실행해서 확인할 수 없다: 역사, 의견, 사용자 '
                     '공간 도구 등 (이유는 설명에 있다).',
                     'Cannot be checked on a running kernel: history, '
                     'opinion, user-space tooling (the note says why).'),
    'x_behaviour': ('실행 중인 커널이 관찰 가능한 일을 했다 (할당 실패, '
                    '잠듦, 0으로 채워진 페이지, softirq 문맥의 콜백).',
                    'The running kernel did something observable (an '
                    'allocation failed, a task slept, a page was zeroed, a '
                    'callback ran in softirq context).'),
    'x_definition': ('헤더의 컴파일 시점 사실 (플래그 비트, 매크로, 시그니처, '
                     '구조체 배치).', 'A compile-time fact of the headers (a '
                     'flag\'s bits, a macro, a signature, a layout).'),
    'x_source': ('빌드한 커널 소스 트리의 텍스트에서 확인한 사실 (파일, '
                 '함수, 필드, 호출). 커널마다 다시 검사한다.',
                 'A fact of the text of the tree that was built (a file, a '
                 'function, a field, a call), checked again on every '
                 'kernel.'),
    'x_none': ('연결된 케이스나 검사가 없다.', 'No case or check linked.'),
}

def _load_json(path):
    if not os.path.exists(path):
        return None
    with open(path, encoding='utf-8') as f:
        return json.load(f)


def evidence_kinds(row, evidence):
    kinds = sorted({claims.kind_of(c, evidence) or '?'
                    for c in claims.cases_of(row)})
    return kinds or ['none']


def collect(out_dir, rows=None):
    """Everything the page and the report show, from out/ and claims/."""
    rows = claims.load() if rows is None else rows
    run = _load_json(os.path.join(out_dir, 'run.json')) or {}
    muts = _load_json(os.path.join(out_dir, 'mutants.json'))
    status = run.get('status', {})
    logs = {}
    ktap_path = os.path.join(out_dir, 'results.ktap')
    if os.path.exists(ktap_path):
        with open(ktap_path, encoding='utf-8', errors='replace') as f:
            logs = {k: c.log for k, c in ktap.parse(f.read()).items()}
    evidence = claims.load_evidence()
    try:
        import mutants
        uncovered = mutants.load_uncovered()
    except Exception:       # a malformed file is the ledger check's job
        uncovered = {}
    out = []
    for r in rows:
        cases = []
        for c in claims.cases_of(r):
            st = claims.status_of(c, status).replace('MISSING', 'not run')
            keys = [k for k in sorted(logs) if k == c or
                    k.startswith(c + '.')]
            lines = [ln for k in keys for ln in logs[k]][:24]
            src = run.get('sources', {}).get(c)
            cases.append({'name': c, 'status': st,
                          'kind': claims.kind_of(c, evidence) or '?',
                          'log': lines,
                          'source': [sources.split_finding(x) for x in
                                     str(src).split('\n')] if src else []})
        killed, survived = claims.mutant_kills(r, muts and muts['mutants'])
        out.append({'id': r['id'], 'area': r.get('area', ''),
                    'seed': r.get('seed', ''), 'claim': r.get('claim', ''),
                    'catalogue': r.get('catalogue', ''),
                    'verdict': r['verdict'], 'kind': r.get('kind', ''),
                    'where': r.get('where', ''), 'note': r.get('note', ''),
                    'ev': evidence_kinds(r, evidence),
                    'shown': claims.shown(r, status),
                    'cases': cases, 'killed': killed,
                    'survived': survived,
                    'uncovered': uncovered.get(r['id']) if isinstance(
                        uncovered, dict) else None})
    return {'rows': out, 'run': run, 'mutants': muts}


def counts(data):
    rows = data['rows']
    areas = sorted({r['area'] for r in rows})
    by_area = {a: {v: 0 for v in VERDICTS} for a in areas}
    by_verdict = {v: 0 for v in VERDICTS}
    by_ev = {k: 0 for k in EV_KINDS}
    by_kind = {}
    for r in rows:
        by_area[r['area']][r['verdict']] += 1
        by_verdict[r['verdict']] += 1
        for k in r['ev']:
            by_ev[k if k in by_ev else 'none'] += 1
        by_kind[r['kind'] or '-'] = by_kind.get(r['kind'] or '-', 0) + 1
    return {'total': len(rows), 'areas': areas, 'by_area': by_area,
            'by_verdict': by_verdict, 'by_ev': by_ev, 'by_kind': by_kind}


def _t(key, lang=0):
    return html.escape(LABELS[key][lang])


def _lab(key):
    """A label that the language switch rewrites (Korean by default)."""
    return '<span data-t="%s">%s</span>' % (html.escape(key), _t(key))


def _chart(c):
    rows = []
    for a in c['areas']:
        n = sum(c['by_area'][a].values())
        segs = ''.join(
            '<span class="seg v-%s" style="flex:%d" title="%s %s: %d"></span>'
            % (v, k, a, v, k) for v, k in c['by_area'][a].items() if k)
        rows.append('<div class="bar"><span class="bl">%s</span>'
                    '<span class="bs" style="width:%.1f%%">%s</span>'
                    '<span class="bn">%d</span></div>' % (
                        html.escape(a), 100.0 * n / max(
                            max(sum(x.values()) for x in
                                c['by_area'].values()), 1) * 0.8,
                        segs, n))
    return '\n'.join(rows)


def _case_html(cs):
    parts = ['<li><code>%s</code> <b class="st st-%s">%s</b> '
             '<span class="k">%s</span>' % (
                 html.escape(cs['name']), html.escape(cs['status'].split()[0]),
                 html.escape(cs['status']), _lab(cs['kind'])
                 if cs['kind'] in LABELS else html.escape(cs['kind']))]
    if cs['log']:
        parts.append('<pre>%s</pre>' % html.escape('\n'.join(cs['log'])))
    if cs['source']:
        parts.append('<ul class="src">')
        for f in cs['source']:
            parts.append('<li><b class="st st-%s">%s</b> <code>%s</code> '
                         '&rarr; %s%s</li>' % (
                             html.escape(f['status'] or 'x'),
                             html.escape(f['status']),
                             html.escape(f['check']), html.escape(f['found']),
                             ' <span class="loc">%s</span>' % html.escape(
                                 f['where']) if f['where'] else ''))
        parts.append('</ul>')
    parts.append('</li>')
    return ''.join(parts)


def _row_html(r, run):
    text = ' '.join([r['id'], r['claim'], r['note'], r['area'],
                     r['verdict']] + [c['name'] for c in r['cases']])
    head = ('<tr class="h" tabindex="0"><td><code>%s</code></td><td>%s</td>'
            '<td><span class="vb v-%s">%s</span></td><td>%s</td>'
            '<td class="claim">%s</td><td>%s</td></tr>' % (
                html.escape(r['id']), html.escape(r['area']), r['verdict'],
                _lab(r['verdict']), ' '.join(
                    _lab(k) if k in LABELS else html.escape(k)
                    for k in r['ev']),
                html.escape(r['claim']),
                _lab(r['shown']) if r['shown'] else '-'))
    srcs = [c for c in r['cases'] if c['name'].startswith('source.')]
    kunit = [c for c in r['cases'] if not c['name'].startswith('source.')]
    more = ['<div class="more">',
            '<p class="vx">%s: <span data-t="x_%s">%s</span></p>' % (
                _lab('verdict'), r['verdict'], _t('x_' + r['verdict'])),
            '<h4>%s <small>(%s %s)</small></h4><blockquote lang="ko">%s'
            '</blockquote>' % (_lab('quote'), _lab('seed'),
                               html.escape(r['seed']),
                               html.escape(r['claim'])),
            '<h4>%s</h4><p>%s</p>' % (_lab('note'), html.escape(r['note'])),
            '<p class="meta">%s: %s &middot; %s: %s &middot; %s: %s'
            ' &middot; %s %s, %s</p>' % (
                _lab('kind'), html.escape(r['kind'] or '-'),
                _lab('where'), html.escape(r['where'] or '-'),
                _lab('catalogue'), html.escape(r['catalogue'] or '-'),
                _lab('kernel'), html.escape(run.get('kernel', '?')),
                html.escape(run.get('arch', '?')))]
    if kunit:
        more.append('<h4>%s</h4><ul class="cases">%s</ul>' % (
            _lab('cases'), ''.join(_case_html(c) for c in kunit)))
    if srcs:
        more.append('<h4>%s</h4><ul class="cases">%s</ul>' % (
            _lab('srcchecks'), ''.join(_case_html(c) for c in srcs)))
    if r['killed'] or r['survived'] or r['uncovered']:
        more.append('<h4>%s</h4><p>%s</p>' % (_lab('mutants'), html.escape(
            ', '.join(r['killed'] + ['not killed: ' + x
                                     for x in r['survived']]) or
            'no mutant can speak: %s' % r['uncovered'])))
    more.append('</div>')
    return ('<tbody class="c" id="c-%s" data-area="%s" data-verdict="%s" '
            'data-ev="%s" data-text="%s">%s<tr class="d" hidden><td '
            'colspan="6">%s</td></tr></tbody>' % (
                html.escape(r['id']), html.escape(r['area']), r['verdict'],
                ' '.join(r['ev']), html.escape(text.lower()), head,
                '\n'.join(more)))


CSS = """
:root{--fg:#1b1b1b;--mut:#666;--bg:#fff;--line:#e3e3e3}
*{box-sizing:border-box}
body{margin:0;padding:16px 20px;color:var(--fg);background:var(--bg);
font:14px/1.5 system-ui,-apple-system,"Segoe UI","Noto Sans KR",
"Noto Sans CJK KR","Apple SD Gothic Neo","Malgun Gothic","NanumGothic",
"Nanum Gothic",Roboto,"Helvetica Neue",Arial,sans-serif}
code,pre{font-family:ui-monospace,"SFMono-Regular",Menlo,Consolas,
"DejaVu Sans Mono","Noto Sans Mono CJK KR",monospace;font-size:12px}
h1{font-size:22px;margin:0 0 2px}h4{margin:10px 0 4px;font-size:13px}
.sub{color:var(--mut);margin:0 0 12px}
header{display:flex;justify-content:space-between;align-items:flex-start;
gap:12px;flex-wrap:wrap}
#lang{font:inherit;padding:4px 10px;cursor:pointer}
.top{display:grid;grid-template-columns:minmax(280px,1.3fr) 1fr 1fr;gap:18px;
margin:8px 0 14px}
.box{border:1px solid var(--line);border-radius:6px;padding:10px 12px}
.box h3{margin:0 0 8px;font-size:14px}
.bar{display:flex;align-items:center;gap:6px;margin:2px 0}
.bl{width:64px;text-align:right;color:var(--mut)}
.bs{display:flex;height:14px;min-width:2px}.seg{display:block;height:14px}
.bn{color:var(--mut);font-size:12px}
.v-holds{background:#2e7d32}.v-nuanced{background:#9e9d24}
.v-outdated{background:#ef6c00}.v-false{background:#c62828}
.v-arch{background:#6a1b9a}.v-untestable{background:#757575}
.vb{color:#fff;border-radius:3px;padding:0 6px;white-space:nowrap}
table.n{border-collapse:collapse}table.n td{padding:1px 8px 1px 0}
.legend dt{font-weight:600}.legend dd{margin:0 0 4px 0;color:#333}
.filters{display:flex;gap:10px;flex-wrap:wrap;align-items:center;
margin:6px 0 10px;position:sticky;top:0;background:var(--bg);padding:6px 0;
border-bottom:1px solid var(--line)}
.filters select,.filters input{font:inherit;padding:3px 6px}
#q{min-width:240px}#count{color:var(--mut)}
table.l{border-collapse:collapse;width:100%}
table.l th{text-align:left;border-bottom:2px solid var(--line);padding:4px 6px;
font-size:12px;color:var(--mut)}
table.l td{border-bottom:1px solid var(--line);padding:4px 6px;
vertical-align:top}
tr.h{cursor:pointer}tr.h:hover{background:#f6f8fa}
td.claim{max-width:640px}
tr.d td{background:#fafafa}
.more blockquote{margin:0;padding:4px 10px;border-left:3px solid #bbb;
background:#fff}
.more pre{background:#fff;border:1px solid var(--line);padding:6px;
white-space:pre-wrap;max-height:220px;overflow:auto;margin:4px 0}
.meta{color:var(--mut);font-size:12px}.vx{margin:0}
.st{font-size:11px;padding:0 4px;border-radius:3px;border:1px solid #aaa}
.st-PASS{color:#2e7d32;border-color:#2e7d32}
.st-FAIL,.st-ERROR{color:#c62828;border-color:#c62828}
.st-SKIP{color:#6a1b9a;border-color:#6a1b9a}
.loc{font-family:ui-monospace,monospace;font-size:12px;color:#0b57d0}
.k{color:var(--mut);font-size:12px}
ul.cases,ul.src{margin:2px 0;padding-left:18px}
@media (max-width:900px){.top{grid-template-columns:1fr}}
"""

JS = r"""
(function(){
var L = JSON.parse(document.getElementById('labels').textContent);
var TOTAL = %(total)d;
function $(id){return document.getElementById(id);}
function state(){
  var p = new URLSearchParams(location.hash.replace(/^#/, ''));
  return {lang: p.get('lang') || 'ko', area: p.get('area') || '',
          verdict: p.get('verdict') || '', ev: p.get('ev') || '',
          q: p.get('q') || '', open: p.get('open') || ''};
}
function save(){
  var p = new URLSearchParams();
  var s = {lang: document.documentElement.lang, area: $('area').value,
           verdict: $('verdict').value, ev: $('ev').value, q: $('q').value};
  for (var k in s) if (s[k] && !(k == 'lang' && s[k] == 'ko')) p.set(k, s[k]);
  history.replaceState(null, '', '#' + p.toString());
}
function setLang(lang){
  var i = lang == 'en' ? 1 : 0;
  document.documentElement.lang = lang;
  document.querySelectorAll('[data-t]').forEach(function(e){
    var v = L[e.getAttribute('data-t')]; if (v) e.textContent = v[i];
  });
  document.querySelectorAll('[data-ph]').forEach(function(e){
    var v = L[e.getAttribute('data-ph')]; if (v) e.placeholder = v[i];
  });
}
function apply(){
  var a = $('area').value, v = $('verdict').value, e = $('ev').value;
  var q = $('q').value.trim().toLowerCase(), n = 0;
  document.querySelectorAll('tbody.c').forEach(function(b){
    var ok = (!a || b.dataset.area == a) && (!v || b.dataset.verdict == v) &&
      (!e || (' ' + b.dataset.ev + ' ').indexOf(' ' + e + ' ') >= 0) &&
      (!q || b.dataset.text.indexOf(q) >= 0);
    if (ok) { b.removeAttribute('hidden'); n++; }
    else b.setAttribute('hidden', '');
  });
  $('shown-n').textContent = n;
  document.body.setAttribute('data-visible', n);
}
function load(){
  var s = state();
  $('area').value = s.area; $('verdict').value = s.verdict;
  $('ev').value = s.ev; $('q').value = s.q;
  setLang(s.lang); apply();
  if (s.open) { var b = $('c-' + s.open);
    if (b) { b.querySelector('tr.d').hidden = false;
      b.scrollIntoView({block: 'nearest'}); } }
}
['area', 'verdict', 'ev'].forEach(function(id){
  $(id).addEventListener('change', function(){ apply(); save(); });
});
$('q').addEventListener('input', function(){ apply(); save(); });
$('lang').addEventListener('click', function(){
  setLang(document.documentElement.lang == 'en' ? 'ko' : 'en'); save();
});
document.querySelectorAll('tr.h').forEach(function(tr){
  function t(){ var d = tr.nextElementSibling; d.hidden = !d.hidden; }
  tr.addEventListener('click', t);
  tr.addEventListener('keydown', function(ev){
    if (ev.key == 'Enter' || ev.key == ' ') { ev.preventDefault(); t(); } });
});
window.addEventListener('hashchange', load);
load();
document.body.setAttribute('data-ready', TOTAL);
})();
"""


def page(data):
    c = counts(data)
    run = data['run']
    muts = data['mutants']
    opts = lambda vals: ''.join(  # noqa: E731
        '<option value="%s" data-t="%s">%s</option>' % (v, v, _t(v))
        if v in LABELS else '<option value="%s">%s</option>' % (v, v)
        for v in vals)
    verdict_rows = ''.join(
        '<tr><td><span class="vb v-%s">%s</span></td><td>%d</td></tr>'
        % (v, _lab(v), n) for v, n in c['by_verdict'].items())
    ev_rows = ''.join('<tr><td>%s</td><td>%d</td></tr>' % (_lab(k), n)
                      for k, n in c['by_ev'].items())
    legend = ''.join('<dt><span class="vb v-%s">%s</span></dt><dd data-t='
                     '"x_%s">%s</dd>' % (v, _lab(v), v, _t('x_' + v))
                     for v in VERDICTS)
    evlegend = ''.join('<dt>%s</dt><dd data-t="x_%s">%s</dd>'
                       % (_lab(k), k, _t('x_' + k)) for k in EV_KINDS)
    run_info = '%s %s &middot; %s %s%s%s' % (
        _lab('kernel'), html.escape(run.get('kernel', '?')), _lab('arch_l'),
        html.escape(run.get('arch', '?')),
        ' &middot; profile %s' % html.escape(run['profile'])
        if run.get('profile') else '',
        ' &middot; FILTER %s' % html.escape(run['filter'])
        if run.get('filter') else '')
    if muts:
        run_info += ' &middot; mutants: %d / %d killed' % (
            muts.get('killed', 0), muts.get('counted', 0))
    rows = '\n'.join(_row_html(r, run) for r in data['rows'])
    return """<!DOCTYPE html>
<html lang="ko">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>kclaims ledger</title>
<style>%(css)s</style>
</head>
<body>
<header><div><h1>%(title)s</h1><p class="sub">%(subtitle)s</p>
<p class="meta">%(run_info)s &middot; %(total)d %(claims_l)s</p></div>
<button id="lang" type="button" data-t="lang">English</button></header>
<section class="top">
<div class="box"><h3>%(by_area)s</h3>%(chart)s</div>
<div class="box"><h3>%(by_verdict)s</h3><table class="n">%(vrows)s</table>
<h3 style="margin-top:8px">%(by_ev)s</h3><table class="n">%(erows)s</table>
</div>
<div class="box legend"><h3>%(legend_l)s</h3><dl>%(legend)s</dl>
<h3>%(evlegend_l)s</h3><dl>%(evlegend)s</dl></div>
</section>
<div class="filters">
<label>%(area_l)s <select id="area"><option value="" data-t="all">%(all)s
</option>%(area_opts)s</select></label>
<label>%(verdict_l)s <select id="verdict"><option value="" data-t="all">
%(all)s</option>%(verdict_opts)s</select></label>
<label>%(ev_l)s <select id="ev"><option value="" data-t="all">%(all)s
</option>%(ev_opts)s</select></label>
<label>%(search_l)s <input id="q" type="search" data-ph="search"></label>
<span id="count"><span id="shown-n">%(total)d</span> / %(total)d
%(visible_l)s</span>
</div>
<table class="l">
<thead><tr><th>%(id_l)s</th><th>%(area_l)s</th><th>%(verdict_l)s</th>
<th>%(ev_l)s</th><th>%(claim_l)s</th><th>%(result_l)s</th></tr></thead>
%(rows)s
</table>
<script type="application/json" id="labels">%(labels)s</script>
<script>%(js)s</script>
</body>
</html>
""" % {'css': CSS, 'title': _lab('title'), 'subtitle': _lab('subtitle'),
       'run_info': run_info, 'total': c['total'], 'claims_l': _lab('claims'),
       'by_area': _lab('by_area'), 'chart': _chart(c),
       'by_verdict': _lab('by_verdict'), 'vrows': verdict_rows,
       'by_ev': _lab('by_ev'), 'erows': ev_rows,
       'legend_l': _lab('legend'), 'legend': legend,
       'evlegend_l': _lab('evlegend'), 'evlegend': evlegend,
       'area_l': _lab('area'), 'verdict_l': _lab('verdict'),
       'ev_l': _lab('ev'), 'search_l': _lab('search'), 'all': _t('all'),
       'area_opts': opts(c['areas']), 'verdict_opts': opts(VERDICTS),
       'ev_opts': opts(EV_KINDS), 'visible_l': _lab('visible'),
       'id_l': _lab('id'), 'claim_l': _lab('claim'),
       'result_l': _lab('result'), 'rows': rows,
       'labels': json.dumps(LABELS, ensure_ascii=False).replace(
           '</', '<\\/'),
       'js': JS % {'total': c['total']}}


def write(out_dir, rows=None):
    """Write out/ledger.html; return its path."""
    data = collect(out_dir, rows)
    path = os.path.join(out_dir, 'ledger.html')
    tmp = path + '.new'
    with open(tmp, 'w', encoding='utf-8') as f:
        f.write(page(data))
    os.replace(tmp, path)
    return path


def report_text(out_dir, rows=None):
    """What make report prints: where the page is, and the counts."""
    data = collect(out_dir, rows)
    c = counts(data)
    run = data['run']
    lines = []
    page_path = os.path.join(out_dir, 'ledger.html')
    if os.path.exists(page_path):
        lines.append('ledger page: %s (open it in a browser; file://%s)'
                     % (page_path, os.path.abspath(page_path)))
    else:
        lines.append('no ledger page yet: run make run (or make ledger)')
    for name in ('ledger.md', 'ledger.png', 'junit.xml'):
        p = os.path.join(out_dir, name)
        if os.path.exists(p):
            lines.append('%-11s %s' % (name + ':', p))
    if run:
        lines.append('run: kernel %s, arch %s%s' % (
            run.get('kernel'), run.get('arch'),
            ', filter ' + run['filter'] if run.get('filter') else ''))
    lines.append('%d claims: %s' % (c['total'], ', '.join(
        '%d %s' % (n, v) for v, n in c['by_verdict'].items())))
    lines.append('evidence: %s' % ', '.join(
        '%d %s' % (n, k) for k, n in c['by_ev'].items()))
    width = max(len(a) for a in c['areas']) if c['areas'] else 4
    lines.append('%-*s %s  total' % (width, 'area', ' '.join(
        '%10s' % v for v in VERDICTS)))
    for a in c['areas']:
        row = c['by_area'][a]
        lines.append('%-*s %s  %5d' % (width, a, ' '.join(
            '%10d' % row[v] for v in VERDICTS), sum(row.values())))
    st = [r['shown'] for r in data['rows']]
    lines.append('shown by a green case or check: %d; not shown here: %d; '
                 'red: %d' % (st.count('shown'), st.count('not shown here'),
                              st.count('red')))
    return '\n'.join(lines)


# ------------------------------------------------------------ browser check

def chromium():
    for name in ('chromium', 'chromium-browser', 'google-chrome'):
        path = shutil.which(name)
        if path:
            return path
    return None


def has_korean_font():
    if not shutil.which('fc-list'):
        return False
    r = subprocess.run(['fc-list', ':lang=ko', 'family'],
                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    return bool(r.stdout.strip())


def _browse(browser, url, args, timeout=90):
    with tempfile.TemporaryDirectory(prefix='kclaims-chromium-') as prof:
        cmd = [browser, '--headless', '--no-sandbox', '--disable-gpu',
               '--no-first-run', '--no-default-browser-check',
               '--disable-extensions', '--disable-background-networking',
               '--disable-component-update', '--disable-sync',
               '--user-data-dir=' + prof, '--virtual-time-budget=3000'] + \
            args + [url]
        r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           stdin=subprocess.DEVNULL, timeout=timeout,
                           env=dict(os.environ, HOME=prof))
    return r.returncode, r.stdout.decode('utf-8', errors='replace'), \
        r.stderr.decode(errors='replace')


class _Dom(HTMLParser):
    """What a dumped DOM shows: claim bodies (visible or hidden), the text
    of the language-switched labels, the html lang, the visible count."""

    def __init__(self):
        super().__init__()
        self.bodies, self.labels, self.lang, self.visible = {}, {}, None, None
        self._label = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == 'html':
            self.lang = a.get('lang')
        if tag == 'body':
            self.visible = a.get('data-visible')
        if tag == 'tbody' and (a.get('id') or '').startswith('c-'):
            self.bodies[a['id'][2:]] = (a.get('data-verdict'),
                                        'hidden' in a)
        if a.get('data-t') and tag != 'option' and \
                a['data-t'] not in self.labels:     # its first use
            self._label = a['data-t']
            self.labels[self._label] = ''

    def handle_data(self, data):
        if self._label:
            self.labels[self._label] += data

    def handle_endtag(self, tag):
        self._label = None


def dom_of(text):
    d = _Dom()
    d.feed(text)
    return d


def check_dom(ids, views):
    """Problems in the dumped DOMs. views: {'all-en': dom, 'false-en': dom,
    'all-ko': dom}."""
    problems = []
    all_en, false_en, all_ko = views['all-en'], views['false-en'], \
        views['all-ko']
    missing = sorted(set(ids) - set(all_en.bodies))
    if missing:
        problems.append('the page lacks %d claim(s): %s' % (
            len(missing), ', '.join(missing[:5])))
    hidden = [i for i, (_, h) in all_en.bodies.items() if h]
    if hidden:
        problems.append('with no filter, %d claim(s) are hidden' % len(hidden))
    want = sorted(i for i, (v, _) in all_en.bodies.items() if v == 'false')
    seen = sorted(i for i, (v, h) in false_en.bodies.items() if not h)
    if not want:
        problems.append('no claim has verdict false to filter on')
    elif seen != want:
        problems.append('filtering by verdict false shows %d claim(s), '
                        'expected the %d false ones' % (len(seen), len(want)))
    if str(false_en.visible) != str(len(want)):
        problems.append('the shown-count says %s with verdict=false, '
                        'expected %d' % (false_en.visible, len(want)))
    for key in ('verdict', 'x_holds', 'title'):
        ko, en = LABELS[key]
        if all_en.labels.get(key, '').strip() != en:
            problems.append('in English the label %s reads %r, not %r' % (
                key, all_en.labels.get(key), en))
        if all_ko.labels.get(key, '').strip() != ko:
            problems.append('in Korean the label %s reads %r, not %r' % (
                key, all_ko.labels.get(key), ko))
    if all_en.lang != 'en' or all_ko.lang != 'ko':
        problems.append('the language switch does not set <html lang> '
                        '(%s, %s)' % (all_en.lang, all_ko.lang))
    return problems


def browser_check(out_dir, install=None, ids=None):
    """Load out/ledger.html in headless Chromium offline: every claim id is
    there, verdict=false shows exactly the false claims, the language
    switch rewrites the labels; write out/ledger.png. Returns (rc, msg):
    rc 0 fine, 1 a problem, None skipped (Chromium cannot be installed)."""
    page_path = os.path.abspath(os.path.join(out_dir, 'ledger.html'))
    if not os.path.exists(page_path):
        return 1, 'there is no %s to check' % page_path
    browser = chromium()
    need = [] if browser else ['chromium']
    if not has_korean_font():
        need.append('fonts-nanum')
    if need and install:
        try:
            install(need, 'headless Chromium and a Korean font for the '
                    'ledger page check')
        except Exception as e:      # SetupError: no root, no apt, no network
            if not chromium():
                return None, ('the ledger page was not checked in a browser '
                              'because Chromium cannot be installed here '
                              '(%s)' % e)
        browser = chromium()
    if not browser:
        return None, ('the ledger page was not checked in a browser because '
                      'Chromium cannot be installed here')
    if ids is None:
        ids = [r['id'] for r in claims.load()]
    url = 'file://' + page_path
    views = {}
    try:
        for name, frag in (('all-en', 'lang=en'),
                           ('false-en', 'lang=en&verdict=false'),
                           ('all-ko', 'lang=ko')):
            rc, out, err = _browse(browser, url + '#' + frag, ['--dump-dom'])
            if rc or '<tbody' not in out:
                return 1, 'headless Chromium could not load %s#%s: %s' % (
                    url, frag, (err.strip().splitlines() or ['no output'])[-1])
            views[name] = dom_of(out)
        shot = os.path.join(os.path.abspath(out_dir), 'ledger.png')
        rc, out, err = _browse(browser, url + '#lang=ko', [
            '--hide-scrollbars', '--window-size=1400,1100',
            '--screenshot=' + shot])
    except subprocess.TimeoutExpired:
        return 1, 'headless Chromium did not finish loading the page'
    problems = check_dom(ids, views)
    if rc or not os.path.exists(shot):
        problems.append('no screenshot: %s' % (
            err.strip().splitlines() or ['no output'])[-1])
    if problems:
        return 1, '; '.join(problems)
    return 0, ('ledger page checked in headless Chromium: %d claims, '
               'verdict filter and language switch work; screenshot %s'
               % (len(ids), shot))


def main(argv):
    out_dir = os.environ.get('KCLAIMS_OUT') or os.path.join(claims.ROOT,
                                                            'out')
    if argv[1:2] == ['report']:
        if not os.path.exists(os.path.join(out_dir, 'run.json')):
            print('kclaims: no run in %s yet: run make run' % out_dir)
            return 0
        write(out_dir)
        print(report_text(out_dir))
        return 0
    if argv[1:2] == ['check']:
        rc, msg = browser_check(out_dir)
        print('kclaims: ' + msg)
        return rc or 0
    print('usage: ledger_html.py report|check  (KCLAIMS_OUT=dir)')
    return 2


if __name__ == '__main__':
    sys.exit(main(sys.argv))
