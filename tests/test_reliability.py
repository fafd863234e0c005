"""Reliability of the runner: kernel reports in the console, hung kernels,
profiles. A stub kunit.py stands in for the kernel (see test_runner.py)."""
import os
import sys
import tempfile
import textwrap
import time
import unittest
from unittest import mock

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), 'scripts'))
sys.path.insert(0, HERE)
import kclaims  # noqa: E402
import reports  # noqa: E402
from test_runner import TmpCase, make_tree, run_main  # noqa: E402

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
        self.assertIn('3 passed, 0 failed, 0 skipped', out)

    def test_declared_reports_pass(self):
        path = os.path.join(self.tmp, 'c.log')
        with open(REPORTS, encoding='utf-8') as f:
            text = f.read()
        lines = [x for x in text.splitlines()
                 if 'virt-pci' not in x and 'dma-mapping' not in x]
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
        with open(pidfile) as f:
            pid = int(f.read())
        for _ in range(50):
            try:
                with open('/proc/%d/stat' % pid) as f:
                    if f.read().split()[2] == 'Z':
                        break
            except OSError:
                break
            time.sleep(0.1)
        else:
            self.fail("the hung kernel's child survived")


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
