"""Reliability of the runner: kernel reports in the console, hung kernels,
profiles. A stub kunit.py stands in for the kernel (see test_runner.py)."""
import io
import os
import subprocess
import sys
import textwrap
import time
import unittest
from contextlib import redirect_stdout
from unittest import mock

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), 'scripts'))
sys.path.insert(0, HERE)
import kclaims  # noqa: E402
import reports  # noqa: E402
from test_runner import TmpCase, assert_reaped, make_tree, run_main  # noqa: E402

REPORTS = os.path.join(HERE, 'fixtures', 'reports.log')

HANG_KUNIT = r'''#!/usr/bin/env python3
import os, signal, subprocess, sys, time
verb, args = sys.argv[1], sys.argv[2:]
opts = dict(a[2:].split('=', 1) for a in args if a.startswith('--') and '=' in a)
if verb == 'config':
    os.makedirs(opts['build_dir'], exist_ok=True)
    open(os.path.join(opts['build_dir'], '.config'), 'w').close()
    sys.exit(0)
if '--list_tests' in args:
    print('kclaims_list.first\nkclaims_list.hangs\nkclaims_list.third')
    sys.exit(0)
with open(os.path.join(opts['build_dir'], 'test.log'), 'w') as f:
    f.write('KTAP version 1\n1..1\n    KTAP version 1\n'
            '    # Subtest: kclaims_list\n    1..3\n    ok 1 first\n')
# a hung UML kernel: ignores SIGTERM, and a child keeps the pipe open
signal.signal(signal.SIGTERM, signal.SIG_IGN)
p = subprocess.Popen(['sleep', '600'])
open(os.environ['CHILD_PID'], 'w').write(str(p.pid))
time.sleep(600)
'''


class ScanTest(unittest.TestCase):
    def setUp(self):
        with open(REPORTS, encoding='utf-8') as f:
            self.reps = reports.scan(f.read())

    def test_finds_every_report_header(self):
        self.assertEqual([r.header.split(':')[0] for r in self.reps],
                         ['WARNING', 'BUG', 'WARNING', 'WARNING'])

    def test_declared_window_covers_its_reports_only(self):
        self.assertEqual([r.declared for r in self.reps],
                         [False, True, True, False])
        self.assertEqual(self.reps[1].needle,
                         'sleeping function called from invalid context')

    def test_report_is_named_by_the_case_that_was_running(self):
        self.assertEqual(self.reps[0].where(),
                         'during boot, before the first suite')
        self.assertEqual(self.reps[1].where(),
                         'while kclaims_sleep.msleep_under_spinlock ran')
        self.assertEqual(self.reps[3].where(),
                         'while kclaims_vmalloc.dma_on_vmalloc ran')

    def test_injected_failures_are_attributed_to_their_case(self):
        with open(REPORTS, encoding='utf-8') as f:
            self.assertEqual(reports.injected_cases(f.read()),
                             {'kclaims_slab.shrink_releases_empty_slabs'})

    def test_a_window_without_end_closes_with_its_case(self):
        text = ('KTAP version 1\n1..1\n    KTAP version 1\n'
                '    # Subtest: kclaims_x\n    1..2\n'
                'kclaims: expect report: oops\n'
                '    not ok 1 aborted_in_its_window\n'
                'WARNING: CPU: 0 PID: 9 at mm/slub.c:1 f+0x1/0x2\n'
                '    ok 2 next\nok 1 kclaims_x\n')
        r, = reports.scan(text)
        self.assertFalse(r.declared)
        self.assertEqual(r.where(), 'while kclaims_x.next ran')

    def test_allowed_headers(self):
        with open(REPORTS, encoding='utf-8') as f:
            text = f.read()
        self.assertEqual(len(reports.undeclared(text)), 2)
        self.assertEqual(len(reports.undeclared(text, [r'virt-pci'])), 1)


class ReportPipelineTest(TmpCase):
    def setUp(self):
        super().setUp()
        self.env['KSRC'] = make_tree(self.tmp)

    def test_undeclared_report_fails_a_green_run_and_names_the_case(self):
        rc, out, err = run_main(['run'], dict(self.env, FAKE_CONSOLE=REPORTS))
        self.assertEqual(rc, 1, out + err)
        self.assertIn('REPORT  WARNING: CPU: 0 PID: 161 at include/linux/'
                      'dma-mapping.h:381 dma_map_single+0x5d/0x78 (while '
                      'kclaims_vmalloc.dma_on_vmalloc ran; console line', out)
        self.assertIn('2 kernel report(s) that no case declared', out)
        self.assertIn('3 passed, 2 failed, 0 skipped', out)

    def test_faults_profile_skips_only_failures_with_an_injection(self):
        rc, out, err = run_main(['run'], dict(self.env, FAKE_CONSOLE=REPORTS,
                                              PROFILE='faults'))
        self.assertEqual(rc, 1, out + err)
        self.assertIn('FAILED  kclaims_slab.never_injected', out)
        self.assertNotIn('FAILED  kclaims_slab.shrink', out)
        self.assertIn('3 passed, 1 failed, 1 skipped', out)
        self.assertIn('1 kernel report(s) that no case declared', out)

    def test_declared_reports_pass(self):
        path = os.path.join(self.tmp, 'c.log')
        with open(REPORTS, encoding='utf-8') as f:
            text = f.read()
        lines = [x for x in text.splitlines()
                 if 'virt-pci' not in x and 'dma-mapping' not in x and
                 'kclaims_slab' not in x and 'not ok' not in x]
        with open(path, 'w') as f:
            f.write('\n'.join(lines) + '\n')
        rc, out, err = run_main(['run'], dict(self.env, FAKE_CONSOLE=path))
        self.assertEqual(rc, 0, out + err)
        self.assertNotIn('REPORT', out)


class HangTest(TmpCase):
    def test_hung_kernel_is_cut_off_named_and_leaves_no_process(self):
        tree = make_tree(self.tmp)
        with open(os.path.join(tree, 'tools/testing/kunit/kunit.py'),
                  'w') as f:
            f.write(HANG_KUNIT)
        pidfile = os.path.join(self.tmp, 'child.pid')
        t0 = time.time()
        with mock.patch.object(kclaims, 'HANG_MARGIN', 0):
            rc, out, err = run_main(['run'], dict(
                self.env, KSRC=tree, TIMEOUT='2', CHILD_PID=pidfile))
        self.assertLess(time.time() - t0, 30)
        self.assertEqual(rc, 1, out + err)
        self.assertIn('CRASHED kclaims_list.hangs (the kernel died or hung '
                      'while this case ran', out)
        self.assertIn('CRASHED kclaims_list.third', out)
        self.assertIn('1 passed, 2 failed', out)
        for name in ('junit.xml', 'run.json', 'console.log'):
            self.assertTrue(os.path.exists(os.path.join(
                self.env['KCLAIMS_OUT'], name)), name)
        assert_reaped(self, pidfile)


class ProfileTest(TmpCase):
    def setUp(self):
        super().setUp()
        self.env['KSRC'] = make_tree(self.tmp)

    def test_unknown_profile_is_one_sentence(self):
        rc, out, err = run_main(['run'], dict(self.env, PROFILE='fast'))
        self.assertEqual(rc, 2)
        self.assertIn('PROFILE=fast is not a profile; use one of', err)

    def test_debug_profile_adds_its_fragment_and_own_build_dir(self):
        a = kclaims.parse_env_args(['run', '--profile', 'debug'])
        args = kclaims.common_args(a, '/b')
        self.assertIn('--kunitconfig=' + os.path.join(kclaims.ROOT,
                                                      'kunitconfig.debug'),
                      args)
        self.assertTrue(os.path.isfile(os.path.join(kclaims.ROOT,
                                                    'kunitconfig.debug')))

    def test_lockdep_profile_boots_each_case_alone_with_its_parameter(self):
        src = os.path.join(self.tmp, 'lockdep.c')
        with open(src, 'w') as f:
            f.write('KUNIT_CASE(abba_order),\nKUNIT_CASE_SLOW(recursive),\n')
        a = kclaims.parse_env_args(['run', '--profile', 'lockdep'])
        with mock.patch.object(kclaims, 'LOCKDEP_FILE', src):
            boots = kclaims.boots_of(a)
        self.assertEqual(boots, [
            ('kclaims_lockdep.abba_order',
             [kclaims.LOCKDEP_ARG % 'abba_order']),
            ('kclaims_lockdep.recursive',
             [kclaims.LOCKDEP_ARG % 'recursive'])])


if __name__ == '__main__':
    unittest.main()


class CacheTreeTest(TmpCase):
    """Interrupted unpacks and trees that drifted from the package."""

    def setUp(self):
        super().setUp()
        self.usr_src = os.path.join(self.tmp, 'usr-src')
        os.makedirs(self.usr_src)
        base = os.path.join(self.tmp, 'pkg')
        os.makedirs(base)
        tree = make_tree(base)
        os.makedirs(os.path.join(tree, 'kernel'))
        with open(os.path.join(tree, 'kernel', 'sys.c'), 'w') as f:
            f.write('int getpid(void) { return tgid; }\n')
        os.rename(tree, os.path.join(base, 'linux-source-9.9'))
        subprocess.run(['tar', '-C', base, '-cJf', os.path.join(
            self.usr_src, 'linux-source-9.9.tar.xz'), 'linux-source-9.9'],
            check=True)
        self.cache = self.env['KCLAIMS_CACHE']
        self.tree = os.path.join(self.cache, 'src', 'linux-source-9.9')
        self.patch = mock.patch.object(kclaims, 'USR_SRC', self.usr_src)
        self.patch.start()
        self.addCleanup(self.patch.stop)

    def unpack(self):
        out = io.StringIO()
        with redirect_stdout(out):
            tree = kclaims.unpack_debian_source('9.9', self.cache)
        return tree, out.getvalue()

    def test_leftover_of_an_interrupted_unpack_is_removed(self):
        left = os.path.join(self.cache, 'src', '.unpack-x1')
        os.makedirs(os.path.join(left, 'linux-source-9.9', 'kernel'))
        tree, out = self.unpack()
        self.assertFalse(os.path.exists(left))
        self.assertIn('left by an interrupted unpack', out)
        self.assertTrue(os.path.isfile(os.path.join(tree, 'kernel/sys.c')))
        self.assertTrue(os.path.isfile(kclaims.manifest_path(tree)))

    def test_a_file_left_mutated_is_restored_and_touched(self):
        tree, _ = self.unpack()
        kclaims.graft(tree)             # the graft is not a difference
        path = os.path.join(tree, 'kernel/sys.c')
        with open(path, 'w') as f:
            f.write('int getpid(void) { return pid; }  /* mutant */\n')
        os.utime(path, (1, 1))          # even with an old mtime
        t0 = time.time()
        tree, out = self.unpack()
        with open(path) as f:
            self.assertIn('return tgid', f.read())
        self.assertGreaterEqual(os.stat(path).st_mtime, t0 - 1)
        self.assertIn('restored 1 file(s) from the package: kernel/sys.c',
                      out)
        tree, out = self.unpack()      # and the next run is quiet
        self.assertNotIn('differs', out)

    def test_a_tree_without_manifest_is_compared_once(self):
        tree, _ = self.unpack()
        os.unlink(kclaims.manifest_path(tree))
        tree, out = self.unpack()
        self.assertIn('differs from its manifest', out)
        self.assertNotIn('restored', out)
        self.assertTrue(os.path.isfile(kclaims.manifest_path(tree)))

    def test_ksrc_with_a_mutant_applied_is_refused_not_touched(self):
        tree, _ = self.unpack()
        mdir = os.path.join(self.tmp, 'mutants')
        os.makedirs(mdir)
        with open(os.path.join(mdir, 'getpid-pid.patch'), 'w') as f:
            f.write(textwrap.dedent('''\
                # claims: PROC-GETPID
                # suites: kclaims_syscall
                # kills: kclaims_syscall.getpid
                # why: getpid returns the pid
                --- a/kernel/sys.c
                +++ b/kernel/sys.c
                @@ -1 +1 @@
                -int getpid(void) { return tgid; }
                +int getpid(void) { return pid; }
                '''))
        real_load = kclaims.mutants.load
        with mock.patch.object(kclaims.mutants, 'load',
                               lambda: real_load(mdir)):
            kclaims.check_no_mutant_applied(tree)       # clean: fine
            subprocess.run(['patch', '-p1', '-s', '-d', tree, '-i',
                            os.path.join(mdir, 'getpid-pid.patch')],
                           check=True)
            with self.assertRaisesRegex(kclaims.SetupError,
                                        'has the kclaims mutant getpid-pid '
                                        r'applied \(kernel/sys.c\)'):
                kclaims.check_no_mutant_applied(tree)
        with open(os.path.join(tree, 'kernel/sys.c')) as f:
            self.assertIn('return pid', f.read())


class LockTest(TmpCase):
    def test_second_run_waits_for_the_lock_with_a_message(self):
        import fcntl
        import threading
        cache = self.env['KCLAIMS_CACHE']
        os.makedirs(os.path.join(cache, 'build'))
        holder = open(os.path.join(cache, 'build', '.lock'), 'a')
        fcntl.flock(holder, fcntl.LOCK_EX)
        threading.Timer(0.5, holder.close).start()
        out = io.StringIO()
        t0 = time.time()
        with redirect_stdout(out), kclaims.build_lock(cache):
            waited = time.time() - t0
        self.assertIn('waiting for another kclaims build', out.getvalue())
        self.assertGreater(waited, 0.3)


class MutantBootsTest(unittest.TestCase):
    def test_lockdep_kills_boot_alone_with_their_parameter(self):
        m = {'suites': ['kclaims_lockdep', 'kclaims_mutex'],
             'kills': ['kclaims_lockdep.abba', 'kclaims_mutex.x']}
        self.assertEqual(kclaims.mutant_boots(m), [
            ('kclaims_lockdep.abba', (kclaims.LOCKDEP_ARG % 'abba',)),
            ('kclaims_mutex', ())])
