"""Tests of the ledger's outputs and checks: the per-directory .kunitconfig
files, declarative source checks, ledger.md and ledger.html, the browser
check, the CI workflow check, the README's examples.

Fixtures: tests/fixtures/ledger/ (a small kernel tree for the source
checks, a ledger, an out/ of a run, a project for the .kunitconfig
generator). No kernel is built here.
"""
import fnmatch
import glob
import io
import json
import os
import re
import shutil
import sys
import tempfile
import unittest
from contextlib import redirect_stderr, redirect_stdout

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
FIX = os.path.join(HERE, 'fixtures', 'ledger')
TREE = os.path.join(FIX, 'tree')
sys.path.insert(0, os.path.join(ROOT, 'scripts'))
import ci_workflow  # noqa: E402
import claims  # noqa: E402
import kclaims  # noqa: E402
import kunitconfigs  # noqa: E402
import ledger_html  # noqa: E402
import sources  # noqa: E402


def fixture_rows():
    return claims.load(os.path.join(FIX, 'claims'))


class TmpCase(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix='kclaims-ledger-test-')
        self.addCleanup(shutil.rmtree, self.tmp, True)


# ------------------------------------------------------------ .kunitconfig

def suites_by_file():
    """{C file: (suite names, its Kconfig symbol or None)} of the project."""
    where, objs = kunitconfigs.symbol_dirs(ROOT)
    sym_of = {o[:-2] + '.c': s for s, os_ in objs.items() for o in os_}
    out = {}
    for path in glob.glob(os.path.join(ROOT, '*', '*.c')):
        rel = os.path.relpath(path, ROOT)
        with open(path, encoding='utf-8', errors='replace') as f:
            names = re.findall(r'\.name\s*=\s*"(kclaims_\w+)"', f.read())
        if names:
            out[rel] = (names, sym_of.get(rel))
    return out


class KunitconfigTest(TmpCase):
    def test_committed_files_equal_the_generated_ones(self):
        self.assertEqual(kunitconfigs.check(ROOT), [])

    def test_each_suite_symbol_is_in_its_directory_and_the_root_only(self):
        with open(os.path.join(ROOT, 'kunitconfig')) as f:
            enabled = set(re.findall(r'^(CONFIG_\w+)=y', f.read(), re.M))
        files = {}
        for d in [''] + kunitconfigs.test_dirs(ROOT):
            p = os.path.join(ROOT, d, '.kunitconfig')
            if os.path.exists(p):
                with open(p) as f:
                    files[d] = set(re.findall(r'^(CONFIG_\w+)=', f.read(),
                                              re.M))
        checked = 0
        for rel, (names, sym) in sorted(suites_by_file().items()):
            if sym not in enabled:
                continue        # not in the build yet (kunitconfig rules)
            in_files = sorted(d for d, syms in files.items() if sym in syms)
            self.assertEqual(in_files, sorted(['', os.path.dirname(rel)]),
                             '%s (%s)' % (sym, rel))
            checked += 1
        self.assertGreater(checked, 20)

    def test_options_come_from_kunitconfig_and_suites_from_makefiles(self):
        proj = os.path.join(self.tmp, 'p')
        shutil.copytree(os.path.join(FIX, 'project'), proj)
        got = kunitconfigs.generate(proj)
        self.assertEqual(sorted(got), ['.kunitconfig', 'a-tests/.kunitconfig',
                                       'b-tests/.kunitconfig'])
        body = lambda t: [x for x in t.splitlines()  # noqa: E731
                          if x and not x.startswith('#')]
        self.assertEqual(body(got['a-tests/.kunitconfig']), [
            'CONFIG_KUNIT=y', 'CONFIG_PROVE_LOCKING=y',
            'CONFIG_KCLAIMS_ONE_KUNIT_TEST=y',
            'CONFIG_KCLAIMS_TWO_KUNIT_TEST=y'])
        self.assertEqual(body(got['b-tests/.kunitconfig'])[-1],
                         'CONFIG_KCLAIMS_THREE_KUNIT_TEST=y')
        self.assertNotIn('FOUR', got['b-tests/.kunitconfig'])  # not enabled
        self.assertEqual(len(body(got['.kunitconfig'])), 5)
        self.assertIn('--kunitconfig=kclaims/a-tests',
                      got['a-tests/.kunitconfig'])
        self.assertEqual(sorted(kunitconfigs.write(proj)), sorted(got))
        self.assertEqual(kunitconfigs.write(proj), [])      # idempotent
        self.assertEqual(kunitconfigs.check(proj), [])
        self.assertEqual(kunitconfigs.commands(proj)[0],
                         './tools/testing/kunit/kunit.py run '
                         '--kunitconfig=kclaims')

    def test_stale_misplaced_and_unbuilt_symbols_are_named(self):
        proj = os.path.join(self.tmp, 'p')
        shutil.copytree(os.path.join(FIX, 'project'), proj)
        kunitconfigs.write(proj)
        with open(os.path.join(proj, 'b-tests/.kunitconfig'), 'a') as f:
            f.write('CONFIG_KCLAIMS_ONE_KUNIT_TEST=y\n')
        probs = kunitconfigs.check(proj)
        self.assertIn('b-tests/.kunitconfig is stale what kunitconfig '
                      'generates; run make run (or python3 '
                      'scripts/kunitconfigs.py)', probs)
        self.assertIn('CONFIG_KCLAIMS_ONE_KUNIT_TEST is also in '
                      'b-tests/.kunitconfig', probs)
        with open(os.path.join(proj, 'kunitconfig'), 'a') as f:
            f.write('CONFIG_KCLAIMS_NOWHERE_KUNIT_TEST=y\n')
        with self.assertRaisesRegex(kunitconfigs.KunitconfigError,
                                    'NOWHERE.*no Makefile'):
            kunitconfigs.generate(proj)

    def test_graft_prints_the_kunit_py_commands(self):
        tree = os.path.join(self.tmp, 'linux')
        os.makedirs(os.path.join(tree, 'tools/testing/kunit'))
        for name, text in (('Makefile', 'VERSION = 6\nPATCHLEVEL = 12\n'
                            'SUBLEVEL = 117\n'), ('Kbuild', 'obj-y += init/\n'),
                           ('Kconfig', 'source "lib/Kconfig"\n'),
                           ('tools/testing/kunit/kunit.py', '')):
            with open(os.path.join(tree, name), 'w') as f:
                f.write(text)
        out = io.StringIO()
        os.environ['KSRC'] = tree
        try:
            with redirect_stdout(out), redirect_stderr(io.StringIO()):
                rc = kclaims.main(['graft'])
        finally:
            del os.environ['KSRC']
        self.assertEqual(rc, 0)
        lines = [x.strip() for x in out.getvalue().splitlines()]
        self.assertIn('./tools/testing/kunit/kunit.py run '
                      '--kunitconfig=kclaims', lines)
        for d in ('mm-tests', 'sync-tests', 'sched-tests', 'lib'):
            self.assertIn('./tools/testing/kunit/kunit.py run '
                          '--kunitconfig=kclaims/' + d, lines)


# ------------------------------------------------------------ source checks

class SourceSpecTest(unittest.TestCase):
    def ev(self, spec):
        return sources.evaluate(TREE, spec)

    def one(self, spec):
        ok, findings = self.ev(spec)
        self.assertEqual(len(findings), 1)
        return ok, sources.split_finding(findings[0])

    def test_path(self):
        self.assertEqual(self.one('path kernel/sched/fair.c')[1]['where'],
                         'kernel/sched/fair.c')
        self.assertTrue(self.one('!path kernel/sched_fair.c')[0])
        self.assertFalse(self.one('path kernel/sched_fair.c')[0])
        self.assertTrue(self.one('path "kernel/*/fair.c"')[0])

    def test_defined_finds_functions_macros_types_asm_wrappers(self):
        for name, where in (('update_curr', 'kernel/sched/fair.c:7'),
                            ('update_curr_se', 'kernel/sched/fair.c:1')):
            ok, f = self.one('defined kernel/sched/fair.c ' + name)
            self.assertTrue(ok, f)
            self.assertEqual(f['where'], where)
        for spec, where in (
                ('defined include/linux/sched.h wait_event',
                 'include/linux/sched.h:5'),
                ('defined include/linux/sched.h sched_entity',
                 'include/linux/sched.h:11'),
                ('defined include/linux/sched.h pgd_t',
                 'include/linux/sched.h:23'),
                ('defined include/linux/sched.h task_is_running',
                 'include/linux/sched.h:25'),
                ('defined arch/x86/entry/entry_64.S ret_from_fork_asm',
                 'arch/x86/entry/entry_64.S:1'),
                ('defined kernel/fork.c clone', 'kernel/fork.c:16')):
            ok, f = self.one(spec)
            self.assertTrue(ok, spec)
            self.assertEqual(f['where'], where, spec)

    def test_a_prototype_a_call_or_a_comment_is_no_definition(self):
        self.assertTrue(self.one('!defined kernel/sched/fair.c '
                                 '__update_curr')[0])     # extern prototype
        self.assertTrue(self.one('!defined kernel/fork.c do_fork')[0])
        self.assertTrue(self.one('!defined kernel/fork.c copy')[0])
        self.assertFalse(self.one('defined kernel/fork.c do_fork')[0])

    def test_member_calls_in_and_grep(self):
        for spec in ('member include/linux/sched.h sched_entity deadline',
                     'member include/linux/sched.h sched_entity callback',
                     'member include/linux/sched.h sched_entity on_rq',
                     '!member include/linux/sched.h sched_entity '
                     'min_deadline',        # only in a comment
                     '!member include/linux/sched.h sched_entity runtime',
                     'calls kernel/fork.c kernel_clone copy_process',
                     '!calls kernel/fork.c kernel_clone do_fork',
                     'calls kernel/fork.c clone kernel_clone',
                     'in kernel/sched/fair.c update_curr "^static void"',
                     'in include/linux/sched.h wait_event unlikely',
                     'grep kernel/sched/fair.c "vruntime \\+="',
                     '!grep kernel/sched/fair.c "min_deadline"',
                     'grep kernel/fork.c "kernel_clone\\(struct.*\\n\\{"'):
            ok, f = self.one(spec)
            self.assertTrue(ok, '%s: %s' % (spec, f))
        ok, f = self.one('member include/linux/sched.h sched_entity '
                         'min_vruntime')
        self.assertEqual(f['where'], 'include/linux/sched.h:15')

    def test_count_compares_call_sites(self):
        ok, f = self.one('count down > down_interruptible')
        self.assertTrue(ok)
        self.assertEqual(f['found'], 'down( 2 call sites, '
                         'down_interruptible( 1')
        self.assertFalse(self.one('count down >= 3')[0])
        self.assertTrue(self.one('count down_interruptible == 1')[0])

    def test_a_missing_file_or_definition_never_passes(self):
        for spec in ('!defined kernel/nope.c x', '!grep kernel/nope.c x',
                     '!calls kernel/fork.c no_such_fn x',
                     '!member include/linux/sched.h no_struct x',
                     '!in kernel/fork.c no_such_fn x'):
            self.assertFalse(self.one(spec)[0], spec)

    def test_all_must_hold_and_findings_have_file_and_line(self):
        ok, findings = self.ev('path kernel/fork.c; defined kernel/fork.c '
                               'do_fork')
        self.assertFalse(ok)
        self.assertTrue(findings[0].startswith('PASS path kernel/fork.c'))
        self.assertEqual(sources.split_finding(findings[1])['status'],
                         'FAIL')

    def test_bad_specs_are_refused(self):
        for spec, msg in (('exists kernel', 'unknown source check'),
                          ('path a b', 'takes 1 argument'),
                          ('grep f "("', 'bad pattern'),
                          ('count a ~ b', 'OP is one of'),
                          ('path "unterminated', 'cannot split')):
            with self.assertRaisesRegex(sources.SourceSpecError, msg):
                sources.parse_spec(spec)
        self.assertEqual(sources.parse_spec('path a;!path b ;; path c'), [
            (False, 'path', ['a']), (True, 'path', ['b']),
            (False, 'path', ['c'])])

    def test_run_evaluates_the_source_lines_of_the_ledger(self):
        res = sources.run(TREE, rows=fixture_rows())
        st, detail = res['source.FX-SCHED-FILE']
        self.assertEqual(st, 'PASS', detail)
        self.assertIn('@ kernel/sched/fair.c:7', detail)
        rows = fixture_rows()
        rows[1]['source'] += '; path kernel/sched_fair.c'
        st, detail = sources.run(TREE, rows=rows)['source.FX-SCHED-FILE']
        self.assertEqual(st, 'FAIL')
        self.assertTrue(detail.startswith('FAIL path kernel/sched_fair.c'))

    def test_every_source_line_in_claims_parses(self):
        for r in claims.load():
            if r.get('source'):
                self.assertTrue(sources.parse_spec(r['source']), r['id'])


# ------------------------------------------------------------ the ledger

class LedgerSourceTest(TmpCase):
    def test_source_checks_are_a_case_of_the_claim(self):
        rows = fixture_rows()
        self.assertEqual(claims.cases_of(rows[1]), ['source.FX-SCHED-FILE'])
        self.assertEqual(claims.kind_of('source.FX-SCHED-FILE', {}),
                         'source')

    def test_a_check_that_does_not_match_the_verdict_fails_the_ledger(self):
        rows = [fixture_rows()[1]]
        found = {'source.FX-SCHED-FILE': 'PASS !path kernel/sched_fair.c :: '
                 'no such path\nFAIL !defined kernel/sched/fair.c '
                 '__update_curr :: defined (function) @ '
                 'kernel/sched/fair.c:12'}
        probs, stats = claims.check(rows, {'source.FX-SCHED-FILE': 'FAIL'},
                                    sources=found)
        self.assertEqual(probs, [
            'FX-SCHED-FILE: the source checks of source.FX-SCHED-FILE do '
            'not match verdict outdated on this kernel: FAIL !defined '
            'kernel/sched/fair.c __update_curr :: defined (function) @ '
            'kernel/sched/fair.c:12'])
        probs, stats = claims.check(rows, {'source.FX-SCHED-FILE': 'PASS'})
        self.assertEqual((probs, stats['proven']), ([], 1))

    def test_a_behaviour_claim_cannot_rest_on_source_checks(self):
        row = dict(fixture_rows()[1], kind='behaviour')
        probs = claims.check_evidence([row], {}, {'source.FX-SCHED-FILE':
                                                  'PASS'})
        self.assertIn('FX-SCHED-FILE is a claim about behaviour but its '
                      'cases give source evidence only', probs)

    def test_row_rules(self):
        rows = fixture_rows()
        self.assertEqual(claims.check_rows(rows), [])
        bad = [dict(rows[4], note=''), dict(rows[1], verdict='untestable'),
               dict(rows[1], id='FX-BAD', source='nonsense x')]
        probs = claims.check_rows(bad)
        self.assertIn('FX-HISTORY is untestable without a reason in its '
                      'note', probs)
        self.assertIn('FX-SCHED-FILE has source checks but verdict '
                      'untestable: give the verdict they show', probs)
        self.assertTrue(any(p.startswith('FX-BAD: source: unknown')
                            for p in probs))

    def test_real_ledger_rows_pass_the_row_rules(self):
        self.assertEqual(claims.check_rows(claims.load()), [])

    def test_set_writes_source_only_where_given_and_refuses_bad_specs(self):
        d = os.path.join(self.tmp, 'claims')
        shutil.copytree(os.path.join(FIX, 'claims'), d)
        claims.update('FX-HISTORY', note='N/T (history): changed',
                      claims_dir=d)
        with open(os.path.join(d, 'fixture.claims'), encoding='utf-8') as f:
            text = f.read()
        self.assertEqual(text.count('\nsource: '), 1)
        self.assertIn('N/T (history): changed', text)
        self.assertIn('리누스 엘리베이터', text)
        claims.update('FX-WRONG', source='path mm', claims_dir=d)
        self.assertEqual(claims.load(d)[3]['source'], 'path mm')
        with self.assertRaisesRegex(claims.LedgerError, 'FX-WRONG: source'):
            claims.update('FX-WRONG', source='pth mm', claims_dir=d)
        self.assertEqual(os.listdir(d), ['fixture.claims'])   # no leftovers

    def test_ledger_md_has_counts_quotes_notes_and_findings(self):
        data = json.load(open(os.path.join(FIX, 'out', 'run.json')))
        path = os.path.join(self.tmp, 'ledger.md')
        claims.write_ledger(fixture_rows(), data['status'], path, 'kernel x',
                            sources=data['sources'])
        with open(path, encoding='utf-8') as f:
            text = f.read()
        self.assertIn('| area | holds | nuanced | outdated | false | arch | '
                      'untestable | total |', text)
        self.assertIn('| mm | 0 | 0 | 0 | 1 | 1 | 0 | 2 |', text)
        self.assertIn('| all | 1 | 0 | 1 | 1 | 1 | 1 | 5 |', text)
        self.assertIn('### FX-LIST-HEAD: holds (lib)', text)
        self.assertIn('> list_add()는 리스트의 머리(head)에 넣는다', text)
        self.assertIn('list_add() links the entry right after the head',
                      text)
        self.assertIn('- `source.FX-SCHED-FILE`: PASS (source)', text)
        self.assertIn('  - PASS defined kernel/sched/fair.c update_curr: '
                      'defined (function) at kernel/sched/fair.c:7', text)


# ------------------------------------------------------------ the page

class PageTest(TmpCase):
    def out(self):
        out = os.path.join(self.tmp, 'out')
        shutil.copytree(os.path.join(FIX, 'out'), out)
        return out

    def test_page_is_self_contained_and_has_every_claim(self):
        out = self.out()
        path = ledger_html.write(out, fixture_rows())
        with open(path, encoding='utf-8') as f:
            page = f.read()
        for r in fixture_rows():
            self.assertIn('id="c-%s"' % r['id'], page)
        self.assertIn('<meta charset="utf-8">', page)
        self.assertIn('Noto Sans CJK KR', page)
        self.assertIn('리누스 엘리베이터', page)
        self.assertIn('order seen: c b a', page)              # log lines
        self.assertIn('kernel/sched/fair.c:7', page)          # file:line
        self.assertIn('list-add-appends-at-tail', page)       # mutant
        self.assertIn('6.12.117', page)
        self.assertNotRegex(page, r'(?:src|href)\s*=\s*["\']?(?:https?:)?//')
        self.assertNotRegex(page, r'@import|url\(')

    def test_check_dom_catches_a_missing_claim_a_dead_filter_and_language(
            self):
        page = os.path.join(self.out(), 'ledger.html')
        ledger_html.write(os.path.dirname(page), fixture_rows())
        with open(page, encoding='utf-8') as f:
            static = f.read()
        ids = [r['id'] for r in fixture_rows()]
        dom = ledger_html.dom_of(static)
        # the static page: Korean labels, nothing filtered, no visible count
        probs = ledger_html.check_dom(ids + ['FX-NOT-THERE'], {
            'all-en': dom, 'false-en': dom, 'all-ko': dom})
        text = '; '.join(probs)
        self.assertIn('lacks 1 claim(s): FX-NOT-THERE', text)
        self.assertIn('filtering by verdict false shows 5', text)
        self.assertIn("in English the label verdict reads '판정'", text)

    def test_report_prints_the_page_and_the_counts(self):
        out = self.out()
        ledger_html.write(out, fixture_rows())
        text = ledger_html.report_text(out, fixture_rows())
        self.assertIn('ledger page: %s' % os.path.join(out, 'ledger.html'),
                      text)
        self.assertIn('5 claims: 1 holds, 0 nuanced, 1 outdated, 1 false, '
                      '1 arch, 1 untestable', text)
        self.assertRegex(text, r'(?m)^mm\s+0\s+0\s+0\s+1\s+1\s+0\s+2$')

    @unittest.skipUnless(ledger_html.chromium(), 'no Chromium here: make '
                         'test installs it and checks the real page')
    def test_a_real_browser_sees_a_dead_filter(self):
        """make test checks the real page in Chromium (all views and the
        screenshot); here one load shows the check sees what a browser
        renders: a filter that hides nothing is caught."""
        out = self.out()
        ledger_html.write(out, fixture_rows())
        page = os.path.join(out, 'ledger.html')
        url = 'file://' + page + '#lang=en&verdict=false'
        browser = ledger_html.chromium()
        rc, dump, err = ledger_html._browse(browser, url, ['--dump-dom'])
        self.assertEqual(rc, 0, err)
        good = ledger_html.dom_of(dump)
        self.assertEqual(sorted(i for i, (v, h) in good.bodies.items()
                                if not h), ['FX-WRONG'])
        self.assertEqual(good.lang, 'en')
        self.assertEqual(good.labels['verdict'].strip(), 'Verdict')
        with open(page, encoding='utf-8') as f:
            text = f.read()
        with open(page, 'w', encoding='utf-8') as f:
            f.write(text.replace("else b.setAttribute('hidden', '');", ''))
        rc, dump, err = ledger_html._browse(browser, url, ['--dump-dom'])
        static = ledger_html.dom_of(text)
        probs = ledger_html.check_dom([r['id'] for r in fixture_rows()], {
            'all-en': static, 'false-en': ledger_html.dom_of(dump),
            'all-ko': static})
        self.assertTrue(any('filtering by verdict false shows 5' in p
                            for p in probs), probs)


# ------------------------------------------------------------ CI workflow

class WorkflowTest(TmpCase):
    def setUp(self):
        super().setUp()
        try:
            import yaml  # noqa: F401
        except ImportError:
            self.skipTest('no python3-yaml: make test installs it')

    def variant(self, old, new):
        with open(ci_workflow.WORKFLOW, encoding='utf-8') as f:
            text = f.read()
        self.assertIn(old, text)
        path = os.path.join(self.tmp, 'kunit.yml')
        with open(path, 'w', encoding='utf-8') as f:
            f.write(text.replace(old, new))
        return ci_workflow.check(path)

    def test_the_workflow_is_valid_and_runs_the_readme_test_command(self):
        self.assertEqual(ci_workflow.readme_test_command(), 'make test')
        self.assertEqual(ci_workflow.check(), [])

    def test_each_defect_is_named(self):
        for old, new, msg in (
                ('run: make test', 'run: make run',
                 "no step runs the README's test command 'make test'"),
                ('image: debian:bookworm', 'image: ubuntu:24.04',
                 "job kunit runs in 'ubuntu:24.04', not the debian:bookworm"),
                ("hashFiles('kunitconfig', 'kunitconfig.*')", 'x',
                 'the cache key does not hash kunitconfig'),
                ('path: out/', 'path: build/', 'no upload-artifact step '
                 'uploads out/'),
                ("report_paths: 'out/**/junit.xml'", 'report_paths: x.xml',
                 'no step publishes out/junit.xml'),
                ('  pull_request:\n', '', 'does not run on pull_request'),
                ('>> "$GITHUB_STEP_SUMMARY"', '', 'no step writes '
                 '$GITHUB_STEP_SUMMARY'),
                ('jobs:', 'jobs: [', 'is not valid YAML')):
            probs = self.variant(old, new)
            self.assertTrue(any(msg in p for p in probs), (msg, probs))

    def test_summary_counts_and_names_failed_cases_with_claims(self):
        out = os.path.join(self.tmp, 'out')
        shutil.copytree(os.path.join(FIX, 'out'), out)
        orig = claims.load
        rows = fixture_rows()
        claims.load = lambda d=None: rows
        try:
            text = ci_workflow.summary(out)
        finally:
            claims.load = orig
        self.assertIn('**1 passed, 1 failed, 0 crashed, 1 skipped**', text)
        self.assertIn('| `kclaims_fx.gfp_atomic_fails_fast` | failed | '
                      'FX-WRONG |', text)
        self.assertIn('| untestable | 1 |', text)
        self.assertIn('No run', ci_workflow.summary(self.tmp))


# ------------------------------------------------------------ README

def case_names():
    """{suite: {case, ...}} from the C sources (KUNIT_CASE* in the array a
    suite's .test_cases names)."""
    out = {}
    for path in glob.glob(os.path.join(ROOT, '*', '*.c')):
        with open(path, encoding='utf-8', errors='replace') as f:
            text = f.read()
        arrays = {m.group(1): re.findall(r'KUNIT_CASE\w*\(\s*(\w+)',
                                         m.group(2))
                  for m in re.finditer(r'struct kunit_case\s+(\w+)\[\]\s*=\s*'
                                       r'\{(.*?)\};', text, re.S)}
        for m in re.finditer(r'struct kunit_suite\s+\w+\s*=\s*\{(.*?)\};',
                             text, re.S):
            name = re.search(r'\.name\s*=\s*"(\w+)"', m.group(1))
            cases = re.search(r'\.test_cases\s*=\s*(\w+)', m.group(1))
            if name and cases:
                out.setdefault(name.group(1), set()).update(
                    arrays.get(cases.group(1), ()))
    return out


def readme_filters():
    with open(os.path.join(ROOT, 'README.md'), encoding='utf-8') as f:
        text = f.read()
    return [f for f in re.findall(r"FILTER=['\"]?([^'\"\s`]+)", text)
            if '<' not in f]


class ReadmeTest(unittest.TestCase):
    def test_every_filter_example_matches_a_case(self):
        cases = case_names()
        self.assertIn('list_add_inserts_at_head_like_a_stack',
                      cases.get('kclaims_list', ()))
        examples = readme_filters()
        self.assertTrue(examples)
        for filt in examples:
            suite_glob, _, case_glob = filt.partition('.')
            hits = [(s, c) for s in cases if fnmatch.fnmatchcase(s, suite_glob)
                    for c in cases[s] if not case_glob or
                    fnmatch.fnmatchcase(c, case_glob)]
            self.assertTrue(hits, 'README example FILTER=%s matches no case'
                            % filt)

    def test_kernel_6_1_is_refused_in_one_sentence(self):
        err = io.StringIO()
        os.environ['KERNEL'] = '6.1'
        try:
            with redirect_stdout(io.StringIO()), redirect_stderr(err):
                rc = kclaims.main(['run'])
        finally:
            del os.environ['KERNEL']
        self.assertEqual(rc, 2)
        self.assertIn('KERNEL=6.1 is not yet supported', err.getvalue())
        self.assertEqual(err.getvalue().count('\n'), 1)
        with open(os.path.join(ROOT, 'README.md'), encoding='utf-8') as f:
            self.assertRegex(f.read(), r'KERNEL=6\.1.*not yet supported')


if __name__ == '__main__':
    unittest.main()
