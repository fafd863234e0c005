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


CHECKS = {
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
