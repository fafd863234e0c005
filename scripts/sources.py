"""Source evidence: facts of the kernel tree's text, checked on the tree
the runner builds. A claim names one as a case `source.<name>`; its result
is PASS or FAIL like a KUnit case, and its evidence kind is `source`.

A check returns (ok, detail): detail says what was counted or found, so the
ledger shows the numbers behind the verdict on each kernel.
"""
import os
import re
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


CHECKS = {
    'context_switch_calls_switch_mm_and_switch_to':
        context_switch_calls_switch_mm_and_switch_to,
    'down_outnumbers_down_interruptible': down_outnumbers_down_interruptible,
    'init_mutex_is_gone': init_mutex_is_gone,
}


def run(tree, names=None):
    """{'source.<name>': (status, detail)} for each check (or those named)."""
    out = {}
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
    return out
