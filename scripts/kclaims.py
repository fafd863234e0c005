#!/usr/bin/env python3
"""kclaims runner: install, unpack, graft, build and run the kclaims KUnit
suites with the kernel's own kunit.py, then write out/ and check the ledger.

Python 3 standard library only, like kunit.py itself.
Exit status: 0 all green, 1 a test failed or crashed, 2 setup or usage error.
"""
import argparse
import contextlib
import fcntl
import fnmatch
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ci_workflow  # noqa: E402
import claims  # noqa: E402
import ktap  # noqa: E402
import kunitconfigs  # noqa: E402
import ledger_html  # noqa: E402
import mutants  # noqa: E402
import reports  # noqa: E402
import sources  # noqa: E402

ROOT = claims.ROOT
KBUILD_LINE = 'obj-y += kclaims/'
KCONFIG_LINE = 'source "kclaims/Kconfig"'
LINK = 'kclaims'
DEFAULT_KERNEL = '6.12'
ARCHES = ('um', 'x86_64', 'i386')
# tool -> Debian package; python3 is running this script already
BUILD_TOOLS = {'make': 'make', 'gcc': 'gcc', 'flex': 'flex',
               'bison': 'bison', 'bc': 'bc'}
QEMU = {'x86_64': 'qemu-system-x86_64', 'i386': 'qemu-system-i386'}
GIB = 1 << 30
# measured on 6.12.117: the unpacked tree is 1.7 GiB, a UML build dir 120 MiB
NEED_UNPACK = 2 * GIB
NEED_COLD_BUILD = GIB
NEED_WARM = GIB // 2
# areas where every testable claim must link a passing case
REQUIRED_AREAS = ('mm', 'uaccess')


class SetupError(Exception):
    """A problem with the machine, the options or the tree: exit 2."""


def say(msg):
    print('kclaims: ' + msg, flush=True)


# ---------------------------------------------------------------- tools

def apt_line(pkgs):
    return ('apt-get update && apt-get install -y --no-install-recommends '
            + ' '.join(sorted(set(pkgs))))


def ensure_packages(pkgs, why):
    """Install Debian packages, or explain exactly how (exit 2)."""
    pkgs = sorted(set(pkgs))
    if not pkgs:
        return
    if os.environ.get('KCLAIMS_NO_APT') or not shutil.which('apt-get'):
        raise SetupError('%s is missing; install it with: %s'
                         % (why, apt_line(pkgs)))
    if os.geteuid() != 0:
        raise SetupError('%s is missing and installing needs root; run: sudo '
                         'sh -c "%s"' % (why, apt_line(pkgs)))
    say('installing %s (%s)' % (' '.join(pkgs), why))
    env = dict(os.environ, DEBIAN_FRONTEND='noninteractive')
    quiet = {'stdout': subprocess.DEVNULL, 'stderr': subprocess.PIPE,
             'stdin': subprocess.DEVNULL, 'env': env}
    r = subprocess.run(['apt-get', 'update'], **quiet)
    if r.returncode:
        raise SetupError('apt-get update failed: %s'
                         % last_line(r.stderr.decode(errors='replace')))
    r = subprocess.run(['apt-get', 'install', '-y', '--no-install-recommends']
                       + pkgs, **quiet)
    if r.returncode:
        err = r.stderr.decode(errors='replace')
        m = re.search(r'Unable to locate package (\S+)', err)
        if m:
            raise SetupError('Debian has no package %s here (%s).'
                             % (m.group(1), why))
        raise SetupError('apt-get install %s failed: %s'
                         % (' '.join(pkgs), last_line(err)))


def last_line(text):
    lines = [x.strip() for x in text.strip().splitlines() if x.strip()]
    return lines[-1] if lines else '(no output)'


def ensure_tools(arch):
    missing = [pkg for tool, pkg in BUILD_TOOLS.items()
               if not shutil.which(tool)]
    if arch != 'um':
        if not shutil.which(QEMU[arch]):
            missing.append('qemu-system-x86')
        if not os.path.exists('/usr/include/libelf.h'):
            missing.append('libelf-dev')
    if missing:
        ensure_packages(missing, 'build tool(s) %s' % ', '.join(missing))
    still = [t for t in BUILD_TOOLS if not shutil.which(t)]
    if still:
        raise SetupError('%s is still not on PATH after installing.'
                         % ', '.join(still))


# ---------------------------------------------------------------- tree

def kernel_version(tree):
    try:
        with open(os.path.join(tree, 'Makefile'), encoding='utf-8') as f:
            head = f.read(4096)
    except OSError:
        raise SetupError('%s has no top-level Makefile; it is not a kernel '
                         'tree.' % tree)
    vals = {}
    for k in ('VERSION', 'PATCHLEVEL', 'SUBLEVEL'):
        m = re.search(r'^%s = (\d+)' % k, head, re.M)
        if not m:
            raise SetupError('%s/Makefile has no %s line; it is not a kernel '
                             'tree.' % (tree, k))
        vals[k] = m.group(1)
    return '%(VERSION)s.%(PATCHLEVEL)s.%(SUBLEVEL)s' % vals


def check_tree(tree):
    if not os.path.isdir(tree):
        raise SetupError('KSRC=%s does not exist or is not a directory.'
                         % tree)
    kunit = os.path.join(tree, 'tools/testing/kunit/kunit.py')
    if not os.path.isfile(kunit):
        raise SetupError('%s has no tools/testing/kunit/kunit.py; kclaims '
                         'needs a kernel tree with KUnit (4.19 or later).'
                         % tree)
    if (os.path.exists(os.path.join(tree, '.config')) or
            os.path.isdir(os.path.join(tree, 'include/config'))):
        raise SetupError('%s has been built in place (it has a .config); '
                         'kunit.py needs a clean tree, so clean it yourself '
                         '(make mrproper) or use another tree.' % tree)
    return kernel_version(tree)


def check_space(path, need, what):
    free = shutil.disk_usage(path).free
    if free < need:
        raise SetupError('only %.1f GiB free under %s; %s needs about '
                         '%.1f GiB.' % (free / GIB, path, what, need / GIB))


def writable_dir(path, what):
    try:
        os.makedirs(path, exist_ok=True)
    except OSError as e:
        raise SetupError('cannot create the %s %s: %s.'
                         % (what, path, e.strerror))
    if not os.access(path, os.W_OK | os.X_OK):
        raise SetupError('the %s %s is not writable.' % (what, path))


# where Debian's linux-source-<series> packages put their tarball
USR_SRC = '/usr/src'
# files of a cached tree that the graft changes, and what running kunit.py
# adds: not part of the package's manifest
GRAFTED = ('Kbuild', 'Kconfig', LINK)


def tree_manifest(tree):
    """relative path -> 'size mtime_ns' of every file of a tree (0.5 s for
    6.12's 87k files), minus the graft and Python's byte-code caches."""
    man = {}
    for dirpath, dirs, files in os.walk(tree):
        rel = os.path.relpath(dirpath, tree)
        if rel == '.':
            dirs[:] = [d for d in dirs if d not in GRAFTED]
            files = [f for f in files if f not in GRAFTED]
            rel = ''
        dirs[:] = [d for d in dirs if d != '__pycache__']
        for fn in files:
            path = os.path.join(dirpath, fn)
            with contextlib.suppress(OSError):
                st = os.lstat(path)
                man[os.path.join(rel, fn)] = '%d %d' % (st.st_size,
                                                        st.st_mtime_ns)
    return man


def manifest_path(tree):
    return tree + '.kclaims-manifest.json'


def write_manifest(tree, tarball):
    tmp = manifest_path(tree) + '.new'
    with open(tmp, 'w', encoding='utf-8') as f:
        json.dump({'tarball': tarball, 'files': tree_manifest(tree)}, f)
    os.replace(tmp, manifest_path(tree))


def repair_cached_tree(tree, tarball, name):
    """A cached tree whose files differ from its manifest (a mutant or an
    edit left behind, a tree from before manifests): compare it with the
    package (tar -d, ~12 s), unpack the files that differ again and touch
    them, so that the next build recompiles what they feed."""
    say('the cached tree %s differs from its manifest: comparing it with %s '
        'and restoring what differs' % (tree, tarball))
    src = os.path.dirname(tree)
    r = subprocess.run(['tar', '-C', src, '-df', tarball],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       stdin=subprocess.DEVNULL)
    out = r.stdout.decode(errors='replace')
    bad = set()
    for line in out.splitlines():
        m = re.match(r'(?:tar: )?(%s/[^:]+): (?:Contents|Size|Mod time|'
                     r'Mode|Uid|Gid|File type|Symlink) differ' %
                     re.escape(name), line) or \
            re.match(r'tar: (%s/[^:]+): Warning: Cannot stat' %
                     re.escape(name), line)
        if m and m.group(1)[len(name) + 1:] not in GRAFTED:
            bad.add(m.group(1))
    if r.returncode not in (0, 1):
        raise SetupError('comparing %s with %s failed: %s' % (
            tree, tarball, last_line(out)))
    if bad:
        for rel in sorted(bad):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(os.path.join(src, rel))
        r = subprocess.run(['tar', '-C', src, '-xf', tarball] + sorted(bad),
                           stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
        if r.returncode:
            raise SetupError('restoring %s from %s failed: %s' % (
                ', '.join(sorted(bad)[:3]), tarball,
                last_line(r.stderr.decode(errors='replace'))))
        now = time.time()
        for rel in bad:     # newer than their objects: rebuilt next build
            with contextlib.suppress(OSError):
                os.utime(os.path.join(src, rel), (now, now))
        say('restored %d file(s) from the package: %s' % (
            len(bad), ', '.join(sorted(x[len(name) + 1:] for x in bad)[:5])))
    write_manifest(tree, tarball)


def check_cached_tree(tree, tarball, name):
    """The cached tree still is the package's (see repair_cached_tree)."""
    try:
        with open(manifest_path(tree), encoding='utf-8') as f:
            want = json.load(f)['files']
    except (OSError, ValueError, KeyError):
        want = None
    if want is not None and tree_manifest(tree) == want:
        return
    repair_cached_tree(tree, tarball, name)


def unpack_debian_source(kernel, cache):
    """Return the cached tree for Debian's linux-source-<kernel>: unpacked
    once into a temporary directory and renamed (an interrupted unpack
    leaves no half tree, only a .unpack-* directory the next one removes),
    checked against its manifest on every run."""
    if not re.fullmatch(r'\d+\.\d+', kernel):
        raise SetupError('KERNEL=%s is not a kernel series like 6.12 or 6.1.'
                         % kernel)
    name = 'linux-source-' + kernel
    src = os.path.join(cache, 'src')
    tree = os.path.join(src, name)
    tarball = os.path.join(USR_SRC, '%s.tar.xz' % name)
    writable_dir(src, 'kernel source cache')
    with build_lock(cache, 'src'):
        for old in os.listdir(src):     # left by an interrupted unpack
            if old.startswith('.unpack-'):
                say('removing %s, left by an interrupted unpack' % old)
                shutil.rmtree(os.path.join(src, old), ignore_errors=True)
        if os.path.isfile(os.path.join(tree, 'Makefile')):
            if not os.path.exists(tarball):
                ensure_packages([name], 'the kernel source %s' % name)
            check_cached_tree(tree, tarball, name)
            return tree
        if not os.path.exists(tarball):
            ensure_packages([name], 'the kernel source %s' % name)
        if not os.path.exists(tarball):
            raise SetupError('%s did not install %s.' % (name, tarball))
        check_space(src, NEED_UNPACK, 'unpacking %s' % name)
        say('unpacking %s into %s (once)' % (tarball, src))
        tmp = tempfile.mkdtemp(prefix='.unpack-', dir=src)
        try:
            # tar(1) is ~3x faster than tarfile for 1.7 GB
            r = subprocess.run(['tar', '-C', tmp, '-xf', tarball],
                               stderr=subprocess.PIPE)
            if r.returncode:
                raise SetupError('unpacking %s failed: %s' % (
                    tarball, last_line(r.stderr.decode(errors='replace'))))
            os.rename(os.path.join(tmp, name), tree)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        write_manifest(tree, tarball)
    return tree


# ---------------------------------------------------------------- graft

def _graft_plan(path, line, what):
    """New text for a root Kbuild/Kconfig, or None if already grafted."""
    try:
        with open(path, encoding='utf-8') as f:
            text = f.read()
    except OSError:
        raise SetupError('%s cannot be read; is this a kernel tree?' % path)
    ours = [x for x in text.splitlines()
            if 'kclaims' in x and not x.lstrip().startswith('#')]
    if ours == [line]:
        return text, None
    if ours:
        raise SetupError('%s already has a different kclaims line (%r); '
                         'refusing to guess, fix it by hand.'
                         % (path, ours[0].strip()))
    if not text.endswith('\n'):
        text += '\n'
    return text, text + '\n# %s\n%s\n' % (what, line)


def graft(tree, project=ROOT):
    """Link the project into tree and add the two graft lines. Idempotent;
    re-points a link that names another clone; all or nothing."""
    link = os.path.join(tree, LINK)
    kbuild = os.path.join(tree, 'Kbuild')
    kconfig = os.path.join(tree, 'Kconfig')
    if os.path.lexists(link) and not os.path.islink(link):
        raise SetupError('%s exists and is not a kclaims link; refusing to '
                         'touch it.' % link)
    plans = [(kbuild, _graft_plan(kbuild, KBUILD_LINE, 'kclaims tests')),
             (kconfig, _graft_plan(kconfig, KCONFIG_LINE, 'kclaims tests'))]
    old_target = os.readlink(link) if os.path.islink(link) else None
    done = []
    try:
        if old_target != project:
            tmp = link + '.kclaims-new'
            if os.path.lexists(tmp):
                os.unlink(tmp)
            os.symlink(project, tmp)
            os.replace(tmp, link)
            done.append(('link', old_target))
        for path, (old, new) in plans:
            if new is None:
                continue
            tmp = path + '.kclaims-new'
            with open(tmp, 'w', encoding='utf-8') as f:
                f.write(new)
            shutil.copymode(path, tmp)
            os.replace(tmp, path)
            done.append((path, old))
    except OSError as e:
        for what, old in reversed(done):   # roll back what was changed
            with contextlib.suppress(OSError):
                if what == 'link':
                    os.unlink(link)
                    if old is not None:
                        os.symlink(old, link)
                else:
                    with open(what, 'w', encoding='utf-8') as f:
                        f.write(old)
        raise SetupError('cannot graft kclaims into %s: %s (nothing was '
                         'left changed).' % (tree, e.strerror or e))
    return [d[0] for d in done]


def ungraft(tree):
    """Undo graft(): drop the two lines (and their comment) and the link."""
    for name, line in (('Kbuild', KBUILD_LINE), ('Kconfig', KCONFIG_LINE)):
        path = os.path.join(tree, name)
        with open(path, encoding='utf-8') as f:
            text = f.read()
        new = text.replace('\n# kclaims tests\n%s\n' % line, '')
        new = '\n'.join(x for x in new.split('\n') if x != line)
        if new != text:
            with open(path, 'w', encoding='utf-8') as f:
                f.write(new)
    link = os.path.join(tree, LINK)
    if os.path.islink(link):
        os.unlink(link)


# ---------------------------------------------------------------- kunit.py

@contextlib.contextmanager
def build_lock(cache, name=None):
    """One kernel build at a time per cache (2 cores; shared build dirs).
    A named lock guards one extra mutant worker's own tree instead."""
    writable_dir(os.path.join(cache, 'build'), 'build cache')
    path = os.path.join(cache, 'build', '.lock' + ('-' + name if name
                                                   else ''))
    with open(path, 'a') as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            say('waiting for another kclaims build in %s to finish' % cache)
            fcntl.flock(f, fcntl.LOCK_EX)
        yield


def missing_symbols(output):
    """The options kunit.py's validate_config says did not survive."""
    m = re.search(r'^Missing: (.*)$', output, re.M)
    return m.group(1).split(', ') if m else []


def known_symbols(tree):
    names = set()
    for dirpath, dirs, files in os.walk(tree):
        dirs[:] = [d for d in dirs if not d.startswith('.')]
        for fn in files:
            if fn.startswith('Kconfig'):
                with open(os.path.join(dirpath, fn), encoding='utf-8',
                          errors='replace') as f:
                    names.update(re.findall(r'^\s*(?:menu)?config\s+(\w+)',
                                            f.read(), re.M))
    return names


def explain_missing(missing, tree, arch):
    known = known_symbols(tree)
    unknown, unmet = [], []
    for opt in missing:
        name = re.sub(r'^CONFIG_|=.*$|^# CONFIG_| is not set$', '', opt)
        (unmet if name in known else unknown).append(opt)
    if unknown:
        return ('kunitconfig asks for %s, which this kernel does not have '
                '(no such Kconfig symbol).' % ', '.join(unknown))
    return ('kunitconfig asks for %s, which cannot be enabled for ARCH=%s on '
            'this kernel (unmet dependencies).' % (', '.join(unmet), arch))


def kunit_cmd(tree, verb, args):
    return [sys.executable, os.path.join(tree, 'tools/testing/kunit/kunit.py'),
            verb] + args


def run_logged(cmd, log_path, echo_pattern=None, timeout=None,
               append=False, bound=None):
    """Run cmd, write all output to log_path, echo lines matching pattern.
    With @bound (seconds), cmd runs in a session of its own and the whole
    process group gets SIGKILL at the bound: a hung UML kernel ignores
    kunit.py's SIGTERM and its processes hold the pipe open, so neither
    kunit.py's --timeout nor EOF can be relied on. Returns (rc, output);
    rc is None when the bound cut the command off."""
    killed = threading.Event()

    def cut_off(proc):
        killed.set()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)

    with open(log_path, 'a' if append else 'w', encoding='utf-8') as log:
        log.write('$ %s\n' % ' '.join(cmd))
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL,
                                start_new_session=bound is not None)
        timer = None
        if bound is not None:
            timer = threading.Timer(bound, cut_off, (proc,))
            timer.daemon = True
            timer.start()
        out = []
        try:
            for raw in proc.stdout:
                line = raw.decode(errors='replace')
                out.append(line)
                log.write(line)
                if echo_pattern and re.search(echo_pattern, line):
                    print('  ' + line.rstrip(), flush=True)
            rc = proc.wait(timeout=timeout)
        except BaseException:
            if bound is not None:   # SIGINT: leave no UML process behind
                cut_off(proc)
            raise
        finally:
            if timer:
                timer.cancel()
            if bound is not None:
                # kunit.py is done: no UML process may outlive it
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
        if killed.is_set():
            log.write('kclaims: cut off after %d s (wall-clock bound)\n'
                      % bound)
            rc = None
    return rc, ''.join(out)


# ---------------------------------------------------------------- run

# PROFILE=<name>: the kunitconfig fragments added to ./kunitconfig (each
# profile with fragments has a build dir of its own) and how it boots.
# seconds past kunit.py's own --timeout before the runner kills the boot
HANG_MARGIN = 30
LOCKDEP_SUITE = 'kclaims_lockdep'
LOCKDEP_FILE = 'sync-tests/kclaims_lockdep_kunit.c'
LOCKDEP_ARG = 'kclaims_lockdep_kunit.which=%s'
PROFILES = {
    'default': {},
    # KASAN, ODEBUG, DEBUG_VM, PROVE_RCU, kmemleak: kunitconfig.debug
    'debug': {'fragments': ('kunitconfig.debug',)},
    # the default kernel, one boot per lockdep case (lockdep reports once)
    'lockdep': {'build': 'default', 'boots': 'lockdep'},
    # the default kernel with failslab, fail_page_alloc and fail_usercopy
    # armed by kclaims_begin once boot is over (an injected failure during
    # boot can BUG()): 2 % of the allocations that may not sleep
    # (ignore-gfp-wait is on by default) and of user copies fail. A case that fails while a
    # failure was injected into it counts as skipped (its claim needs the
    # allocation); a crash, a hang or a report is red as always, except a
    # report during boot, where the kernel's own init code meets them.
    'faults': {'build': 'default',
               'kernel_args': ('kclaims_begin_kunit.faults=2',),
               'injected_fail_is_skip': True, 'boot_reports_ok': True},
}

# Debian series named in the README that have never been built here
UNSUPPORTED_KERNELS = ('6.1',)


def parse_env_args(argv):
    p = argparse.ArgumentParser(prog='kclaims', add_help=True)
    sub = p.add_subparsers(dest='cmd', metavar='COMMAND')
    for name in ('run', 'test', 'compile', 'graft', 'ungraft', 'ledger',
                 'checkpatch', 'mutants', 'soak', 'report'):
        s = sub.add_parser(name)
        s.add_argument('--ksrc', default=os.environ.get('KSRC') or None)
        s.add_argument('--kernel',
                       default=os.environ.get('KERNEL') or DEFAULT_KERNEL)
        s.add_argument('--arch', default=os.environ.get('ARCH') or 'um')
        s.add_argument('--filter', default=os.environ.get('FILTER') or None)
        s.add_argument('--cache', default=os.environ.get('KCLAIMS_CACHE') or
                       os.path.expanduser('~/.cache/kclaims'))
        s.add_argument('--out', default=os.environ.get('KCLAIMS_OUT') or
                       os.path.join(ROOT, 'out'))
        s.add_argument('--kunitconfig',
                       default=os.environ.get('KUNITCONFIG') or
                       os.path.join(ROOT, 'kunitconfig'))
        s.add_argument('--profile',
                       default=os.environ.get('PROFILE') or 'default')
        s.add_argument('--jobs', type=int,
                       default=int(os.environ.get('JOBS') or
                                   len(os.sched_getaffinity(0))))
        s.add_argument('--timeout', type=int,
                       default=int(os.environ.get('TIMEOUT') or 600))
        s.add_argument('--file', default=os.environ.get('FILE') or None)
        s.add_argument('--runs', type=int,
                       default=int(os.environ.get('RUNS') or 20))
        s.add_argument('--mutant', default=os.environ.get('MUTANT') or None)
        s.add_argument('--mutant-jobs', dest='mutant_jobs', type=int,
                       default=int(os.environ.get('MUTANT_JOBS') or 1))
        s.add_argument('--mutant-timeout', dest='mutant_timeout', type=int,
                       default=int(os.environ.get('MUTANT_TIMEOUT') or 240))
        s.add_argument('--qemu-args', dest='qemu_args',
                       default=os.environ.get('QEMU_ARGS') or '-smp 2')
    p.error = lambda msg: (_ for _ in ()).throw(SetupError(
        'bad option: %s (see make help).' % msg))
    for s in sub.choices.values():
        s.error = p.error
    a = p.parse_args(argv)
    if not a.cmd:
        raise SetupError('no command given; use run, test, mutants, '
                         'compile, graft, ungraft, ledger or checkpatch (see '
                         'make help).')
    if a.arch not in ARCHES:
        raise SetupError('ARCH=%s is not supported; use one of %s.'
                         % (a.arch, ', '.join(ARCHES)))
    if a.kernel in UNSUPPORTED_KERNELS and not a.ksrc:
        raise SetupError('KERNEL=%s is not yet supported (never built or '
                         'run here); use KERNEL=%s or KSRC=/path/to/tree.'
                         % (a.kernel, DEFAULT_KERNEL))
    if a.jobs < 1 or a.timeout < 1:
        raise SetupError('JOBS and TIMEOUT must be positive numbers.')
    if a.filter and not re.fullmatch(r'[\w*?\[\]-]+(\.[\w*?\[\]-]+)?',
                                     a.filter):
        raise SetupError('FILTER=%s is not a suite or suite.case glob like '
                         "'kclaims_slab*' or 'kclaims_list.*head*'."
                         % a.filter)
    if a.profile not in PROFILES:
        raise SetupError('PROFILE=%s is not a profile; use one of %s.'
                         % (a.profile, ', '.join(sorted(PROFILES))))
    a.cache = os.path.abspath(a.cache)
    a.out = os.path.abspath(a.out)
    a.kunitconfig = os.path.abspath(a.kunitconfig)
    return a


def check_no_mutant_applied(tree):
    """A user's KSRC is never changed by kclaims; refuse it if one of our
    mutants is applied to it (a make mutants run pointed at it and killed,
    or a hand test), since every verdict would be about that mutant."""
    try:
        muts = mutants.load()
    except mutants.MutantError:
        return
    for m in muts:
        if not all(os.path.isfile(os.path.join(tree, f)) for f in m['files']):
            continue
        rc, _ = mutants.patch(tree, m['path'], dry_run=True, reverse=True)
        if rc == 0:
            raise SetupError(
                'KSRC=%s has the kclaims mutant %s applied (%s); undo it with '
                'patch -R -p1 -d %s < %s and run again.' % (
                    tree, m['name'], ', '.join(m['files']), tree, m['path']))


def prepare(a):
    """Tools, tree, graft. Returns (tree, version, build_dir)."""
    if not os.path.isfile(a.kunitconfig):
        raise SetupError('kunitconfig %s does not exist.' % a.kunitconfig)
    writable_dir(a.cache, 'cache (KCLAIMS_CACHE)')
    if a.ksrc:      # the user's input is checked before anything installs
        tree = os.path.abspath(a.ksrc)
        check_tree(tree)
        check_no_mutant_applied(tree)
    ensure_tools(a.arch)
    if not a.ksrc:
        tree = unpack_debian_source(a.kernel, a.cache)
    version = check_tree(tree)
    graft(tree)
    write_kunitconfigs()
    build_dir = os.path.join(a.cache, 'build', '%s-%s-%s' % (
        version, a.arch, PROFILES[a.profile].get('build', a.profile)))
    writable_dir(os.path.dirname(build_dir), 'build cache')
    need = NEED_WARM if os.path.isdir(build_dir) else NEED_COLD_BUILD
    check_space(os.path.dirname(build_dir), need, 'the kernel build')
    return tree, version, build_dir


def write_kunitconfigs():
    """The .kunitconfig of the root and each test directory, from
    kunitconfig (scripts/kunitconfigs.py): kunit.py run --kunitconfig=kclaims
    in a grafted tree then runs what make run runs."""
    try:
        for rel in kunitconfigs.write(ROOT):
            say('wrote %s from kunitconfig' % rel)
    except (OSError, kunitconfigs.KunitconfigError) as e:
        say('the .kunitconfig files were not rewritten: %s' % e)


def common_args(a, build_dir):
    args = ['--build_dir=' + build_dir, '--kunitconfig=' + a.kunitconfig]
    per_arch = '%s.%s' % (a.kunitconfig, a.arch)
    if os.path.isfile(per_arch):    # e.g. kunitconfig.x86_64: CONFIG_SMP=y
        args.append('--kunitconfig=' + per_arch)
    for frag in PROFILES[a.profile].get('fragments', ()):
        args.append('--kunitconfig=' + os.path.join(ROOT, frag))
    if a.arch != 'um':
        args.append('--arch=' + a.arch)
    return args


LINUX_ARCH = {'um': 'um', 'x86_64': 'x86_64', 'i386': 'i386'}


def build(a, tree, build_dir):
    """kunit.py config (writes and validates .config), then the same make
    kunit.py build would run, minus its second olddefconfig and the
    compile_commands.json scan (11 of the ~20 s of a warm rebuild)."""
    log = os.path.join(a.out, 'build.log')
    t0 = time.time()
    say('building %s for %s in %s' % (kernel_version(tree), a.arch,
                                      build_dir))
    rc, out = run_logged(kunit_cmd(tree, 'config', common_args(a, build_dir)),
                         log)
    if rc:
        miss = missing_symbols(out)
        if miss:
            raise SetupError(explain_missing(miss, tree, a.arch))
        raise SetupError('kunit.py config failed: %s (log: %s).'
                         % (last_line(out), log))
    rc, out = run_logged(['make', '-C', tree, 'ARCH=' + LINUX_ARCH[a.arch],
                          'O=' + build_dir, '--jobs=%d' % a.jobs, 'all'],
                         log, echo_pattern=r'error:|Error \d|undefined ref',
                         append=True)
    if rc:
        raise SetupError('the kernel build failed; the compiler errors are '
                         'above and the whole log is in %s.' % log)
    say('build done in %.0f s' % (time.time() - t0))


def execute(a, tree, build_dir, kernel_args=None, filter_glob=None):
    """Boot the kernel, return (results, rc, timed_out, reports)."""
    json_path = os.path.join(a.out, 'results.json')
    with contextlib.suppress(FileNotFoundError):
        os.unlink(json_path)
    args = common_args(a, build_dir) + ['--timeout=%d' % a.timeout,
                                        '--json=' + json_path]
    if a.arch != 'um' and a.qemu_args:
        args.append('--qemu_args=' + a.qemu_args)
    for karg in kernel_args or ():
        args.append('--kernel_args=' + karg)
    filt = filter_glob or a.filter
    if filt:
        args.append(filt)
    t0 = time.time()
    say('running the tests%s' % (' matching ' + filt if filt else ''))
    console = os.path.join(build_dir, 'test.log')
    with contextlib.suppress(FileNotFoundError):
        os.unlink(console)
    rc, out = run_logged(kunit_cmd(tree, 'exec', args),
                         os.path.join(a.out, 'kunit.log'),
                         echo_pattern=r'\[(FAILED|CRASHED)\]|'
                         r'EXPECTATION FAILED|ASSERTION FAILED|'
                         r'Testing complete', bound=a.timeout + HANG_MARGIN)
    if not os.path.exists(console):
        raise SetupError('kunit.py produced no console log; see %s.'
                         % os.path.join(a.out, 'kunit.log'))
    shutil.copyfile(console, os.path.join(a.out, 'console.log'))
    with open(console, encoding='utf-8', errors='replace') as f:
        full = f.read()
    text = ktap.extract(full)
    with open(os.path.join(a.out, 'results.ktap'), 'w',
              encoding='utf-8') as f:
        f.write(text)
    results = ktap.parse(text)
    if filt and re.search(r'^1\.\.0$', text, re.M) and not results:
        raise SetupError('FILTER=%s matched no test in this kernel; suites '
                         'are named kclaims_<area> (see kunitconfig).'
                         % filt)
    if os.path.exists(json_path):
        with open(json_path, encoding='utf-8') as f:
            jres = ktap.from_json(json.load(f))
        # the JSON is kunit.py's verdict (crashes become ERROR); keep the
        # KTAP diagnostics for the JUnit failure text
        for name, st in jres.items():
            results.setdefault(name, ktap.Case(name, st, []))
            results[name].status = st
    timed_out = rc is None or 'Timed out' in out or 'timed out' in out
    if any(c.status == 'ERROR' for c in results.values()) or rc and \
            not results or timed_out:
        name_unreported(a, tree, build_dir, results, filt)
    with open(os.path.join(a.out, 'junit.xml'), 'w', encoding='utf-8') as f:
        f.write(ktap.to_junit(results, 'kclaims'))
    say('boot and tests took %.0f s' % (time.time() - t0))
    return results, rc or 0, timed_out, reports.scan(full)


def name_unreported(a, tree, build_dir, results, filt=None):
    """After a crash or a hang, name the cases that never reported (kunit.py
    only knows how many): boot once more with kunit.action=list. The first
    of them is the one the kernel died or hung in (cases run in list
    order)."""
    args = common_args(a, build_dir) + ['--list_tests', '--timeout=120']
    if filt:
        args.append(filt)
    _, listing = run_logged(kunit_cmd(tree, 'exec', args),
                            os.path.join(a.out, 'list.log'), bound=150)
    names = re.findall(r'^(\w+\.\w+)$', listing, re.M)
    if not names:
        return
    for key in [k for k in results if k.endswith('.') or k.count('.') == 0]:
        del results[key]            # kunit.py's nameless crash placeholder
    first = True
    for name in names:
        if name in results or any(k.startswith(name + '.') for k in results):
            continue
        note = ['the kernel died or hung while this case ran; see '
                'out/console.log'
                if first else 'never ran: the kernel died before it']
        results[name] = ktap.Case(name, 'ERROR', note)
        first = False


def summarize(results, rc, timed_out):
    st = [c.status for c in results.values()]
    n = {k: st.count(k) for k in ('PASS', 'FAIL', 'SKIP', 'ERROR')}
    for c in results.values():
        if c.status == 'FAIL':
            print('FAILED  ' + c.name)
        elif c.status == 'ERROR':
            print('CRASHED ' + c.name + (' (%s)' % c.log[0] if c.log and
                                         'hung while' in c.log[0] else ''))
    if timed_out:
        say('the kernel did not finish within TIMEOUT; the cases without a '
            'result are reported as crashed.')
    if n['ERROR']:
        say('%d case(s) crashed or never reported (kernel oops, panic or '
            'hang); see out/console.log.' % n['ERROR'])
    if not results:
        say('the kernel printed no KTAP results; see out/console.log.')
    print('%d passed, %d failed, %d skipped'
          % (n['PASS'], n['FAIL'] + n['ERROR'], n['SKIP']), flush=True)
    bad = n['FAIL'] or n['ERROR'] or not results or (rc and not n['PASS'])
    return 1 if bad else 0


def lockdep_cases():
    """The cases of the lockdep suite: each needs a boot of its own, since
    lockdep turns itself off after its first report."""
    path = os.path.join(ROOT, LOCKDEP_FILE)
    if not os.path.exists(path):
        return []
    with open(path, encoding='utf-8') as f:
        text = f.read()
    return re.findall(r'KUNIT_CASE\w*\((\w+)', text)


def boots_of(a):
    """(filter glob, kernel args) of each boot a profile needs."""
    prof = PROFILES[a.profile]
    if prof.get('boots') == 'lockdep':
        cases = [c for c in lockdep_cases() if not a.filter or
                 fnmatch.fnmatch('%s.%s' % (LOCKDEP_SUITE, c), a.filter) or
                 fnmatch.fnmatch(LOCKDEP_SUITE, a.filter)]
        if not cases:
            raise SetupError('PROFILE=lockdep found no case to run (%s).'
                             % LOCKDEP_FILE)
        return [('%s.%s' % (LOCKDEP_SUITE, c), [LOCKDEP_ARG % c])
                for c in cases]
    return [(None, list(prof.get('kernel_args', ())))]


def report_problems(reps, allowed=(), boot_ok=False):
    """Undeclared kernel reports, as lines for the summary."""
    bad = [r for r in reps if not r.declared and
           not any(re.search(p, r.header) for p in allowed) and
           not (boot_ok and r.suite is None)]
    for r in bad:
        print('REPORT  %s (%s; console line %d)' % (r.header, r.where(),
                                                    r.line_no))
    if bad:
        say('%d kernel report(s) that no case declared: a case that '
            'provokes one on purpose brackets it with kclaims_report_begin/'
            'end (lib/kclaims.h).' % len(bad))
    return bad


def cmd_run(a):
    tree, version, build_dir = prepare(a)
    writable_dir(a.out, 'output directory')
    prof = PROFILES[a.profile]
    results, rc, timed_out, reps, injected = {}, 0, False, [], set()
    with build_lock(a.cache):
        build(a, tree, build_dir)
        boots = boots_of(a)
        for i, (glob_, kargs) in enumerate(boots):
            res, brc, bto, brep = execute(a, tree, build_dir, kargs, glob_)
            if len(boots) > 1:
                os.replace(os.path.join(a.out, 'console.log'), os.path.join(
                    a.out, 'console-%s.log' % glob_.split('.')[-1]))
            results.update(res)
            rc, timed_out = max(rc, brc), timed_out or bto
            reps += brep
            with open(os.path.join(a.out, 'console.log' if len(boots) == 1
                                   else 'console-%s.log' % glob_.split(
                                       '.')[-1]), encoding='utf-8',
                      errors='replace') as f:
                injected |= reports.injected_cases(f.read())
    bad_reports = report_problems(reps, prof.get('allowed_reports', ()),
                                  prof.get('boot_reports_ok', False))
    if prof.get('injected_fail_is_skip'):
        for k in sorted(k for k in results for i in injected
                        if k == i or k.startswith(i + '.')):
            c = results[k]      # a case, or a param of it
            if c.status == 'FAIL':
                c.status = 'SKIP'
                c.log.append('SKIP a failure was injected into this case '
                             '(PROFILE=%s) and it failed' % a.profile)
        say('%d case(s) met an injected failure; %d of them failed and '
            'count as skipped' % (len(injected), sum(
                'was injected into this' in ' '.join(c.log)
                for c in results.values())))
        with open(os.path.join(a.out, 'junit.xml'), 'w',
                  encoding='utf-8') as f:
            f.write(ktap.to_junit(results, 'kclaims'))
    status = {k: c.status for k, c in results.items()}
    details = {}
    # source evidence: facts of this tree's text, the same for every
    # profile (make test evaluates them once, in the default run)
    if not a.filter and not getattr(a, 'no_sources', False):
        for name, (st, detail) in sources.run(tree).items():
            status[name], details[name] = st, detail
            if st == 'FAIL':    # a declarative check's first line fails
                print('FAILED  %s (%s)' % (name, detail.split('\n')[0]))
    with open(os.path.join(a.out, 'run.json'), 'w', encoding='utf-8') as f:
        json.dump({'kernel': version, 'arch': a.arch, 'profile': a.profile,
                   'filter': a.filter, 'tree': tree, 'status': status,
                   'sources': details,
                   'reports': [r.as_dict() for r in reps],
                   'skips': {k: ' '.join(c.log[-1:])[5:] for k, c in
                             results.items() if c.status == 'SKIP'}},
                  f, indent=1)
    if not getattr(a, 'no_sources', False):    # make test's extra profiles
        write_ledger_md(a)                    # feed out/'s one ledger
    rc = summarize(results, rc, timed_out)
    if any(status[k] == 'FAIL' for k in details) or bad_reports:
        rc = max(rc, 1)
    return rc


def load_out(a, name):
    """out/<name> (run.json, mutants.json) as data, or None."""
    path = os.path.join(a.out, name)
    if not os.path.exists(path):
        return None
    with open(path, encoding='utf-8') as f:
        return json.load(f)


def write_ledger_md(a):
    """out/ledger.md from the last run and, if there is one, the last
    make mutants."""
    run = load_out(a, 'run.json')
    if run is None:
        return
    muts = load_out(a, 'mutants.json')
    info = 'kernel %s, arch %s, profile %s%s' % (
        run['kernel'], run['arch'], run['profile'],
        ', filter ' + run['filter'] if run.get('filter') else '')
    if muts:
        info += '; mutants: %d of %d killed on %s' % (
            muts['killed'], muts['counted'], muts['kernel'])
    claims.write_ledger(claims.load(), run['status'],
                        os.path.join(a.out, 'ledger.md'), info,
                        evidence=claims.load_evidence(),
                        mutant_runs=muts and muts['mutants'],
                        uncovered=mutants.load_uncovered(),
                        sources=run.get('sources'))
    ledger_html.write(a.out)


# suites that check the project's own machinery, not a claim
INFRA_SUITES = ('kclaims_context.', 'kclaims_begin.', 'kclaims_end.')
# a behaviour claim shown by a green case must name a mutant its cases kill
MUTANT_PER_BEHAVIOUR_CLAIM = True


def cmd_ledger(a):
    """Check claims/ against the last run in out/."""
    rows = claims.load()
    run = load_out(a, 'run.json')
    if run is None:
        raise SetupError('no run to check the ledger against; run make run '
                         'first.')
    ran_all = not run.get('filter')
    problems, stats = claims.check(rows, run['status'], ran_all=ran_all,
                                   require_areas=REQUIRED_AREAS,
                                   skips=run.get('skips'),
                                   sources=run.get('sources'))
    problems += claims.check_rows(rows)
    problems += kunitconfigs.check(ROOT)
    evidence = claims.load_evidence()
    problems += claims.check_evidence(rows, evidence, run['status'],
                                      ran_all=ran_all)
    ids = {r['id'] for r in rows}
    linked = {c for r in rows for c in claims.cases_of(r)}
    for cid, files in sorted(claims.source_refs().items()):
        if cid not in ids:
            problems.append('%s names claim %s, which is not in claims/'
                            % (', '.join(files), cid))
    for case in sorted(run['status']):
        parts = case.split('.')
        owners = {'.'.join(parts[:i]) for i in range(2, len(parts) + 1)}
        if case.startswith('kclaims_') and not owners & linked and \
                not case.startswith(INFRA_SUITES):
            problems.append('case %s is not linked to any claim' % case)
    problems += check_mutant_files(a, run, rows)
    for p in problems:
        print('LEDGER  ' + p)
    say('ledger: %(proven)d of %(total)d claims shown by a green case, '
        '%(arch_skipped)d not shown here (every case skipped), '
        '%(untestable)d untestable, %(pending)d without a test yet' % stats +
        (', %(not_run)d not in this filtered run' % stats
         if stats['not_run'] else ''))
    return 1 if problems else 0


def check_mutant_files(a, run, rows):
    """Every mutant parses, names real claims, suites and cases, and applies
    to the tree under test (patch --dry-run); every behaviour claim a green
    case shows has a mutant."""
    try:
        muts = mutants.load()
    except mutants.MutantError as e:
        return [str(e)]
    tree = run.get('tree')
    if not tree or not os.path.isdir(tree):
        return ['the last run names no kernel tree to apply the mutants to; '
                'run make run again']
    problems = mutants.check(tree, rows, kclaims_suites(), muts)
    ids = {r['id'] for r in rows}
    if not run.get('filter'):
        ran = {claims.base_case(k) for k in run['status']}
        for m in muts:
            for c in m['kills']:
                if c not in ran:
                    problems.append('mutant %s expects %s to go red, which '
                                    'did not run' % (m['name'], c))
    try:
        uncovered = mutants.load_uncovered()
    except mutants.MutantError as e:
        return problems + [str(e)]
    named = {cid for m in muts for cid in m['claims']}
    for cid in sorted(uncovered):
        if cid not in ids:
            problems.append('mutants/UNCOVERED names %s, which is not in '
                            'claims/' % cid)
        elif cid in named:
            problems.append('mutants/UNCOVERED lists %s, but a mutant names '
                            'it now: drop the line' % cid)
    if MUTANT_PER_BEHAVIOUR_CLAIM and not run.get('filter'):
        for r in rows:
            if r.get('kind') == 'behaviour' and r['id'] not in named and \
                    r['id'] not in uncovered and \
                    claims.shown(r, run['status']) == 'shown':
                problems.append('%s is a behaviour claim shown here, but no '
                                'mutant in mutants/ names it (nor does '
                                'mutants/UNCOVERED say why none can)'
                                % r['id'])
    return problems


def cmd_selftest():
    suite = unittest.defaultTestLoader.discover(os.path.join(ROOT, 'tests'),
                                                top_level_dir=ROOT)
    r = unittest.TextTestRunner(verbosity=1, stream=sys.stdout).run(suite)
    return 0 if r.wasSuccessful() else 1


# what make test runs after the default profile: (profile, out subdir)
TEST_PROFILES = (('lockdep', 'lockdep'), ('debug', 'debug'))


def merge_profile_run(a, sub, suites):
    """Put the results a profile run gave for @suites into out/run.json
    (their cases skip in the default run: they need that profile)."""
    main, extra = load_out(a, 'run.json'), load_out(a, sub + '/run.json')
    if not main or not extra:
        return
    for k, st in extra['status'].items():
        if k.split('.')[0] in suites:
            main['status'][k] = st
            main['skips'].pop(k, None)
            if st == 'SKIP':
                main['skips'][k] = extra['skips'].get(k, '')
    main['reports'] = main.get('reports', []) + [
        dict(r, profile=extra['profile']) for r in extra.get('reports', [])]
    main.setdefault('profiles', {})[extra['profile']] = sub
    with open(os.path.join(a.out, 'run.json'), 'w', encoding='utf-8') as f:
        json.dump(main, f, indent=1)
    write_ledger_md(a)


def cmd_test(a):
    if a.profile != 'default':
        raise SetupError('make test runs every profile itself; use make run '
                         'PROFILE=%s for one.' % a.profile)
    rc_run = cmd_run(a)
    names = ['run']
    rcs = [rc_run]
    for prof, sub in TEST_PROFILES:
        if a.filter and prof == 'debug':
            continue            # a filtered make test is a quick check
        if prof == 'lockdep' and (not lockdep_cases() or a.filter and
                                  not boots_of_filter(a)):
            continue
        say('profile %s (out/%s)' % (prof, sub))
        pa = argparse.Namespace(**vars(a))
        pa.profile, pa.out = prof, os.path.join(a.out, sub)
        pa.no_sources = True
        rc = cmd_run(pa)
        if prof == 'lockdep':
            merge_profile_run(a, sub, {LOCKDEP_SUITE})
        names.append(prof)
        rcs.append(rc)
    say('runner self-tests')
    rcs.append(cmd_selftest())
    names.append('self-tests')
    rcs.append(cmd_ledger(a))
    names.append('ledger')
    rcs.append(check_page_and_ci(a))
    names.append('page and CI')
    say('make test: ' + ', '.join('%s %s' % (n, 'ok' if r == 0 else 'FAILED')
                                  for n, r in zip(names, rcs)))
    return max(rcs)


def check_page_and_ci(a):
    """The workflow's YAML runs the README's test command; the ledger page
    works in headless Chromium (installed like the other packages; skipped
    with one sentence where it cannot be)."""
    rc = 0
    try:
        import yaml  # noqa: F401
    except ImportError:
        ensure_packages(['python3-yaml'], 'python3-yaml (the CI workflow '
                        'check)')
    for p in ci_workflow.check():
        print('CI      ' + p)
        rc = 1
    ledger_html.write(a.out)
    got, msg = ledger_html.browser_check(a.out, install=ensure_packages)
    say(msg)
    return max(rc, got or 0)


def boots_of_filter(a):
    pa = argparse.Namespace(**vars(a))
    pa.profile = 'lockdep'
    try:
        return boots_of(pa)
    except SetupError:
        return []


def kclaims_suites():
    """Suite names the project's C files define."""
    names = set()
    for rel in c_files():
        with open(os.path.join(ROOT, rel), encoding='utf-8',
                  errors='replace') as f:
            names.update(re.findall(r'\.name\s*=\s*"(kclaims_\w+)"',
                                    f.read()))
    return names


def mutant_paths(a, tree, version, worker=0):
    """The private mutant tree, its build dir, the applied-mutant record and
    the lock of one worker: under $KCLAIMS_CACHE/mutants, never the tree make
    run uses. Worker 0 shares make run's lock (one build at a time); further
    workers (MUTANT_JOBS) have trees and locks of their own."""
    root = os.path.join(a.cache, 'mutants')
    tag = '%s-%s' % (version, hashlib.sha1(tree.encode()).hexdigest()[:8]
                     if a.ksrc else 'debian')
    sfx = '-w%d' % worker if worker else ''
    return (os.path.join(root, 'src', tag + sfx),
            os.path.join(root, 'build', '%s-%s-%s%s' % (version, a.arch,
                                                        a.profile, sfx)),
            os.path.join(root, 'applied' + sfx),
            None if not worker else 'mutants-w%d' % worker)


def cmd_mutants(a):
    """Apply each mutant to a private copy of the tree, rebuild, boot the
    suites it names, and say whether a case that passed on the clean
    kernel went red. Writes out/mutants.json."""
    if a.arch != 'um':
        raise SetupError('make mutants runs on UML only (ARCH=um).')
    if a.filter:
        raise SetupError('make mutants takes MUTANT=<name>, not FILTER.')
    if a.mutant_jobs < 1 or a.mutant_jobs > 8:
        raise SetupError('MUTANT_JOBS must be a number from 1 to 8.')
    muts = mutants.load(only=a.mutant)
    if not muts:
        raise SetupError('there are no mutants in %s.' % mutants.MUTANTS_DIR)
    tree, version, _ = prepare(a)
    jobs = min(a.mutant_jobs, len(muts))
    shards = [muts[i::jobs] for i in range(jobs)]
    t_all = time.time()
    results, errors = [], []
    guard = threading.Lock()

    def work(i):
        try:
            _mutant_worker(a, tree, version, i, shards[i], results, guard,
                           t_all)
        except SetupError as e:
            errors.append(str(e))

    threads = [threading.Thread(target=work, args=(i,)) for i in range(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise SetupError(errors[0])
    killed, counted = write_mutants_json(a, version, results, t_all)
    write_ledger_md(a)
    bad = [r for r in results if r['outcome'] in ('survived', 'crashed')
           and not r['equivalent']]
    for r in sorted(bad, key=lambda r: r['name']):
        print('%-9s %s (%s)' % (r['outcome'].upper(), r['name'], r['why']))
    say('mutants: %d of %d killed (%.0f%%), %d crashed, %d survived, %d did '
        'not apply, %d did not build; %.0f s; out/mutants.json' % (
            killed, counted, 100.0 * killed / counted if counted else 0,
            sum(r['outcome'] == 'crashed' for r in results),
            sum(r['outcome'] == 'survived' for r in results),
            sum(r['outcome'] == 'no-apply' for r in results),
            sum(r['outcome'] == 'no-build' for r in results),
            time.time() - t_all))
    return 1 if bad else 0


def _mutant_worker(a, tree, version, worker, muts, results, guard, t_all):
    """One worker: its own tree copy, build dir and baseline; the mutants
    of its shard one after the other."""
    mtree, mbuild, state, lock = mutant_paths(a, tree, version, worker)
    out = os.path.join(a.out, 'mutants', 'w%d' % worker)
    writable_dir(out, 'mutant output directory')
    ma = argparse.Namespace(**vars(a))
    ma.out = out
    log = os.path.join(out, 'boot.log')
    open(log, 'w').close()
    args = common_args(ma, mbuild)
    with build_lock(a.cache, lock):
        if os.path.isdir(mtree):
            mutants.restore(tree, mtree, state)
        if mutants.make_tree(tree, mtree):
            say('copied %s to %s for the mutants (once)' % (tree, mtree))
        graft(mtree)
        writable_dir(os.path.dirname(mbuild), 'mutant build cache')
        need = NEED_WARM if os.path.isdir(mbuild) else NEED_COLD_BUILD
        check_space(os.path.dirname(os.path.dirname(mbuild)), need,
                    'the mutant build')
        say('worker %d: clean baseline of %s' % (worker, mtree))
        build(ma, mtree, mbuild)
        # the boots these mutants need: each suite alone when they are few
        # (the lockdep cases always alone, each with its parameter)
        needed = sorted({b for m in muts for b in mutant_boots(m)})
        plain = [g for g, k in needed if not k]
        if len(plain) > 4:
            needed = [('kclaims_*', ())] + [b for b in needed if b[1]]
        base, hung = {}, False
        for glob_, kargs in needed:
            res, h = mutants.boot(mtree, mbuild, args + [
                '--kernel_args=' + k for k in kargs], glob_,
                a.mutant_timeout, log)
            base.update(res)
            hung = hung or h
    baseline = {k: c.status for k, c in base.items()}
    if hung or not any(st == 'PASS' for st in baseline.values()):
        raise SetupError('the clean mutant kernel did not run the suites; '
                         'see %s.' % log)
    for m in muts:
        t0 = time.time()
        rec = {'name': m['name'], 'claims': m['claims'],
               'suites': m['suites'], 'expected': m['kills'],
               'files': m['files'], 'why': m['why'],
               'equivalent': m['equivalent'], 'killed_by': [], 'lost': []}
        rc, msg = mutants.patch(mtree, m['path'], dry_run=True)
        if rc:
            rec.update(outcome='no-apply', detail=mutants.ktap_last(msg))
        else:
            with build_lock(a.cache, lock):
                try:
                    # a run killed between its patch and its restore left
                    # its files behind: put them back first
                    mutants.restore(tree, mtree, state)
                    with open(state, 'w', encoding='utf-8') as f:
                        f.write(m['name'] + '\n' + '\n'.join(m['files']) +
                                '\n')
                    rc, msg = mutants.patch(mtree, m['path'])
                    if rc:
                        rec.update(outcome='no-apply',
                                   detail=mutants.ktap_last(msg))
                    else:
                        rec.update(_run_mutant(ma, m, mtree, mbuild, args,
                                               baseline, log))
                finally:
                    mutants.restore(tree, mtree, state)
        rec['seconds'] = round(time.time() - t0)
        with guard:
            results.append(rec)
            write_mutants_json(a, version, results, t_all)
            print('  %-44s %-9s %4d s  %s' % (
                m['name'], rec['outcome'], rec['seconds'],
                ', '.join(rec['killed_by'][:2]) or rec.get('detail', '')),
                flush=True)


def write_mutants_json(a, version, results, t_all):
    """out/mutants.json, rewritten after each mutant: an interrupted run
    keeps what it measured. With MUTANT=, the other mutants' last results
    are kept."""
    path = os.path.join(a.out, 'mutants.json')
    merged = list(results)
    if a.mutant and os.path.exists(path):
        with open(path, encoding='utf-8') as f:
            old = json.load(f).get('mutants', [])
        names = {r['name'] for r in results}
        exist = {os.path.basename(x)[:-len('.patch')] for x in
                 os.listdir(mutants.MUTANTS_DIR) if x.endswith('.patch')}
        # a mutant file that was deleted takes its old result with it
        merged = [r for r in old if r['name'] not in names and
                  r['name'] in exist] + merged
        merged.sort(key=lambda r: r['name'])
    killed, counted = mutants.summary(merged)
    tmp = path + '.new'
    with open(tmp, 'w', encoding='utf-8') as f:
        json.dump({'kernel': version, 'arch': a.arch, 'profile': a.profile,
                   'seconds': round(time.time() - t_all),
                   'killed': killed, 'counted': counted,
                   'mutants': merged}, f, indent=1)
    os.replace(tmp, path)
    return killed, counted


def _run_mutant(ma, m, mtree, mbuild, args, baseline, log):
    try:
        build(ma, mtree, mbuild)
    except SetupError:
        return {'outcome': 'no-build',
                'detail': 'build failed; see out/mutants/build.log'}
    got, hung_any = {}, False
    for suite, kargs in mutant_boots(m):
        res, hung = mutants.boot(mtree, mbuild, args + [
            '--kernel_args=' + k for k in kargs], suite, ma.mutant_timeout,
            log)
        got.update({k: c.status for k, c in res.items()})
        hung_any = hung_any or hung
    # a suite booted whole owns all its baseline cases; a case booted
    # alone (the lockdep ones) only itself
    booted = mutant_boots(m)
    whole = {g for g, k in booted if not k}
    alone = {g for g, k in booted if k}
    mine = {k: st for k, st in baseline.items()
            if k.split('.')[0] in whole or k in alone}
    outcome, failed, lost = mutants.classify(mine, got, m['suites'],
                                             hung_any)
    return {'outcome': outcome, 'killed_by': failed, 'lost': lost,
            'expected_hit': sorted(set(failed) & set(_expand(m['kills'],
                                                             failed))),
            'detail': 'hung: killed after %d s' % ma.mutant_timeout
            if hung_any else ''}


def mutant_boots(m):
    """(filter glob, kernel args) of each boot a mutant needs: one per
    suite it names, and for the lockdep suite one per case it expects to
    kill, with the parameter that case waits for (PROFILE=lockdep)."""
    boots = []
    for suite in m['suites']:
        if suite == LOCKDEP_SUITE:
            boots += [(c, (LOCKDEP_ARG % c.split('.', 1)[1],))
                      for c in m['kills'] if c.startswith(suite + '.')]
        else:
            boots.append((suite, ()))
    return boots


def _expand(names, keys):
    """Cases named in a header, with the params of parameterised ones."""
    return [k for k in keys for n in names if k == n or
            k.startswith(n + '.')]


def soak_boot(linux, glob_, kargs, bound, log_path, append=False):
    """Boot a copied UML kernel once as kunit.py exec would (its command
    line), bounded: returns (results, console text, hung)."""
    cmd = [linux, 'kunit.filter_glob=' + glob_, 'kunit.enable=1', 'mem=1G',
           'console=tty', 'kunit_shutdown=halt'] + list(kargs)
    rc, out = run_logged(cmd, log_path, bound=bound, append=append)
    return ktap.parse(ktap.extract(out)), out, rc is None


def cmd_soak(a):
    """Re-run the built kernel RUNS times (exec only) while a CPU hog keeps
    the other core busy; print a per-case pass count. A case below RUNS/RUNS
    is a defect to fix, never to retry."""
    if a.arch != 'um':
        raise SetupError('make soak runs on UML only (ARCH=um).')
    if a.runs < 1 or a.runs > 1000:
        raise SetupError('RUNS must be a number from 1 to 1000.')
    tree, version, build_dir = prepare(a)
    writable_dir(a.out, 'output directory')
    with build_lock(a.cache):
        build(a, tree, build_dir)
        tmp = tempfile.mkdtemp(prefix='kclaims-soak-')
        linux = os.path.join(tmp, 'linux')
        shutil.copy2(os.path.join(build_dir, 'linux'), linux)
    # the lock is free again: builds may run beside the soak (more load)
    boots = boots_of(a)
    hogs = [subprocess.Popen([sys.executable, '-c', 'while True: pass'],
                             stdin=subprocess.DEVNULL,
                             start_new_session=True)
            for _ in range(max(1, len(os.sched_getaffinity(0)) - 1))]
    counts, bad_runs, t0 = {}, [], time.time()
    try:
        for i in range(1, a.runs + 1):
            got, reps, hung = {}, [], False
            open(os.path.join(a.out, 'soak.log'), 'w').close()
            for glob_, kargs in boots:
                res, text, h = soak_boot(
                    linux, glob_ or a.filter or 'kclaims_*', kargs,
                    a.timeout, os.path.join(a.out, 'soak.log'), append=True)
                got.update({k: c.status for k, c in res.items()})
                reps += reports.undeclared(
                    text, PROFILES[a.profile].get('allowed_reports', ()))
                hung = hung or h
            for k, st in got.items():
                counts.setdefault(k, {}).setdefault(st, 0)
                counts[k][st] += 1
            red = sorted(k for k, st in got.items() if st in ('FAIL',
                                                              'ERROR'))
            if red or reps or hung or not got:
                # keep the console of a bad boot: the defect is in it
                shutil.copyfile(os.path.join(a.out, 'soak.log'),
                                os.path.join(a.out, 'soak-run%d.log' % i))
                bad_runs.append({'run': i, 'red': red, 'hung': hung,
                                 'reports': [r.header for r in reps]})
            print('  run %2d/%d: %d cases, %d red%s%s' % (
                i, a.runs, len(got), len(red),
                ', %d undeclared report(s)' % len(reps) if reps else '',
                ', HUNG' if hung else ''), flush=True)
    finally:
        for h in hogs:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(h.pid, signal.SIGKILL)
            h.wait()
        shutil.rmtree(tmp, ignore_errors=True)
    # a case is steady when it had one outcome, PASS or SKIP, in every run
    rows = sorted((min(c.get('PASS', 0), a.runs) if 'SKIP' not in c
                   else c.get('SKIP', 0), k) for k, c in counts.items())
    below = [(n, k) for n, k in rows if n < a.runs]
    with open(os.path.join(a.out, 'soak.json'), 'w', encoding='utf-8') as f:
        json.dump({'kernel': version, 'runs': a.runs, 'profile': a.profile,
                   'seconds': round(time.time() - t0), 'counts': counts,
                   'bad_runs': bad_runs}, f, indent=1)
    for n, k in below:
        print('%2d/%d  %s  %s' % (n, a.runs, k, counts[k]))
    say('soak: %d runs of %d cases with the other core busy, %.0f s; '
        'minimum %d/%d; %d case(s) below %d/%d; %d run(s) with a red case, '
        'a hang or an undeclared report; out/soak.json' % (
            a.runs, len(counts), time.time() - t0,
            rows[0][0] if rows else 0, a.runs, len(below), a.runs, a.runs,
            len(bad_runs)))
    return 1 if below or bad_runs or not counts else 0


def cmd_report(a):
    """Where the ledger page is, and the counts (opens nothing)."""
    if load_out(a, 'run.json') is None:
        raise SetupError('no run in %s yet; run make run first.' % a.out)
    write_ledger_md(a)
    print(ledger_html.report_text(a.out))
    return 0


def cmd_compile(a):
    """Compile one test object in the warm build dir (quick syntax check)."""
    if not a.file:
        raise SetupError('give the file to compile: make compile '
                         'FILE=mm-tests/kclaims_slab_kunit.c')
    rel = os.path.relpath(os.path.abspath(a.file), ROOT)
    if rel.startswith('..') or not rel.endswith('.c') or \
            not os.path.isfile(os.path.join(ROOT, rel)):
        raise SetupError('FILE=%s is not a .c file of this project.' % a.file)
    tree, version, build_dir = prepare(a)
    if not os.path.isfile(os.path.join(build_dir, '.config')):
        raise SetupError('no configured build in %s yet; run make run once.'
                         % build_dir)
    with build_lock(a.cache):
        r = subprocess.run(['make', '-s', '-C', tree, 'ARCH=' + (
            'um' if a.arch == 'um' else 'x86'), 'O=' + build_dir,
            '%s/%s.o' % (LINK, rel[:-2])], stdin=subprocess.DEVNULL)
    return 0 if r.returncode == 0 else 1


def c_files():
    """The project's C sources: not out/ and not the runner tests'
    fixtures (a fake kernel tree is not kclaims code)."""
    skip = (os.path.join(ROOT, 'tests'), os.path.join(ROOT, 'out'))
    return sorted(os.path.relpath(os.path.join(d, f), ROOT)
                  for d, _, fs in os.walk(ROOT) if '/.' not in d and
                  not d.startswith(skip)
                  for f in fs if f.endswith(('.c', '.h')))


def cmd_checkpatch(a):
    """scripts/checkpatch.pl --no-tree -f on every C file of the project."""
    tree = os.path.abspath(a.ksrc) if a.ksrc else \
        unpack_debian_source(a.kernel, a.cache)
    script = os.path.join(tree, 'scripts/checkpatch.pl')
    if not os.path.isfile(script):
        raise SetupError('%s has no scripts/checkpatch.pl.' % tree)
    if not shutil.which('perl'):
        ensure_packages(['perl'], 'perl (for checkpatch.pl)')
    errors = 0
    for rel in c_files():
        r = subprocess.run(['perl', script, '--no-tree', '--terse', '-f',
                            rel], cwd=ROOT, stdout=subprocess.PIPE,
                           stdin=subprocess.DEVNULL)
        out = r.stdout.decode(errors='replace')
        for line in out.splitlines():
            if ': ERROR:' in line or ': WARNING:' in line:
                print(line)
        errors += out.count(': ERROR:')
    say('checkpatch: %d file(s), %d error(s)' % (len(c_files()), errors))
    return 1 if errors else 0


# What GNU make hands its recipes: our Makefile runs in question mode (-q,
# see there), which must not reach the kernel's own make.
MAKE_ENV = ('MAKEFLAGS', 'MFLAGS', 'MAKELEVEL', 'MAKEOVERRIDES')


def main(argv):
    for k in MAKE_ENV:
        os.environ.pop(k, None)
    try:
        a = parse_env_args(argv)
        if a.cmd == 'run':
            return cmd_run(a)
        if a.cmd == 'test':
            return cmd_test(a)
        if a.cmd == 'ledger':
            return cmd_ledger(a)
        if a.cmd == 'compile':
            return cmd_compile(a)
        if a.cmd == 'checkpatch':
            return cmd_checkpatch(a)
        if a.cmd == 'mutants':
            return cmd_mutants(a)
        if a.cmd == 'soak':
            return cmd_soak(a)
        if a.cmd == 'report':
            return cmd_report(a)
        tree = os.path.abspath(a.ksrc) if a.ksrc else \
            unpack_debian_source(a.kernel, a.cache)
        if a.cmd == 'graft':
            check_tree(tree)
            graft(tree)
            write_kunitconfigs()
            say('kclaims is grafted into %s; to run the suites with the '
                'kernel\'s own kunit.py:' % tree)
            print('  cd %s' % tree)
            for cmd in kunitconfigs.commands(ROOT):
                print('  ' + cmd)
        else:
            ungraft(tree)
            say('kclaims is removed from %s' % tree)
        return 0
    except SetupError as e:
        print('kclaims: error: %s' % e, file=sys.stderr, flush=True)
        return 2
    except mutants.MutantError as e:
        print('kclaims: error: %s.' % e, file=sys.stderr, flush=True)
        return 2
    except claims.LedgerError as e:
        print('kclaims: error: claims/ is malformed: %s' % e,
              file=sys.stderr, flush=True)
        return 2
    except KeyboardInterrupt:
        print('kclaims: interrupted', file=sys.stderr)
        return 2


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
