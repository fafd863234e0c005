"""Source evidence: facts of the kernel tree's text, checked on the tree
the runner builds, for every kernel it builds. Two forms:

- declarative: a claim stanza's "source:" line (see below); its result is
  the case `source.<CLAIM-ID>`, PASS where every check holds;
- named: a Python check here, linked as the case `source.<name>`.

Either result is PASS or FAIL like a KUnit case, and its evidence kind is
`source`.

A check returns (ok, detail): detail says what was counted or found, so the
ledger shows the numbers behind the verdict on each kernel.
"""
import glob
import os
import re
import shlex
import subprocess

CODE_DIRS = ('arch', 'block', 'crypto', 'drivers', 'fs', 'init', 'io_uring',
             'ipc', 'kernel', 'lib', 'mm', 'net', 'security', 'sound',
             'virt')


def count_calls(tree, names):
    """Call sites of each function name in the tree's .c files: code lines
    (not comment lines) where the name follows no word character, '.' or
    '->' and is followed by '('. Prototypes count too: a handful against
    hundreds. grep(1) does the scan: 4 s for the tree."""
    alt = '|'.join(re.escape(n) for n in names)
    dirs = [d for d in CODE_DIRS if os.path.isdir(os.path.join(tree, d))]
    r = subprocess.run(['grep', '-rhE', '--include=*.c',
                        r'(^|[^A-Za-z0-9_.>])(%s)[[:space:]]*\(' % alt]
                       + dirs, cwd=tree, stdout=subprocess.PIPE,
                       stdin=subprocess.DEVNULL)
    if r.returncode > 1:
        raise OSError('grep failed in %s' % tree)
    counts = dict.fromkeys(names, 0)
    call = re.compile(r'(?:^|[^\w.>])(%s)\s*\(' % alt)
    for line in r.stdout.decode(errors='replace').splitlines():
        code = line.strip()
        if code.startswith(('*', '/*', '//')):
            continue
        code = re.sub(r'/\*.*?\*/|//.*$', '', code)
        for m in call.finditer(code):
            counts[m.group(1)] += 1
    return counts


def down_outnumbers_down_interruptible(tree):
    """SYNC-SEM-SLEEP-STATE: which semaphore sleep is used more."""
    c = count_calls(tree, ('down', 'down_interruptible'))
    return (c['down'] > c['down_interruptible'],
            'down( %(down)d call sites, down_interruptible( '
            '%(down_interruptible)d' % c)


def init_mutex_is_gone(tree):
    """SYNC-INIT-MUTEX: no header defines init_MUTEX any more (2.6.37)."""
    hits = []
    for dirpath, dirs, files in os.walk(os.path.join(tree, 'include')):
        for fn in files:
            if fn.endswith('.h'):
                path = os.path.join(dirpath, fn)
                with open(path, encoding='utf-8', errors='replace') as f:
                    if re.search(r'#\s*define\s+init_MUTEX\b|\binit_MUTEX\s*'
                                 r'\(\s*struct', f.read()):
                        hits.append(os.path.relpath(path, tree))
    return (not hits, 'defined in %s' % ', '.join(hits) if hits else
            'no header under include/ defines init_MUTEX')


def function_body(path, name):
    """Text of the C function @name defined in @path (from its name at the
    start of a line to the first '}' in column 0), or None."""
    with open(path, encoding='utf-8', errors='replace') as f:
        text = f.read()
    m = re.search(r'^%s\(.*?^\}' % re.escape(name), text, re.M | re.S)
    return m.group(0) if m else None


def context_switch_calls_switch_mm_and_switch_to(tree):
    """SCHED-CTXSW: context_switch() calls switch_mm_irqs_off() and
    switch_to(); x86's <asm/system.h> is gone (3.4: <asm/switch_to.h>)."""
    body = function_body(os.path.join(tree, 'kernel/sched/core.c'),
                         'context_switch') or ''
    calls = [c for c in ('switch_mm_irqs_off', 'switch_to')
             if re.search(r'\b%s\(' % c, body)]
    inc = os.path.join(tree, 'arch/x86/include/asm')
    system_h = os.path.exists(os.path.join(inc, 'system.h'))
    switch_h = os.path.exists(os.path.join(inc, 'switch_to.h'))
    ok = len(calls) == 2 and switch_h and not system_h
    return ok, ('context_switch() in kernel/sched/core.c calls %s; '
                'asm/system.h %s, asm/switch_to.h %s' % (
                    ' and '.join(calls) or 'neither',
                    'exists' if system_h else 'is gone',
                    'exists' if switch_h else 'is missing'))


# ------------------------------------------------------------ declarative
#
# A claim stanza may carry a "source:" line: checks separated by ";", each
# an operation and its arguments (shell quoting for patterns with spaces),
# "!" in front to expect the opposite. Every check states a fact the
# verdict rests on; the claim's source evidence passes only where all of
# them hold on the tree under test, and the ledger fails where one does not
# (the verdict does not match this kernel). FILE arguments are paths or
# globs relative to the tree ("include/linux/*.h", "arch/*/kernel/irq.c").
#
#   path P                 P exists
#   defined FILE NAME      FILE defines NAME: a function, a macro, a struct/
#                          union/enum, a typedef, an asm symbol, or a
#                          DEFINE_*()/SYSCALL_DEFINEn() definition
#   member FILE STRUCT F   struct/union STRUCT in FILE has a member F
#   in FILE NAME REGEX     the definition of NAME in FILE matches REGEX
#   calls FILE FUNC CALLEE the definition of FUNC in FILE calls CALLEE()
#   grep FILE REGEX        a line of FILE matches REGEX (a REGEX with \n
#                          matches over lines)
#   count A > B            call sites in the tree's .c files: A( more than
#   count A >= N           B(, or at least N (also <, <=, ==)
#
# A finding is one line: "PASS|FAIL <check> :: <what was found> @ <file:line>"
# (the "@ ..." part only where a place was found).

OPS = {'path': 1, 'defined': 2, 'member': 3, 'in': 3, 'calls': 3,
       'grep': 2, 'count': 3}
CMP = {'>': lambda a, b: a > b, '>=': lambda a, b: a >= b,
       '<': lambda a, b: a < b, '<=': lambda a, b: a <= b,
       '==': lambda a, b: a == b}


class SourceSpecError(ValueError):
    pass


def parse_spec(text):
    """'op args; !op args' -> [(negated, op, [args]), ...]."""
    lex = shlex.shlex(text, posix=True, punctuation_chars=';')
    lex.whitespace_split = True
    lex.commenters = ''
    try:
        tokens = list(lex)
    except ValueError as e:
        raise SourceSpecError('cannot split %r: %s' % (text, e))
    checks, cur = [], []
    for tok in tokens + [';']:
        if tok.strip(';'):
            cur.append(tok)
            continue
        if not cur:
            continue
        op, args = cur[0], cur[1:]
        neg = op.startswith('!')
        op = op.lstrip('!')
        if op not in OPS:
            raise SourceSpecError('unknown source check %r (use %s)'
                                  % (op, ', '.join(sorted(OPS))))
        if len(args) != OPS[op]:
            raise SourceSpecError('%s takes %d argument(s), got %r'
                                  % (op, OPS[op], args))
        if op == 'count' and args[1] not in CMP:
            raise SourceSpecError('count A OP B: OP is one of %s, got %r'
                                  % (' '.join(CMP), args[1]))
        if op in ('in', 'grep'):
            try:
                re.compile(args[-1])
            except re.error as e:
                raise SourceSpecError('bad pattern %r: %s' % (args[-1], e))
        checks.append((neg, op, args))
        cur = []
    return checks


def spec_text(neg, op, args):
    return ('!' if neg else '') + ' '.join(
        [op] + [shlex.quote(a) for a in args])


def _files(tree, pattern):
    return sorted(os.path.relpath(p, tree) for p in
                  glob.glob(os.path.join(tree, pattern), recursive=True)
                  if os.path.isfile(p))


_TEXT = {}


def _lines(tree, rel):
    key = (tree, rel)
    if key not in _TEXT:
        with open(os.path.join(tree, rel), encoding='utf-8',
                  errors='replace') as f:
            _TEXT[key] = f.read().split('\n')
    return _TEXT[key]


def _def_patterns(name):
    n = re.escape(name)
    return [
        ('macro', re.compile(r'^\s*#\s*define\s+%s\b' % n)),
        ('type', re.compile(r'^(?:typedef\s+)?(?:struct|union|enum)\s+%s\s*'
                            r'(?:\{|$)' % n)),
        ('typedef', re.compile(r'^(?:typedef\b.*\b%s\s*;|\}\s*%s\s*;)'
                               % (n, n))),
        ('asm', re.compile(r'^\s*(?:SYM_[A-Z_]*START[A-Z_]*|ENTRY|GLOBAL)\('
                           r'\s*%s\s*[,)]|^%s:' % (n, n))),
        ('wrapper', re.compile(r'^(?:DEFINE_[A-Z_]+|(?:COMPAT_)?SYSCALL_'
                               r'DEFINE\d)\(\s*%s\s*[,)]' % n)),
        ('function', re.compile(r'^(?:[A-Za-z_][^;=]*?)?(?<![\w.>])%s\s*\('
                                % n)),
    ]


def _is_function_def(lines, i, paren=True):
    """Line i opens a definition with a body: '{' comes before any ';'
    (after the parameter list for a function)."""
    text = '\n'.join(lines[i:i + 30])
    text = re.sub(r'/\*.*?\*/', '', text, flags=re.S)
    m = re.search(r'[;{]', text[max(text.find('('), 0) if paren else 0:])
    return bool(m) and m.group(0) == '{'


def find_definition(tree, pattern, name):
    """(file, line index, kind) of the first definition of name in the
    files matching pattern, or None."""
    pats = _def_patterns(name)
    for rel in _files(tree, pattern):
        lines = _lines(tree, rel)
        for i, line in enumerate(lines):
            if name not in line:
                continue
            for kind, rx in pats:
                if rx.search(line) and (kind not in ('function', 'type') or
                                        _is_function_def(lines, i,
                                                         kind == 'function')):
                    return rel, i, kind
    return None


def definition_text(tree, found):
    """The lines of a definition: a macro to its last continuation line;
    a function, type or wrapper to its closing brace; an asm symbol to its
    END line."""
    rel, i, kind = found
    lines = _lines(tree, rel)
    if kind == 'macro':
        j = i
        while j < len(lines) - 1 and lines[j].rstrip().endswith('\\'):
            j += 1
        return i, lines[i:j + 1]
    if kind == 'asm':
        for j in range(i + 1, min(len(lines), i + 400)):
            if re.match(r'^\s*(?:SYM_[A-Z_]*END|END)\(', lines[j]):
                return i, lines[i:j + 1]
        return i, lines[i:i + 1]
    if kind == 'typedef':
        return i, lines[i:i + 1]
    if kind == 'function' and i and re.match(r'^[A-Za-z_]', lines[i]) and \
            re.match(r'^[A-Za-z_].*[\w*]\s*$', lines[i - 1]):
        i -= 1      # "static inline int\nname(...)": the type line too
    depth, seen = 0, False
    for j in range(i, len(lines)):
        code = re.sub(r'//.*$|"(?:\\.|[^"\\])*"|\'(?:\\.|[^\'\\])*\'', '',
                      lines[j])
        depth += code.count('{') - code.count('}')
        seen = seen or '{' in code
        if seen and depth <= 0:
            return i, lines[i:j + 1]
    return i, lines[i:]


def _where(rel, i):
    return '%s:%d' % (rel, i + 1)


def _eval(tree, neg, op, args):
    """(fact holds, what was found, file:line or '')."""
    if op == 'path':
        hits = [os.path.relpath(p, tree) for p in
                sorted(glob.glob(os.path.join(tree, args[0])))]
        if hits:
            return True, 'exists', hits[0]
        return False, 'no such path', ''
    if op == 'count':
        a, cmp_, b = args
        names = [a] + ([] if b.isdigit() else [b])
        c = count_calls(tree, tuple(names))
        rhs = int(b) if b.isdigit() else c[b]
        text = '%s( %d call sites, %s' % (
            a, c[a], b if b.isdigit() else '%s( %d' % (b, c[b]))
        return CMP[cmp_](c[a], rhs), text, ''
    files = _files(tree, args[0])
    if not files:       # never a pass, negated or not: fix the path
        return None, 'no file %s' % args[0], ''
    if op == 'grep':
        rx = re.compile(args[1])
        if '\\n' in args[1]:      # a pattern over several lines
            for rel in files:
                text = '\n'.join(_lines(tree, rel))
                m = rx.search(text)
                if m:
                    i = text.count('\n', 0, m.start())
                    return True, 'matches: %s' % ' / '.join(
                        x.strip() for x in m.group(0).split('\n'))[:140], \
                        _where(rel, i)
            return False, 'no match in %s' % ', '.join(files[:3]), ''
        for rel in files:
            for i, line in enumerate(_lines(tree, rel)):
                if rx.search(line):
                    return True, 'matches: %s' % line.strip()[:100], \
                        _where(rel, i)
        return False, 'no line matches in %s' % ', '.join(files[:3]), ''
    name = args[1]
    found = find_definition(tree, args[0], name)
    if op == 'defined':
        if found:
            return True, 'defined (%s)' % found[2], _where(found[0], found[1])
        return False, 'not defined in %s' % ', '.join(files[:3]), ''
    if not found:       # never a pass: the check names a definition
        return None, '%s is not defined in %s' % (
            name, ', '.join(files[:3])), ''
    start, body = definition_text(tree, found)
    if op == 'member':
        rx = re.compile(r'(?<![\w.>])%s\s*(?:\[[^]]*\]\s*)*[;:,]|'
                        r'\(\s*\*\s*%s\s*\)\s*\(' % ((re.escape(args[2]),) * 2))
        hit = 1
    elif op == 'calls':
        rx = re.compile(r'(?<![\w.>])%s\s*\(' % re.escape(args[2]))
        hit = 1
    else:
        rx = re.compile(args[2])
        hit = 0
    for k, line in enumerate(body[hit:], hit):
        code = line if op == 'in' else re.sub(r'/\*.*?\*/|//.*$', '', line)
        if op != 'in' and code.strip().startswith(('*', '/*')):
            continue
        if rx.search(code):
            return True, '%s %s: %s' % (
                name, {'member': 'has', 'calls': 'calls',
                       'in': 'matches'}[op], line.strip()[:100]), \
                _where(found[0], start + k)
    if op == 'in' and rx.search('\n'.join(body)):
        return True, '%s matches %s' % (name, args[2]), \
            _where(found[0], start)
    return False, '%s (%s) %s' % (
        name, _where(found[0], start), {
            'member': 'has no member %s' % args[2],
            'calls': 'does not call %s()' % args[2],
            'in': 'does not match %s' % args[2]}[op]), ''


def evaluate(tree, spec):
    """Run a claim's source checks: (all hold, [finding line, ...])."""
    findings, ok_all = [], True
    for neg, op, args in parse_spec(spec):
        try:
            fact, what, where = _eval(tree, neg, op, args)
        except OSError as e:
            fact, what, where = None, 'cannot read the tree: %s' % e, ''
        ok = fact is not None and fact != neg
        ok_all = ok_all and ok
        findings.append('%s %s :: %s%s' % ('PASS' if ok else 'FAIL',
                                          spec_text(neg, op, args), what,
                                          ' @ ' + where if where else ''))
    return ok_all, findings


def split_finding(line):
    """A finding line -> dict(status, check, found, where)."""
    m = re.match(r'^(PASS|FAIL|SKIP) (.*?) :: (.*?)(?: @ (\S+))?$', line)
    if not m:
        return {'status': '', 'check': '', 'found': line, 'where': ''}
    return {'status': m.group(1), 'check': m.group(2), 'found': m.group(3),
            'where': m.group(4) or ''}


CHECKS = {
    'context_switch_calls_switch_mm_and_switch_to':
        context_switch_calls_switch_mm_and_switch_to,
    'down_outnumbers_down_interruptible': down_outnumbers_down_interruptible,
    'init_mutex_is_gone': init_mutex_is_gone,
}


def run(tree, names=None, rows=None):
    """{'source.<name>': (status, detail)} for each named check (or those
    named) and, with names None, for each claim with a "source:" line
    (rows: the ledger, claims.load() by default). A declarative detail is
    one finding line per check (split_finding)."""
    out = {}
    _TEXT.clear()
    full = os.path.isfile(os.path.join(tree, 'kernel', 'fork.c'))
    for name, fn in sorted(CHECKS.items()):
        if names is not None and name not in names:
            continue
        if not full:
            out['source.' + name] = ('SKIP', 'not a full kernel tree')
            continue
        try:
            ok, detail = fn(tree)
        except OSError as e:
            ok, detail = False, 'cannot read the tree: %s' % e
        out['source.' + name] = ('PASS' if ok else 'FAIL', detail)
    if names is not None:
        return out
    if rows is None:
        import claims
        rows = claims.load()
    for r in rows:
        if not r.get('source'):
            continue
        if not full:
            out['source.' + r['id']] = ('SKIP', 'not a full kernel tree')
            continue
        try:
            ok, findings = evaluate(tree, r['source'])
        except SourceSpecError as e:
            ok, findings = False, ['FAIL %s :: %s' % (r['source'], e)]
        # failing checks first: the runner prints the detail's first line
        findings.sort(key=lambda f: not f.startswith('FAIL'))
        out['source.' + r['id']] = ('PASS' if ok else 'FAIL',
                                    '\n'.join(findings))
    return out
