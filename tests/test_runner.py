"""The runner's own tests: graft, KTAP/JSON/JUnit, ledger, bad input.

No kernel is built here: a fake kernel tree with a stub kunit.py stands in
where the pipeline itself is under test.
"""
import io
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import textwrap
import time
import unittest
from contextlib import redirect_stderr, redirect_stdout
from unittest import mock

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, 'scripts'))
import claims  # noqa: E402
import kclaims  # noqa: E402
import ktap  # noqa: E402
import mutants  # noqa: E402
import sources  # noqa: E402

FIXTURE = os.path.join(HERE, 'fixtures', 'console.log')
STUB_KUNIT = r'''#!/usr/bin/env python3
import os, shutil, sys
verb, args = sys.argv[1], sys.argv[2:]
opts = dict(a[2:].split('=', 1) for a in args if a.startswith('--') and '=' in a)
if verb == 'config':
    if os.environ.get('FAKE_MISSING'):
        print('ERROR:root:Not all Kconfig options selected in kunitconfig '
              'were in the generated .config.')
        print('Missing: ' + os.environ['FAKE_MISSING'])
        sys.exit(1)
    os.makedirs(opts['build_dir'], exist_ok=True)
    open(os.path.join(opts['build_dir'], '.config'), 'w').close()
    sys.exit(0)
shutil.copy(os.environ['FAKE_CONSOLE'], os.path.join(opts['build_dir'], 'test.log'))
if os.environ.get('FAKE_JSON'):
    shutil.copy(os.environ['FAKE_JSON'], opts['json'])
print('[00:00:01] Testing complete.')
sys.exit(int(os.environ.get('FAKE_RC', '0')))
'''
GREEN = textwrap.dedent('''\
    KTAP version 1
    1..1
        KTAP version 1
        # Subtest: kclaims_list
        1..2
        ok 1 list_add_inserts_at_head
        ok 2 list_add_tail_inserts_at_tail # SKIP needs i386
    ok 1 kclaims_list
    ''')


def make_tree(base, kbuild='obj-y += init/\n', kconfig='source "lib/Kconfig"\n'):
    tree = os.path.join(base, 'linux')
    os.makedirs(os.path.join(tree, 'tools/testing/kunit'))
    with open(os.path.join(tree, 'Makefile'), 'w') as f:
        f.write('VERSION = 6\nPATCHLEVEL = 12\nSUBLEVEL = 117\n'
                'all:\n\t@if [ -n "$$FAKE_BUILD_ERROR" ]; then '
                'echo \'kclaims/lib/x.c:3:1: error: expected ";"\'; '
                'exit 1; fi\n')
    with open(os.path.join(tree, 'Kbuild'), 'w') as f:
        f.write(kbuild)
    with open(os.path.join(tree, 'Kconfig'), 'w') as f:
        f.write(kconfig)
    kunit = os.path.join(tree, 'tools/testing/kunit/kunit.py')
    with open(kunit, 'w') as f:
        f.write(STUB_KUNIT)
    os.chmod(kunit, 0o755)
    return tree


def run_main(argv, env=None):
    out, err = io.StringIO(), io.StringIO()
    with mock.patch.dict(os.environ, env or {}), redirect_stdout(out), \
            redirect_stderr(err):
        rc = kclaims.main(argv)
    return rc, out.getvalue(), err.getvalue()


class TmpCase(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix='kclaims-test-')
        self.addCleanup(shutil.rmtree, self.tmp)
        self.env = {'KCLAIMS_NO_APT': '1', 'KSRC': '', 'FILTER': '',
                    'ARCH': '', 'KCLAIMS_CACHE': os.path.join(self.tmp, 'cache'),
                    'KCLAIMS_OUT': os.path.join(self.tmp, 'out'),
                    'KUNITCONFIG': ''}


class GraftTest(TmpCase):
    def read(self, tree, name):
        with open(os.path.join(tree, name)) as f:
            return f.read()

    def test_graft_twice_adds_each_line_once(self):
        tree = make_tree(self.tmp)
        kclaims.graft(tree)
        first = (self.read(tree, 'Kbuild'), self.read(tree, 'Kconfig'))
        self.assertEqual(kclaims.graft(tree), [])
        self.assertEqual((self.read(tree, 'Kbuild'), self.read(tree, 'Kconfig')),
                         first)
        self.assertEqual(first[0].count(kclaims.KBUILD_LINE), 1)
        self.assertEqual(first[1].count(kclaims.KCONFIG_LINE), 1)
        self.assertEqual(os.readlink(os.path.join(tree, 'kclaims')), ROOT)

    def test_graft_repoints_a_link_to_another_clone(self):
        tree = make_tree(self.tmp)
        other = os.path.join(self.tmp, 'other-clone')
        os.mkdir(other)
        kclaims.graft(tree, project=other)
        kclaims.graft(tree)
        self.assertEqual(os.readlink(os.path.join(tree, 'kclaims')), ROOT)
        self.assertEqual(self.read(tree, 'Kbuild').count('kclaims'), 2)

    def test_refuses_a_different_kclaims_line_and_changes_nothing(self):
        tree = make_tree(self.tmp, kbuild='obj-$(CONFIG_X) += kclaims/\n')
        before = self.read(tree, 'Kconfig')
        with self.assertRaisesRegex(kclaims.SetupError, 'different kclaims'):
            kclaims.graft(tree)
        self.assertEqual(self.read(tree, 'Kconfig'), before)
        self.assertFalse(os.path.lexists(os.path.join(tree, 'kclaims')))

    def test_refuses_a_real_kclaims_directory(self):
        tree = make_tree(self.tmp)
        os.mkdir(os.path.join(tree, 'kclaims'))
        with self.assertRaisesRegex(kclaims.SetupError, 'not a kclaims link'):
            kclaims.graft(tree)
        self.assertNotIn('kclaims', self.read(tree, 'Kbuild'))

    def test_failed_graft_is_rolled_back(self):
        tree = make_tree(self.tmp)
        before = self.read(tree, 'Kbuild')
        # the Kconfig write fails: its temporary name is taken by a directory
        os.mkdir(os.path.join(tree, 'Kconfig.kclaims-new'))
        with self.assertRaisesRegex(kclaims.SetupError, 'nothing was left'):
            kclaims.graft(tree)
        self.assertEqual(self.read(tree, 'Kbuild'), before)
        self.assertFalse(os.path.lexists(os.path.join(tree, 'kclaims')))

    def test_ungraft_removes_a_hand_added_line_too(self):
        tree = make_tree(self.tmp, kbuild='obj-y += init/\nobj-y += kclaims/\n')
        kclaims.graft(tree)
        kclaims.ungraft(tree)
        self.assertEqual(self.read(tree, 'Kbuild'), 'obj-y += init/\n')

    def test_ungraft_restores_the_tree(self):
        tree = make_tree(self.tmp)
        before = (self.read(tree, 'Kbuild'), self.read(tree, 'Kconfig'))
        kclaims.graft(tree)
        kclaims.ungraft(tree)
        self.assertEqual((self.read(tree, 'Kbuild'), self.read(tree, 'Kconfig')),
                         before)
        self.assertFalse(os.path.lexists(os.path.join(tree, 'kclaims')))


class KtapTest(unittest.TestCase):
    def setUp(self):
        with open(FIXTURE) as f:
            self.text = ktap.extract(f.read())
        self.res = ktap.parse(self.text)

    def test_extract_strips_console_prefix_and_stops_at_panic(self):
        self.assertTrue(self.text.startswith('KTAP version 1\n1..3\n'))
        self.assertNotIn('[', self.text.splitlines()[3])
        self.assertNotIn('Core dump', self.text)

    def test_parse_statuses_params_and_failure_text(self):
        st = {k: c.status for k, c in self.res.items()}
        self.assertEqual(st, {
            'kclaims_list.list_add_inserts_at_head': 'FAIL',
            'kclaims_list.list_sizes.size 8': 'PASS',
            'kclaims_list.list_sizes.size 16': 'SKIP',
            'kclaims_list.list_add_tail_inserts_at_tail': 'PASS',
            'kclaims_gfp.gfp_atomic_does_not_block': 'PASS'})
        log = self.res['kclaims_list.list_add_inserts_at_head'].log
        self.assertIn('EXPECTATION FAILED', log[0])
        self.assertIn('Expected list.next == &b, but', log)

    def test_json_flattening_and_crash_as_error(self):
        doc = {'name': 'KUnit Test Group', 'test_cases': [], 'sub_groups': [
            {'name': 'kclaims_gfp', 'test_cases': [
                {'name': 'gfp_atomic_does_not_block', 'status': 'PASS'},
                {'name': 'gfp_nowait_has_no_reserves', 'status': 'ERROR'}],
             'sub_groups': [{'name': 'sizes', 'sub_groups': [], 'test_cases': [
                 {'name': 'size 8', 'status': 'SKIP'}]}]}]}
        self.assertEqual(ktap.from_json(doc), {
            'kclaims_gfp.gfp_atomic_does_not_block': 'PASS',
            'kclaims_gfp.gfp_nowait_has_no_reserves': 'ERROR',
            'kclaims_gfp.sizes.size 8': 'SKIP'})

    def test_junit_counts_and_elements(self):
        import xml.etree.ElementTree as ET
        self.res['kclaims_gfp.crashed'] = ktap.Case('kclaims_gfp.crashed',
                                                    'ERROR', [])
        root = ET.fromstring(ktap.to_junit(self.res, 'kclaims'))
        self.assertEqual(root.get('tests'), '6')
        self.assertEqual(root.get('failures'), '1')
        self.assertEqual(root.get('errors'), '1')
        self.assertEqual(root.get('skipped'), '1')
        fail = root.find(".//testcase[@name='list_add_inserts_at_head']/failure")
        self.assertIn('EXPECTATION FAILED', fail.get('message'))
        self.assertIsNotNone(root.find(".//testcase[@name='crashed']/error"))


class LedgerTest(unittest.TestCase):
    ROWS = [
        {'id': 'A-1', 'area': 'mm', 'verdict': 'holds', 'cases': 's.a'},
        {'id': 'A-2', 'area': 'mm', 'verdict': 'arch', 'cases': 's.b'},
        {'id': 'A-3', 'area': 'mm', 'verdict': 'false', 'cases': 's.c, s.d'},
        {'id': 'A-4', 'area': 'mm', 'verdict': 'untestable', 'cases': ''},
        {'id': 'A-5', 'area': 'sched', 'verdict': 'holds', 'cases': ''},
    ]

    def test_green_ledger(self):
        res = {'s.a': 'PASS', 's.b': 'SKIP', 's.c': 'PASS', 's.d': 'PASS'}
        problems, st = claims.check(self.ROWS, res)
        self.assertEqual(problems, [])
        self.assertEqual((st['proven'], st['arch_skipped'], st['untestable'],
                          st['pending']), (2, 1, 1, 1))

    def test_red_missing_and_wrong_skip(self):
        res = {'s.a': 'SKIP', 's.b': 'FAIL', 's.c': 'PASS'}
        problems, _ = claims.check(self.ROWS, res, require_areas=('sched',),
                                   skips={'s.a': 'not written yet'})
        text = '\n'.join(problems)
        self.assertIn('A-1: s.a skipped here without naming the arch', text)
        self.assertIn('A-2: s.b is FAIL', text)
        self.assertIn('A-3: s.d is MISSING', text)
        self.assertIn('A-5 (sched) links no case', text)

    def test_skip_naming_the_arch_is_allowed_but_proves_nothing(self):
        rows = [{'id': 'S-1', 'area': 'sync', 'verdict': 'nuanced',
                 'cases': 's.up, s.smp'}]
        skips = {'s.smp': 'needs SMP (QEMU x86_64 -smp 2)'}
        problems, st = claims.check(rows, {'s.up': 'PASS', 's.smp': 'SKIP'},
                                    skips=skips)
        self.assertEqual((problems, st['proven']), ([], 1))
        # every case skipped, naming the target: not shown, not counted
        both = {'s.up': 'SKIP', 's.smp': 'SKIP'}
        problems, st = claims.check(rows, both,
                                    skips=dict(skips, **{'s.up': 'needs SMP'}))
        self.assertEqual((problems, st['proven'], st['arch_skipped']),
                         ([], 0, 1))
        self.assertEqual(claims.shown(rows[0], both), 'not shown here')

    def test_parameterised_case_is_the_sum_of_its_params(self):
        rows = [{'id': 'P-1', 'area': 'mm', 'verdict': 'holds',
                 'cases': 's.p'}]
        ok = {'s.p.size 8': 'PASS', 's.p.size 16': 'SKIP'}
        self.assertEqual(claims.check(rows, ok)[0], [])
        bad = dict(ok, **{'s.p.size 32': 'FAIL'})
        self.assertEqual(claims.check(rows, bad)[0], ['P-1: s.p is FAIL'])

    def test_filtered_run_ignores_cases_not_run(self):
        problems, st = claims.check(self.ROWS, {'s.a': 'PASS'}, ran_all=False)
        self.assertEqual(problems, [])
        self.assertEqual(st['not_run'], 2)

    def test_real_claims_files_parse(self):
        rows = claims.load()
        self.assertEqual(len(rows), 322)
        self.assertEqual(len({r['id'] for r in rows}), 322)

    def test_malformed_stanza_is_named(self):
        with self.assertRaisesRegex(claims.LedgerError, 'verdict'):
            claims.parse_text('id: X-1\nverdict: maybe\n', 'x.claims')
        with self.assertRaisesRegex(claims.LedgerError, 'x.claims:2'):
            claims.parse_text('id: X-1\nbogus line\n', 'x.claims')


class ArgsTest(TmpCase):
    def test_per_arch_kunitconfig_is_added_for_that_arch_only(self):
        kc = os.path.join(self.tmp, 'kunitconfig')
        for name in (kc, kc + '.x86_64'):
            open(name, 'w').close()
        with mock.patch.dict(os.environ, dict(self.env, KUNITCONFIG=kc)):
            um = kclaims.parse_env_args(['run'])
            x86 = kclaims.parse_env_args(['run', '--arch=x86_64'])
        self.assertNotIn('--kunitconfig=' + kc + '.x86_64',
                         kclaims.common_args(um, '/b'))
        self.assertIn('--kunitconfig=' + kc + '.x86_64',
                      kclaims.common_args(x86, '/b'))
        self.assertIn('--arch=x86_64', kclaims.common_args(x86, '/b'))


class BadInputTest(TmpCase):
    def assert_setup_error(self, argv, pattern, env=None):
        e = dict(self.env, **(env or {}))
        rc, out, err = run_main(argv, e)
        self.assertEqual(rc, 2, out + err)
        self.assertRegex(err, pattern)
        self.assertEqual(len(err.strip().splitlines()), 1, err)
        return err

    def test_no_such_ksrc(self):
        self.assert_setup_error(['run'], 'does not exist',
                                {'KSRC': os.path.join(self.tmp, 'nope')})

    def test_tree_without_kunit(self):
        tree = make_tree(self.tmp)
        shutil.rmtree(os.path.join(tree, 'tools'))
        self.assert_setup_error(['run'], 'no tools/testing/kunit', {'KSRC': tree})

    def test_tree_built_in_place_is_refused_not_cleaned(self):
        tree = make_tree(self.tmp)
        open(os.path.join(tree, '.config'), 'w').close()
        self.assert_setup_error(['run'], 'clean it yourself', {'KSRC': tree})
        self.assertTrue(os.path.exists(os.path.join(tree, '.config')))

    def test_missing_tool(self):
        tree = make_tree(self.tmp)
        empty = os.path.join(self.tmp, 'bin')
        os.mkdir(empty)
        self.assert_setup_error(['run'], r'missing; install it with: apt-get',
                                {'KSRC': tree, 'PATH': empty})

    def test_non_root_gets_the_apt_line(self):
        with mock.patch('os.geteuid', return_value=1000), \
                mock.patch('shutil.which', return_value='/usr/bin/apt-get'), \
                mock.patch.dict(os.environ, {'KCLAIMS_NO_APT': ''}):
            with self.assertRaisesRegex(kclaims.SetupError,
                                        'sudo sh -c "apt-get update && apt-get '
                                        'install -y --no-install-recommends '
                                        'bc flex"'):
                kclaims.ensure_packages(['flex', 'bc'], 'build tools')

    def test_bad_option_and_values(self):
        self.assert_setup_error(['run', '--bogus'], 'bad option')
        self.assert_setup_error(['frobnicate'], 'bad option')
        self.assert_setup_error(['run'], 'ARCH=sparc is not supported',
                                {'ARCH': 'sparc'})
        self.assert_setup_error(['run'], 'FILTER=.* is not a suite',
                                {'FILTER': 'a b;rm'})
        self.assert_setup_error(['run'], 'not a kernel series',
                                {'KERNEL': 'latest'})

    def test_unwritable_cache(self):
        blocker = os.path.join(self.tmp, 'file')
        open(blocker, 'w').close()
        self.assert_setup_error(['run'], 'cannot create the cache',
                                {'KCLAIMS_CACHE': os.path.join(blocker, 'c')})

    def test_out_of_disk(self):
        usage = shutil.disk_usage(self.tmp)._replace(free=100 << 20)
        with mock.patch('shutil.disk_usage', return_value=usage):
            with self.assertRaisesRegex(kclaims.SetupError,
                                        r'only 0\.1 GiB free under .*needs'):
                kclaims.check_space(self.tmp, kclaims.NEED_UNPACK, 'unpacking')

    def test_unknown_kconfig_symbol_is_restated(self):
        tree = make_tree(self.tmp)
        with open(os.path.join(tree, 'Kconfig'), 'a') as f:
            f.write('config KNOWN_BUT_UNMET\n\tbool\n')
        self.assertIn('does not have (no such Kconfig symbol)',
                      kclaims.explain_missing(['CONFIG_NO_SUCH_THING=y'],
                                              tree, 'um'))
        self.assertIn('cannot be enabled for ARCH=um',
                      kclaims.explain_missing(['CONFIG_KNOWN_BUT_UNMET=y'],
                                              tree, 'um'))


TOOLS = all(shutil.which(t) for t in kclaims.BUILD_TOOLS)


@unittest.skipUnless(TOOLS, 'build tools not installed (make run installs them)')
class PipelineTest(TmpCase):
    """The whole run against a stub kunit.py: exit codes and out/."""

    def setUp(self):
        super().setUp()
        self.tree = make_tree(self.tmp)
        self.env['KSRC'] = self.tree

    def console(self, text):
        path = os.path.join(self.tmp, 'console.txt')
        with open(path, 'w') as f:
            f.write(text)
        return path

    def test_green_run_exits_0_and_writes_out(self):
        rc, out, err = run_main(['run'], dict(
            self.env, FAKE_CONSOLE=self.console(GREEN)))
        self.assertEqual(rc, 0, out + err)
        self.assertEqual(out.strip().splitlines()[-1],
                         '1 passed, 0 failed, 1 skipped')
        outdir = self.env['KCLAIMS_OUT']
        for name in ('console.log', 'results.ktap', 'junit.xml', 'ledger.md',
                     'kunit.log', 'build.log'):
            self.assertTrue(os.path.exists(os.path.join(outdir, name)), name)

    def test_failure_exits_1_naming_the_case(self):
        rc, out, err = run_main(['run'], dict(
            self.env, FAKE_CONSOLE=FIXTURE, FAKE_RC='1'))
        self.assertEqual(rc, 1, out + err)
        self.assertIn('FAILED  kclaims_list.list_add_inserts_at_head', out)

    def test_crash_is_reported_as_crash(self):
        doc = {'name': 'KUnit Test Group', 'test_cases': [], 'sub_groups': [
            {'name': 'kclaims_gfp', 'sub_groups': [], 'test_cases': [
                {'name': 'gfp_atomic_does_not_block', 'status': 'PASS'},
                {'name': 'gfp_never_reported', 'status': 'ERROR'}]}]}
        path = os.path.join(self.tmp, 'r.json')
        with open(path, 'w') as f:
            json.dump(doc, f)
        rc, out, err = run_main(['run'], dict(
            self.env, FAKE_CONSOLE=FIXTURE, FAKE_JSON=path, FAKE_RC='1'))
        self.assertEqual(rc, 1)
        self.assertIn('CRASHED kclaims_gfp.gfp_never_reported', out)
        self.assertIn('crashed or never reported', out)

    def test_missing_symbol_is_a_setup_error(self):
        rc, out, err = run_main(['run'], dict(
            self.env, FAKE_MISSING='CONFIG_KCLAIMS_NOPE_KUNIT_TEST=y'))
        self.assertEqual(rc, 2)
        self.assertIn('CONFIG_KCLAIMS_NOPE_KUNIT_TEST=y, which this kernel '
                      'does not have', err)

    def test_build_failure_is_a_setup_error(self):
        rc, out, err = run_main(['run'], dict(self.env, FAKE_BUILD_ERROR='1'))
        self.assertEqual(rc, 2)
        self.assertIn('the kernel build failed', err)

    def test_filter_matching_nothing_is_a_setup_error(self):
        rc, out, err = run_main(['run'], dict(
            self.env, FILTER='kclaims_nope', FAKE_RC='1',
            FAKE_CONSOLE=self.console('KTAP version 1\n1..0\n')))
        self.assertEqual(rc, 2)
        self.assertIn('FILTER=kclaims_nope matched no test', err)

    def test_no_ktap_at_all_is_a_failure(self):
        rc, out, err = run_main(['run'], dict(
            self.env, FAKE_CONSOLE=self.console('Kernel panic\n'), FAKE_RC='1'))
        self.assertEqual(rc, 1)
        self.assertIn('no KTAP results', out)


if __name__ == '__main__':
    unittest.main()


class MakeStatusTest(TmpCase):
    """`make` hands the runner's 0/1/2 through (question mode, -q)."""

    def make(self, target, out):
        env = {k: v for k, v in os.environ.items()
               if k not in kclaims.MAKE_ENV}
        env['KCLAIMS_OUT'] = out
        return subprocess.run(['make', '-s', '-C', ROOT, target], env=env,
                              stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL).returncode

    def write_run(self, status):
        out = os.path.join(self.tmp, 'out')
        os.makedirs(out, exist_ok=True)
        with open(os.path.join(out, 'run.json'), 'w') as f:
            json.dump({'kernel': '6.12.117', 'arch': 'um', 'filter': None,
                       'status': status}, f)
        return out

    @unittest.skipUnless(shutil.which('make'), 'needs GNU make')
    def test_make_exits_1_on_a_failed_case_and_2_on_a_setup_error(self):
        case = claims.cases_of(next(r for r in claims.load()
                                    if claims.cases_of(r)))[0]
        self.assertEqual(self.make('ledger', self.write_run({case: 'FAIL'})), 1)
        self.assertEqual(self.make('ledger', os.path.join(self.tmp, 'none')), 2)


class EvidenceTest(unittest.TestCase):
    ROWS = [{'id': 'B-1', 'verdict': 'holds', 'kind': 'behaviour',
             'cases': 's.def, s.beh'},
            {'id': 'B-2', 'verdict': 'holds', 'kind': 'behaviour',
             'cases': 's.def'},
            {'id': 'D-1', 'verdict': 'holds', 'kind': 'definition',
             'cases': 's.def'},
            {'id': 'S-1', 'verdict': 'false', 'kind': 'source',
             'cases': 'source.x'},
            {'id': 'N-1', 'verdict': 'holds', 'cases': 's.beh'}]
    EV = {'kclaims_s.def': 'definition', 'kclaims_s.beh': 'behaviour'}

    def rows(self):
        return [dict(r, cases=r['cases'].replace('s.', 'kclaims_s.'))
                for r in self.ROWS]

    def test_behaviour_claim_on_definitions_only_is_a_problem(self):
        res = {'kclaims_s.def': 'PASS', 'kclaims_s.beh': 'PASS',
               'source.x': 'PASS'}
        text = '\n'.join(claims.check_evidence(self.rows(), self.EV, res))
        self.assertIn('B-2 is a claim about behaviour but its cases give '
                      'definition evidence only', text)
        self.assertIn('N-1 links cases but has no kind', text)
        self.assertNotIn('B-1', text)
        self.assertNotIn('D-1', text)
        self.assertNotIn('S-1', text)

    def test_every_case_needs_a_kind_and_stale_kinds_are_named(self):
        res = {'kclaims_s.beh.p1': 'PASS', 'kclaims_s.new': 'PASS'}
        text = '\n'.join(claims.check_evidence([], self.EV, res))
        self.assertIn('case kclaims_s.new has no evidence kind', text)
        self.assertIn('claims/evidence names kclaims_s.def, which did not '
                      'run', text)
        self.assertNotIn('kclaims_s.beh', text)

    def test_evidence_file_format(self):
        with tempfile.NamedTemporaryFile('w', delete=False) as f:
            f.write('# kinds\nkclaims_a.b: behaviour\nkclaims_a.c: maybe\n')
        self.addCleanup(os.unlink, f.name)
        with self.assertRaisesRegex(claims.LedgerError, 'evidence:3'):
            claims.load_evidence(f.name)

    def test_real_evidence_file_parses_and_kinds_are_valid(self):
        ev = claims.load_evidence()
        self.assertTrue(ev)
        for r in claims.load():
            self.assertIn(r.get('kind', 'behaviour') or 'behaviour',
                          claims.KINDS, r['id'])

    def test_ledger_shows_kind_evidence_and_killing_mutants(self):
        rows = [dict(self.rows()[0], catalogue='holds')]
        runs = [{'name': 'mut-a', 'claims': ['B-1'], 'outcome': 'killed',
                 'killed_by': ['kclaims_s.beh']},
                {'name': 'mut-b', 'claims': ['B-1'], 'outcome': 'survived',
                 'killed_by': []}]
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, 'ledger.md')
            claims.write_ledger(rows, {'kclaims_s.def': 'PASS',
                                       'kclaims_s.beh': 'SKIP'}, path,
                                evidence=self.EV, mutant_runs=runs)
            with open(path) as f:
                text = f.read()
        self.assertIn('| B-1 |  | holds | behaviour | d, b |', text)
        self.assertIn('| shown | mut-a, not killed: mut-b (survived) |', text)


MUTANT = """# claims: A-1
# suites: kclaims_s
# kills: kclaims_s.a
# why: returns the wrong value
--- a/mm/x.c
+++ b/mm/x.c
@@ -1,3 +1,3 @@
 int f(void)
 {
-\treturn 1;
+\treturn 2;
"""


class MutantTest(TmpCase):
    def tree(self):
        tree = os.path.join(self.tmp, 'tree')
        os.makedirs(os.path.join(tree, 'mm'))
        with open(os.path.join(tree, 'mm/x.c'), 'w') as f:
            f.write('int f(void)\n{\n\treturn 1;\n}\n')
        return tree

    def write(self, name, text):
        d = os.path.join(self.tmp, 'mutants')
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, name), 'w') as f:
            f.write(text)
        return d

    def test_parse_header_and_files(self):
        m = mutants.load(self.write('x-two.patch', MUTANT))[0]
        self.assertEqual((m['name'], m['claims'], m['suites'], m['kills'],
                          m['files']), ('x-two', ['A-1'], ['kclaims_s'],
                                        ['kclaims_s.a'], ['mm/x.c']))

    def test_missing_header_and_bad_name_are_errors(self):
        d = self.write('x.patch', MUTANT.replace('# why: returns the wrong '
                                                 'value\n', ''))
        with self.assertRaisesRegex(mutants.MutantError, '# why:'):
            mutants.load(d)
        with self.assertRaisesRegex(mutants.MutantError, 'lowercase'):
            mutants.parse(os.path.join(self.write('X_1.patch', MUTANT),
                                       'X_1.patch'))

    def test_check_names_unknown_claims_suites_and_non_applying(self):
        tree = self.tree()
        rows = [{'id': 'A-1'}]
        ok = mutants.load(self.write('ok.patch', MUTANT))
        self.assertEqual(mutants.check(tree, rows, {'kclaims_s'}, ok), [])
        bad = mutants.parse(os.path.join(self.write(
            'bad.patch', MUTANT.replace('A-1', 'Z-9').replace(
                'return 1', 'return 7')), 'bad.patch'))
        text = '\n'.join(mutants.check(tree, rows, {'kclaims_t'}, [bad]))
        self.assertIn('names claim Z-9', text)
        self.assertIn('names suite kclaims_s', text)
        self.assertIn('does not apply', text)
        with open(os.path.join(tree, 'mm/x.c')) as f:
            self.assertIn('return 1', f.read())     # dry run only

    def test_restore_undoes_an_interrupted_mutant(self):
        clean = self.tree()
        mtree = os.path.join(self.tmp, 'mtree')
        self.assertTrue(mutants.make_tree(clean, mtree))
        self.assertFalse(mutants.make_tree(clean, mtree))
        m = mutants.load(self.write('ok.patch', MUTANT))[0]
        state = os.path.join(self.tmp, 'applied')
        with open(state, 'w') as f:
            f.write('ok\nmm/x.c\n')
        self.assertEqual(mutants.patch(mtree, m['path'])[0], 0)
        with open(os.path.join(mtree, 'mm/x.c')) as f:
            self.assertIn('return 2', f.read())
        with open(os.path.join(clean, 'mm/x.c')) as f:
            self.assertIn('return 1', f.read())     # the clean tree is apart
        mutants.restore(clean, mtree, state)
        with open(os.path.join(mtree, 'mm/x.c')) as f:
            self.assertIn('return 1', f.read())
        self.assertFalse(os.path.exists(state))

    def test_classify(self):
        base = {'kclaims_s.a': 'PASS', 'kclaims_s.b': 'PASS',
                'kclaims_s.c': 'FAIL', 'kclaims_t.d': 'PASS'}
        self.assertEqual(mutants.classify(
            base, {'kclaims_s.a': 'FAIL', 'kclaims_s.b': 'PASS'},
            ['kclaims_s'], False)[:2], ('killed', ['kclaims_s.a']))
        # only the named suites count; a case failing on clean is no kill
        self.assertEqual(mutants.classify(
            base, {'kclaims_s.a': 'PASS', 'kclaims_s.b': 'PASS',
                   'kclaims_s.c': 'FAIL'}, ['kclaims_s'], False)[0],
            'survived')
        self.assertEqual(mutants.classify(
            base, {'kclaims_s.a': 'PASS', 'kclaims_s.b': 'ERROR'},
            ['kclaims_s'], False)[0], 'crashed')
        self.assertEqual(mutants.classify(
            base, {'kclaims_s.a': 'PASS', 'kclaims_s.b': 'PASS'},
            ['kclaims_s'], True)[0], 'crashed')

    def test_boot_kills_a_hung_kernel_and_its_children(self):
        tree = os.path.join(self.tmp, 'hang')
        os.makedirs(os.path.join(tree, 'tools/testing/kunit'))
        pidfile = os.path.join(self.tmp, 'child.pid')
        with open(os.path.join(tree, 'tools/testing/kunit/kunit.py'),
                  'w') as f:
            f.write('import signal, subprocess, time\n'
                    'signal.signal(signal.SIGTERM, signal.SIG_IGN)\n'
                    'p = subprocess.Popen(["sleep", "600"])\n'
                    'open(%r, "w").write(str(p.pid))\n'
                    'time.sleep(600)\n' % pidfile)
        t0 = time.time()
        with mock.patch.object(mutants.subprocess.Popen, 'wait',
                               autospec=True,
                               side_effect=_short_wait):
            res, hung = mutants.boot(tree, self.tmp, [], 'kclaims_s', 1,
                                     os.path.join(self.tmp, 'log'))
        self.assertTrue(hung)
        self.assertEqual(res, {})
        self.assertLess(time.time() - t0, 30)
        assert_reaped(self, pidfile)


def assert_reaped(case, pidfile):
    """The process whose pid is in @pidfile is gone (or a zombie) within
    5 s: nothing a killed boot started survives it."""
    with open(pidfile) as f:
        pid = int(f.read())
    for _ in range(50):
        try:
            with open('/proc/%d/stat' % pid) as f:
                if f.read().split()[2] == 'Z':
                    return
        except OSError:
            return
        time.sleep(0.1)
    case.fail("the hung kernel's child survived")


_real_wait = subprocess.Popen.wait


def _short_wait(self, timeout=None):
    """boot() waits bound + 20 s; the test waits 3 s."""
    return _real_wait(self, timeout=3 if timeout else None)


class SourceTest(unittest.TestCase):
    def test_counts_calls_not_members_or_longer_names(self):
        with tempfile.TemporaryDirectory() as tree:
            os.makedirs(os.path.join(tree, 'drivers'))
            os.makedirs(os.path.join(tree, 'kernel'))
            open(os.path.join(tree, 'kernel/fork.c'), 'w').close()
            os.makedirs(os.path.join(tree, 'include/linux'))
            with open(os.path.join(tree, 'drivers/a.c'), 'w') as f:
                f.write('down(&s);\nx = down_interruptible(&s);\n'
                        'down (&s); ops->down(&s); up(&s); sem_down(&s);\n')
            with open(os.path.join(tree, 'include/linux/s.h'), 'w') as f:
                f.write('#define init_MUTEX(s) sema_init(s, 1)\n')
            res = sources.run(tree)
            self.assertEqual(sources.count_calls(tree, (
                'down', 'down_interruptible')),
                {'down': 2, 'down_interruptible': 1})
            self.assertEqual(res['source.down_outnumbers_down_interruptible'],
                             ('PASS', 'down( 2 call sites, '
                              'down_interruptible( 1'))
            self.assertEqual(res['source.init_mutex_is_gone'][0], 'FAIL')
            name = 'source.context_switch_calls_switch_mm_and_switch_to'
            self.assertEqual(res[name][0], 'FAIL')
            os.makedirs(os.path.join(tree, 'kernel/sched'))
            os.makedirs(os.path.join(tree, 'arch/x86/include/asm'))
            with open(os.path.join(tree, 'kernel/sched/core.c'), 'w') as f:
                f.write('static void\ncontext_switch(struct rq *rq)\n{\n'
                        '\tswitch_mm_irqs_off(a, b, c);\n'
                        '\tswitch_to(p, n, p);\n}\n')
            open(os.path.join(tree, 'arch/x86/include/asm/switch_to.h'),
                 'w').close()
            self.assertEqual(sources.run(tree)[name][0], 'PASS')
            open(os.path.join(tree, 'arch/x86/include/asm/system.h'),
                 'w').close()
            self.assertEqual(sources.run(tree)[name][0], 'FAIL')
