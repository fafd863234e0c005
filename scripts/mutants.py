"""Kernel mutants: parse mutants/*.patch, check they apply, and run them.

A mutant is a small unified diff against the kernel tree with '#' header
lines (see mutants/README.md). `make mutants` applies each one to a private
copy of the tree (never the tree `make run` uses), rebuilds incrementally,
boots only the suites it names and classifies the outcome:

  killed      a case that passed on the clean kernel failed
  crashed     the kernel died or hung and no case failed (red, but evidence
              for no claim: not counted as killed)
  survived    every case that passed on the clean kernel still passed
  no-apply    the diff does not apply to this tree (not counted)
  no-build    the mutated tree does not build (not counted)
"""
import fnmatch
import glob
import os
import re
import shutil
import signal
import subprocess
import time

import claims
import ktap

MUTANTS_DIR = os.path.join(claims.ROOT, 'mutants')
HEADER_KEYS = ('claims', 'suites', 'kills', 'why', 'equivalent')
REQUIRED = ('claims', 'suites', 'kills', 'why')
NAME = re.compile(r'^[a-z0-9][a-z0-9-]*$')


class MutantError(Exception):
    pass


def _list(value):
    return [x.strip() for x in value.split(',') if x.strip()]


def parse(path):
    """Header fields and touched files of one mutant file."""
    name = os.path.basename(path)[:-len('.patch')]
    if not NAME.match(name):
        raise MutantError('%s: a mutant name is lowercase letters, digits '
                          'and dashes' % os.path.basename(path))
    with open(path, encoding='utf-8', errors='replace') as f:
        text = f.read()
    head, files = {}, []
    for line in text.splitlines():
        if line.startswith('---') or line.startswith('diff '):
            break
        m = re.match(r'^#\s*([a-z]+):\s*(.*)$', line)
        if m and m.group(1) in HEADER_KEYS:
            head[m.group(1)] = m.group(2).strip()
    for m in re.finditer(r'^\+\+\+ b/(\S+)', text, re.M):
        files.append(m.group(1))
    missing = [k for k in REQUIRED if not head.get(k)]
    if missing:
        raise MutantError('%s: header line(s) missing: %s'
                          % (os.path.basename(path),
                             ', '.join('# %s:' % k for k in missing)))
    if not files:
        raise MutantError('%s: no "+++ b/<path>" line: not a unified diff '
                          'against the tree root' % os.path.basename(path))
    return {'name': name, 'path': path, 'claims': _list(head['claims']),
            'suites': _list(head['suites']), 'kills': _list(head['kills']),
            'why': head['why'], 'equivalent': head.get('equivalent', ''),
            'files': sorted(set(files))}


def load(directory=MUTANTS_DIR, only=None):
    paths = sorted(glob.glob(os.path.join(directory, '*.patch')))
    # .c mutants first: a header rebuilds most of the kernel (minutes), and
    # its restore is paid by the next build, so headers go last
    muts = sorted((parse(p) for p in paths), key=lambda m: (
        any(not f.endswith('.c') for f in m['files']), m['name']))
    if only:
        globs = [g for g in re.split(r'[,\s]+', only) if g]
        pick = [m for m in muts if any(fnmatch.fnmatchcase(m['name'], g)
                                       for g in globs)]
        if not pick:
            raise MutantError('MUTANT=%s matches no mutants/<name>.patch'
                              % only)
        return pick
    return muts


def patch(tree, path, dry_run=False, reverse=False):
    cmd = ['patch', '-p1', '--batch', '--forward', '--silent', '-d', tree,
           '-i', path]
    if dry_run:
        cmd.append('--dry-run')
    if reverse:     # -f: never take a forward patch for a reversed one
        cmd = [c for c in cmd if c not in ('--forward', '--batch')] + [
            '-R', '-f', '-F0']
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       stdin=subprocess.DEVNULL)
    return r.returncode, r.stdout.decode(errors='replace')


def check(tree, rows, suites, muts):
    """Problems with the mutant files: header, references, applying."""
    ids = {r['id'] for r in rows}
    problems = []
    for m in muts:
        for cid in m['claims']:
            if cid not in ids:
                problems.append('mutant %s names claim %s, which is not in '
                                'claims/' % (m['name'], cid))
        for s in m['suites']:
            if s not in suites:
                problems.append('mutant %s names suite %s, which no kclaims '
                                'file defines' % (m['name'], s))
        for c in m['kills']:
            if c.split('.')[0] not in m['suites']:
                problems.append('mutant %s expects %s to go red, but does '
                                'not run its suite' % (m['name'], c))
        rc, out = patch(tree, m['path'], dry_run=True)
        if rc:
            problems.append('mutant %s does not apply to %s: %s'
                            % (m['name'], tree, ktap_last(out)))
    return problems


def ktap_last(text):
    lines = [x for x in text.strip().splitlines() if x.strip()]
    return lines[-1].strip() if lines else 'patch failed'


UNCOVERED = os.path.join(MUTANTS_DIR, 'UNCOVERED')


def load_uncovered(path=UNCOVERED):
    """mutants/UNCOVERED: {claim id: why no mutant can speak for it}."""
    out = {}
    if not os.path.exists(path):
        return out
    with open(path, encoding='utf-8') as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith('#'):
                continue
            m = re.match(r'^([A-Z][A-Z0-9-]+):\s*(\S.*)$', line)
            if not m:
                raise MutantError('UNCOVERED:%d: not "CLAIM-ID: why no '
                                  'mutant can speak"' % n)
            out[m.group(1)] = m.group(2)
    return out


# ------------------------------------------------------------ mutant tree

def restore(clean, mtree, state):
    """Undo whatever an earlier (maybe interrupted) mutant left: copy the
    files it touched back from the clean tree with a new mtime, so the next
    build recompiles them."""
    if not os.path.exists(state):
        return
    with open(state, encoding='utf-8') as f:
        files = [x.strip() for x in f.read().splitlines()[1:] if x.strip()]
    for rel in files:
        src, dst = os.path.join(clean, rel), os.path.join(mtree, rel)
        for leftover in (dst + '.orig', dst + '.rej'):
            if os.path.exists(leftover):
                os.unlink(leftover)
        if os.path.exists(src):
            tmp = dst + '.kclaims-restore'
            shutil.copyfile(src, tmp)
            shutil.copymode(src, tmp)
            os.replace(tmp, dst)
        elif os.path.exists(dst):
            os.unlink(dst)
    os.unlink(state)


def make_tree(clean, mtree):
    """A private full copy of the clean tree (once; ~15 s for 1.7 GB)."""
    stamp = os.path.join(mtree, '.kclaims-mutant-tree')
    want = 'copy of %s\n' % clean
    if os.path.exists(stamp):
        with open(stamp, encoding='utf-8') as f:
            if f.read() == want:
                return False
        shutil.rmtree(mtree)    # ours: it names a different clean tree
    tmp = mtree + '.partial'
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(os.path.dirname(mtree), exist_ok=True)
    r = subprocess.run(['cp', '-a', '--reflink=auto', clean, tmp],
                       stderr=subprocess.PIPE)
    if r.returncode:
        shutil.rmtree(tmp, ignore_errors=True)
        raise MutantError('copying %s for the mutants failed: %s'
                          % (clean, ktap_last(r.stderr.decode())))
    with open(os.path.join(tmp, '.kclaims-mutant-tree'), 'w',
              encoding='utf-8') as f:
        f.write(want)
    os.rename(tmp, mtree)
    return True


# ------------------------------------------------------------ running

def boot(tree, build_dir, kunit_args, glob_, bound, log_path):
    """kunit.py exec for one suite glob, bounded by wall-clock time. A hung
    UML kernel ignores SIGTERM: at the bound the whole process group (kunit.py
    and every UML process) gets SIGKILL. Returns (results, hung)."""
    cmd = ['python3', os.path.join(tree, 'tools/testing/kunit/kunit.py'),
           'exec'] + kunit_args + ['--timeout=%d' % bound, glob_]
    console = os.path.join(build_dir, 'test.log')
    if os.path.exists(console):
        os.unlink(console)
    hung = False
    with open(log_path, 'a', encoding='utf-8') as log:
        log.write('$ %s\n' % ' '.join(cmd))
        log.flush()
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL,
                                start_new_session=True)
        try:
            proc.wait(timeout=bound + 20)
        except subprocess.TimeoutExpired:
            hung = True
        finally:
            # kunit.py is done (or hung): no UML process may outlive it
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait()
    text = ''
    if os.path.exists(console):
        with open(console, encoding='utf-8', errors='replace') as f:
            text = ktap.extract(f.read())
    return ktap.parse(text), hung


def classify(baseline, results, suites, hung):
    """Outcome of one mutant from per-case statuses."""
    passed = [k for k, st in baseline.items() if st == 'PASS' and
              k.split('.')[0] in suites]
    failed = sorted(k for k in passed if results.get(k) == 'FAIL')
    lost = sorted(k for k in passed if results.get(k) not in ('PASS', 'FAIL'))
    if failed:
        return 'killed', failed, lost
    if lost or hung:
        return 'crashed', failed, lost
    return 'survived', failed, lost


def summary(results):
    counted = [r for r in results if r['outcome'] in
               ('killed', 'crashed', 'survived')]
    killed = [r for r in counted if r['outcome'] == 'killed']
    return len(killed), len(counted)
