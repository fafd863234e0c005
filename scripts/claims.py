"""The claims ledger: claims/<area>.claims files, one stanza per claim.

A stanza is a block of "key: value" lines; stanzas are separated by a blank
line; lines starting with '#' are comments. One field per line keeps diffs
small: linking a case to a claim changes the one 'cases:' line.
"""
import contextlib
import fcntl
import glob
import os
import re
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CLAIMS_DIR = os.path.join(ROOT, 'claims')
FIELDS = ('id', 'area', 'seed', 'claim', 'catalogue', 'verdict', 'kind',
          'where', 'cases', 'source', 'note')
# written only where set: most claims have no source checks
OPTIONAL = ('source',)
# kind: the evidence a claim needs; claims/evidence: the kind each case gives
KINDS = ('behaviour', 'definition', 'source')
EVIDENCE = os.path.join(CLAIMS_DIR, 'evidence')
VERDICTS = ('holds', 'nuanced', 'outdated', 'false', 'arch', 'untestable')
HEADER = """\
# kclaims ledger, area "{area}". One stanza per claim, "key: value" per line.
# verdict: holds | nuanced | outdated | false | arch | untestable
#   (what the kernel does, as proven by the cases; "catalogue" is the first
#   reading of the 6.12.117 source, kept to show where the tests disagree)
# kind: behaviour | definition | source - the evidence the claim needs: a
#   claim about what the kernel does needs a behaviour case (claims/evidence
#   gives each case's kind)
# where: the targets whose runs show it (cases skip elsewhere, naming them)
# cases: suite.case[, suite.case] - KUnit cases that must pass (or skip on a
#   target that cannot show them); source.<check> - a check of the tree's text
# source: checks of the tree's text, "op args; !op args" (scripts/sources.py:
#   path, defined, member, in, calls, grep, count), evaluated on every kernel
#   the runner builds: the case source.<id>, which passes where all hold
"""


class LedgerError(Exception):
    pass


def parse_text(text, where='<text>'):
    rows, cur = [], {}
    for n, line in enumerate(text.splitlines(), 1):
        if line.startswith('#'):
            continue
        if not line.strip():
            if cur:
                rows.append(cur)
                cur = {}
            continue
        m = re.match(r'^([a-z]+): ?(.*)$', line)
        if not m or m.group(1) not in FIELDS:
            raise LedgerError('%s:%d: not a "field: value" line with a known '
                              'field: %r' % (where, n, line[:60]))
        if m.group(1) in cur:
            raise LedgerError('%s:%d: field %s given twice in one claim'
                              % (where, n, m.group(1)))
        cur[m.group(1)] = m.group(2).strip()
    if cur:
        rows.append(cur)
    for r in rows:
        if 'id' not in r:
            raise LedgerError('%s: a stanza has no id' % where)
        if r.get('kind') and r['kind'] not in KINDS:
            raise LedgerError('%s: %s has kind %r; use one of %s'
                              % (where, r['id'], r['kind'], ', '.join(KINDS)))
        v = r.get('verdict', '')
        if v not in VERDICTS:
            raise LedgerError('%s: %s has verdict %r; use one of %s'
                              % (where, r['id'], v, ', '.join(VERDICTS)))
    return rows


def load(claims_dir=CLAIMS_DIR):
    rows, seen = [], set()
    for path in sorted(glob.glob(os.path.join(claims_dir, '*.claims'))):
        with open(path, encoding='utf-8') as f:
            for r in parse_text(f.read(), os.path.basename(path)):
                if r['id'] in seen:
                    raise LedgerError('claim %s appears twice' % r['id'])
                seen.add(r['id'])
                rows.append(r)
    return rows


def cases_of(row):
    """The cases a claim links, and source.<id> where it has source checks."""
    cases = [c.strip() for c in row.get('cases', '').split(',') if c.strip()]
    if row.get('source'):
        cases.append('source.' + row['id'])
    return cases


def save(area, rows, claims_dir=CLAIMS_DIR):
    """Write an area file whole, atomically (readers never see half)."""
    out = [HEADER.format(area=area).rstrip('\n')]
    for r in rows:
        out.append('\n'.join(('%s: %s' % (k, r.get(k, ''))).rstrip()
                             for k in FIELDS
                             if k not in OPTIONAL or r.get(k)))
    path = os.path.join(claims_dir, area + '.claims')
    fd, tmp = tempfile.mkstemp(prefix='.' + area + '.', dir=claims_dir)
    try:
        with os.fdopen(fd, 'w', encoding='utf-8') as f:
            f.write('\n\n'.join(out) + '\n')
        if os.path.exists(path):
            os.chmod(tmp, os.stat(path).st_mode & 0o777)
        else:
            os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


@contextlib.contextmanager
def _set_lock(claims_dir):
    """Serialise claims.py set (read, change, write) between processes. Its
    own lock file: a caller may already hold /tmp/kclaims-shared.lock."""
    path = os.path.join(tempfile.gettempdir(), 'kclaims-claims-%s.lock'
                        % re.sub(r'\W', '_', os.path.abspath(claims_dir)))
    with open(path, 'a') as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        yield


def status_of(case, results):
    """A case's status; a parameterised case is the sum of its params."""
    if case in results:
        return results[case]
    params = [st for k, st in results.items() if k.startswith(case + '.')]
    if not params:
        return 'MISSING'
    for worst in ('ERROR', 'FAIL'):
        if worst in params:
            return worst
    return 'SKIP' if all(st == 'SKIP' for st in params) else 'PASS'


# a skip is honest where it names the machine that shows the behaviour
ARCH_SKIP = re.compile(r'QEMU|SMP|i386|x86|32-bit|64-bit|arch|CPUs|NUMA', re.I)


def check(rows, results, ran_all=True, require_areas=(), skips=None,
          sources=None):
    """Hold the ledger against a run.

    results maps 'suite.case' to PASS/FAIL/SKIP/ERROR, skips maps skipped
    cases to their reason. A case may skip only where its reason names the
    arch/machine that shows it (or the claim's verdict is arch), and a claim
    is proven only when at least one of its cases passed. Returns (problems,
    stats). With ran_all False (a filtered run) claims whose cases did not
    run are not judged. sources maps source.<id> to the findings of its
    checks (run.json): a failing one is named.
    """
    skips = skips or {}
    sources = sources or {}
    problems = []
    stats = {'proven': 0, 'arch_skipped': 0, 'untestable': 0, 'pending': 0,
             'not_run': 0, 'total': len(rows)}
    for r in rows:
        cases = cases_of(r)
        if r['verdict'] == 'untestable' and not cases:
            stats['untestable'] += 1
            continue
        if not cases:
            stats['pending'] += 1
            if r.get('area') in require_areas:
                problems.append('%s (%s) links no case' % (r['id'], r['area']))
            continue
        if not ran_all and any(status_of(c, results) == 'MISSING'
                               for c in cases):
            stats['not_run'] += 1
            continue
        bad, passed = [], 0
        for c in cases:
            st = status_of(c, results)
            if st == 'PASS':
                passed += 1
            elif st == 'SKIP':
                reason = skip_reason(c, skips)
                if r['verdict'] != 'arch' and not ARCH_SKIP.search(reason):
                    bad.append('%s skipped here without naming the arch that '
                               'shows it (%s)' % (c, reason or 'no reason'))
            elif c.startswith('source.') and st == 'FAIL':
                first = [x for x in str(sources.get(c, '')).split('\n')
                         if not x.startswith('PASS ')][:1]
                bad.append('the source checks of %s do not match verdict %s '
                           'on this kernel%s' % (c, r['verdict'], (
                               ': ' + first[0]) if first and first[0]
                               else ''))
            else:
                bad.append('%s is %s' % (c, st))
        if bad:
            problems.append('%s: %s' % (r['id'], '; '.join(bad)))
        elif passed:
            stats['proven'] += 1
        else:
            # every case skipped, each naming the target that shows it: the
            # claim is not shown by this run, whatever its verdict
            stats['arch_skipped'] += 1
    return problems, stats


def check_rows(rows):
    """Rules on the stanzas alone: an untestable claim says why; source
    checks parse and back a real verdict."""
    import sources
    problems = []
    for r in rows:
        if r['verdict'] == 'untestable' and not r.get('note', '').strip(' -'):
            problems.append('%s is untestable without a reason in its note'
                            % r['id'])
        if not r.get('source'):
            continue
        if r['verdict'] == 'untestable':
            problems.append('%s has source checks but verdict untestable: '
                            'give the verdict they show' % r['id'])
        try:
            sources.parse_spec(r['source'])
        except sources.SourceSpecError as e:
            problems.append('%s: source: %s' % (r['id'], e))
    return problems


def shown(row, results):
    """'shown', 'not shown here' (every case skipped), 'red' or ''."""
    sts = [status_of(c, results) for c in cases_of(row)]
    if not sts:
        return ''
    if any(st in ('FAIL', 'ERROR') for st in sts):
        return 'red'
    if 'PASS' in sts:
        return 'shown'
    if all(st == 'SKIP' for st in sts):
        return 'not shown here'
    return 'not run'


def load_evidence(path=EVIDENCE):
    """claims/evidence: '<suite>.<case>: <kind>' per line -> {case: kind}."""
    kinds = {}
    if not os.path.exists(path):
        return kinds
    with open(path, encoding='utf-8') as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith('#'):
                continue
            m = re.match(r'^(\w+\.\w+):\s*(\w+)$', line)
            if not m or m.group(2) not in KINDS:
                raise LedgerError('evidence:%d: not "<suite>.<case>: '
                                  'behaviour|definition|source": %r'
                                  % (n, line[:60]))
            if m.group(1) in kinds:
                raise LedgerError('evidence:%d: %s is given twice'
                                  % (n, m.group(1)))
            kinds[m.group(1)] = m.group(2)
    return kinds


def kind_of(case, evidence):
    if case.startswith('source.'):
        return 'source'
    return evidence.get(case)


def base_case(key):
    """'suite.case' of a result key ('suite.case.param' for params)."""
    return '.'.join(key.split('.')[:2])


def check_evidence(rows, evidence, results, ran_all=True):
    """Every case has a kind; a claim about behaviour has a behaviour case
    that passed (or, in a filtered run, that did not run)."""
    problems = []
    ran = {base_case(k) for k in results if k.startswith('kclaims_')}
    for case in sorted(ran):
        if case not in evidence:
            problems.append('case %s has no evidence kind in claims/evidence'
                            % case)
    if ran_all:
        for case in sorted(set(evidence) - ran):
            problems.append('claims/evidence names %s, which did not run'
                            % case)
    for r in rows:
        cases = cases_of(r)
        if not cases:
            continue
        need = r.get('kind')
        if need not in KINDS:
            problems.append('%s links cases but has no kind: (behaviour, '
                            'definition or source)' % r['id'])
            continue
        kinds = {c: kind_of(c, evidence) for c in cases}
        if need == 'behaviour':
            beh = [c for c, k in kinds.items() if k == 'behaviour']
            if not beh:
                problems.append('%s is a claim about behaviour but its cases '
                                'give %s evidence only' % (
                                    r['id'], ', '.join(sorted(
                                        set(filter(None, kinds.values()))))
                                    or 'no'))
            elif not any(status_of(c, results) in ('PASS', 'SKIP') or
                         (not ran_all and status_of(c, results) == 'MISSING')
                         for c in beh):
                problems.append('%s: no behaviour case of it passed'
                                % r['id'])
    return problems


def skip_reason(case, skips):
    if case in skips:
        return skips[case]
    return '; '.join(v for k, v in sorted(skips.items())
                     if k.startswith(case + '.'))


CLAIM_REF = re.compile(r'\b((?:MM|UA|SCHED|PROC|SYNC|IRQ|TIME|LIB|MISC)'
                       r'-[A-Z0-9]+(?:-[A-Z0-9]+)*)\b')


def source_refs(root=ROOT):
    """Claim ids named in the C sources, as {id: [file, ...]}."""
    refs = {}
    for path in glob.glob(os.path.join(root, '*', '*.c')):
        with open(path, encoding='utf-8', errors='replace') as f:
            for cid in set(CLAIM_REF.findall(f.read())):
                refs.setdefault(cid, []).append(os.path.relpath(path, root))
    return refs


FIRST = {'holds': 'holds', 'holds-with-nuance': 'nuanced',
         'outdated': 'outdated', 'false': 'false', 'arch-dependent': 'arch'}


def differs_from_catalogue(row):
    """True where the tests moved a verdict off the first source reading."""
    first = FIRST.get(row.get('catalogue', ''), row.get('catalogue', ''))
    return row['verdict'] != 'untestable' and first != row['verdict']


def mutant_kills(row, mutant_runs):
    """Names of the mutants that list this claim and that one of its cases
    killed, and of those that list it and survived."""
    cases = cases_of(row)
    killed, survived = [], []
    for m in mutant_runs or ():
        if row['id'] not in m.get('claims', ()):
            continue
        mine = [k for k in m.get('killed_by', ()) if base_case(k) in cases or
                any(k.startswith(c + '.') for c in cases)]
        if m.get('outcome') == 'killed' and mine:
            killed.append(m['name'])
        elif m.get('outcome') in ('survived', 'crashed', 'killed'):
            survived.append('%s (%s)' % (m['name'], 'killed by another '
                                         'claim\'s case' if m['outcome'] ==
                                         'killed' else m['outcome']))
    return killed, survived


def ledger_counts(rows):
    """{area: {verdict: n}} and {verdict: n} over the ledger."""
    by_area, by_verdict = {}, dict.fromkeys(VERDICTS, 0)
    for r in rows:
        a = by_area.setdefault(r.get('area', '') or '-',
                               dict.fromkeys(VERDICTS, 0))
        a[r['verdict']] += 1
        by_verdict[r['verdict']] += 1
    return by_area, by_verdict


def _md(text):
    return str(text).replace('|', '\\|').replace('\n', ' ')


def write_ledger(rows, results, path, run_info='', evidence=None,
                 mutant_runs=None, uncovered=None, sources=None):
    evidence = evidence or {}
    uncovered = uncovered or {}
    sources = sources or {}
    by_area, by_verdict = ledger_counts(rows)
    ev_count = {}
    for r in rows:
        for k in sorted({kind_of(c, evidence) or '?' for c in cases_of(r)}
                        or {'none'}):
            ev_count[k] = ev_count.get(k, 0) + 1
    lines = ['# kclaims ledger', '', run_info, '',
             '%d claims: %s. Claims by the evidence their cases give: %s.'
             % (len(rows), ', '.join('%d %s' % (n, v) for v, n in
                                    by_verdict.items()),
                ', '.join('%d %s' % (n, k) for k, n in
                          sorted(ev_count.items()))), '',
             '| area | ' + ' | '.join(VERDICTS) + ' | total |',
             '|---|' + '---|' * (len(VERDICTS) + 1)]
    for a in sorted(by_area):
        lines.append('| %s | %s | %d |' % (a, ' | '.join(
            str(by_area[a][v]) for v in VERDICTS), sum(by_area[a].values())))
    lines.append('| all | %s | %d |' % (' | '.join(
        str(by_verdict[v]) for v in VERDICTS), len(rows)))
    lines += ['',
              'kind: the evidence the claim needs; evidence: what its cases '
              'give (b behaviour, d definition, s source); mutants: the kernel '
              'mutants its cases kill (make mutants)', '',
              '| claim | area | verdict | kind | evidence | cases | result | '
              'shown | mutants killed |',
              '|---|---|---|---|---|---|---|---|---|']
    for r in rows:
        cases = cases_of(r)
        res = ', '.join(status_of(c, results).replace('MISSING', 'not run')
                        for c in cases)
        ev = ', '.join((kind_of(c, evidence) or '?')[0] for c in cases)
        killed, survived = mutant_kills(r, mutant_runs)
        lines.append('| %s | %s | %s | %s | %s | %s | %s | %s | %s |' % (
            r['id'], r.get('area', ''), r['verdict'], r.get('kind', ''),
            ev or '-', ', '.join(cases) or '-', res or '-',
            shown(r, results) or '-',
            ', '.join(killed + ['not killed: ' + x for x in survived])
            or ('no mutant can speak (mutants/UNCOVERED)'
                if r['id'] in uncovered else '-')))
    moved = [r for r in rows if differs_from_catalogue(r)]
    if moved:
        lines += ['', '## Verdicts that differ from the first catalogue '
                  'reading', '']
        lines += ['- %s: catalogue %s, tests say %s. %s' % (
            r['id'], r['catalogue'], r['verdict'], r.get('note', ''))
            for r in moved]
    hidden = [r for r in rows if shown(r, results) == 'not shown here']
    if hidden:
        lines += ['', '## Not shown by this run (every case skipped here)',
                  '']
        lines += ['- %s (%s): shown where %s' % (
            r['id'], r['verdict'], r.get('where', '?')) for r in hidden]
    lines += ['', '## The claims, one by one', '',
              'The seed quote as the note says it, then what the kernel '
              'does, and the evidence.']
    for r in rows:
        lines += ['', '### %s: %s (%s)' % (r['id'], r['verdict'],
                                           r.get('area', '')), '',
                  '> %s' % r.get('claim', '').replace('\n', ' '), '',
                  '(seed %s; needs %s evidence; shown on %s)' % (
                      r.get('seed', '') or '-', r.get('kind', '') or 'no',
                      r.get('where', '') or '-'), '',
                  r.get('note', '') or '-']
        cases = cases_of(r)
        if cases:
            lines.append('')
        for c in cases:
            lines.append('- `%s`: %s (%s)' % (
                c, status_of(c, results).replace('MISSING', 'not run'),
                kind_of(c, evidence) or '?'))
            for f in str(sources.get(c, '')).split('\n'):
                if f.startswith(('PASS ', 'FAIL ', 'SKIP ')):
                    lines.append('  - %s' % f.replace(' :: ', ': ', 1)
                                 .replace(' @ ', ' at ', 1))
    with open(path, 'w', encoding='utf-8') as f:
        f.write('\n'.join(lines) + '\n')


def update(cid, verdict=None, cases=None, note=None, kind=None, where=None,
           source=None, claims_dir=CLAIMS_DIR):
    """Set a claim's verdict/cases/note in place (other stanzas untouched)."""
    with _set_lock(claims_dir):
        return _update(cid, verdict, cases, note, kind, where, source,
                       claims_dir)


def _update(cid, verdict, cases, note, kind, where, source, claims_dir):
    for path in sorted(glob.glob(os.path.join(claims_dir, '*.claims'))):
        with open(path, encoding='utf-8') as f:
            rows = parse_text(f.read(), os.path.basename(path))
        for r in rows:
            if r['id'] != cid:
                continue
            if verdict is not None:
                if verdict not in VERDICTS:
                    raise LedgerError('%s: verdict %r is not one of %s'
                                      % (cid, verdict, ', '.join(VERDICTS)))
                r['verdict'] = verdict
            if cases is not None:
                r['cases'] = cases
            if where is not None:
                r['where'] = where
            if kind is not None:
                if kind not in KINDS + ('',):
                    raise LedgerError('%s: kind %r is not one of %s'
                                      % (cid, kind, ', '.join(KINDS)))
                r['kind'] = kind
            if note is not None:
                r['note'] = note
            if source is not None:
                if source:
                    import sources
                    try:
                        sources.parse_spec(source)
                    except sources.SourceSpecError as e:
                        raise LedgerError('%s: source: %s' % (cid, e))
                r['source'] = source
            save(os.path.basename(path)[:-len('.claims')], rows, claims_dir)
            return r
    raise LedgerError('no claim %s in claims/' % cid)


def main(argv):
    """claims.py set ID [verdict=V] [kind=K] [where=W] [cases=a.b,c.d]
    [source='op args; op args'] [note=TEXT]"""
    if len(argv) < 3 or argv[1] != 'set':
        sys.exit('usage: claims.py set ID [verdict=V] [kind=K] [where=W] '
                 '[cases=S.C,...] [source=CHECKS] [note=TEXT]')
    kw = dict(a.split('=', 1) for a in argv[3:])
    bad = set(kw) - {'verdict', 'cases', 'note', 'kind', 'where', 'source'}
    if bad:
        sys.exit('unknown field(s): %s' % ', '.join(sorted(bad)))
    try:
        update(argv[2], **kw)
    except LedgerError as e:
        sys.exit(str(e))


if __name__ == '__main__':
    main(sys.argv)
