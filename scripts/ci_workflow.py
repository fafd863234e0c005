"""The CI job: check .github/workflows/kunit.yml, and write the Markdown
summary the job appends to $GITHUB_STEP_SUMMARY.

    python3 scripts/ci_workflow.py check            # what make test runs
    python3 scripts/ci_workflow.py summary out/     # the job's summary step

The check needs a YAML parser: Debian's python3-yaml (the runner installs
it like its other packages); the rest is the standard library.
"""
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import claims  # noqa: E402

ROOT = claims.ROOT
WORKFLOW = os.path.join(ROOT, '.github', 'workflows', 'kunit.yml')
README = os.path.join(ROOT, 'README.md')


def readme_test_command(readme=README):
    """The command the README gives for the tests: the `make test` line of
    its first code block that has one."""
    with open(readme, encoding='utf-8') as f:
        text = f.read()
    for block in re.findall(r'^```[^\n]*\n(.*?)^```', text, re.M | re.S):
        for line in block.splitlines():
            cmd = line.split('#')[0].strip()
            if re.match(r'^make test\b', cmd):
                return cmd
    return None


def _steps(doc):
    for name, job in (doc.get('jobs') or {}).items():
        for step in job.get('steps') or []:
            yield name, job, step


def check(path=WORKFLOW, readme=README):
    """Problems with the workflow (a list; empty when fine). Raises
    ImportError when no YAML parser is installed."""
    import yaml
    if not os.path.exists(path):
        return ['%s is missing' % os.path.relpath(path, ROOT)]
    try:
        with open(path, encoding='utf-8') as f:
            doc = yaml.safe_load(f)
    except yaml.YAMLError as e:
        return ['%s is not valid YAML: %s' % (
            os.path.relpath(path, ROOT), str(e).replace('\n', ' '))]
    if not isinstance(doc, dict):
        return ['%s is not a YAML mapping' % os.path.relpath(path, ROOT)]
    problems = []
    # YAML 1.1 reads a bare "on" key as true
    on = doc.get('on', doc.get(True))
    events = set(on) if isinstance(on, (dict, list)) else {on}
    for ev in ('push', 'pull_request'):
        if ev not in events:
            problems.append('the workflow does not run on %s' % ev)
    jobs = doc.get('jobs') or {}
    if not jobs:
        problems.append('the workflow has no jobs')
    want = readme_test_command(readme)
    if not want:
        problems.append('README.md gives no `make test` command')
    runs = [(n, s.get('run', '')) for n, _, s in _steps(doc)]
    if want and not any(want in [ln.strip() for ln in r.splitlines()]
                        for _, r in runs):
        problems.append('no step runs the README\'s test command %r' % want)
    for name, job in jobs.items():
        if not any(want and want in str(s.get('run', ''))
                   for s in job.get('steps') or []):
            continue
        image = job.get('container')
        image = image.get('image') if isinstance(image, dict) else image
        if image != 'debian:bookworm':
            problems.append('job %s runs in %r, not the debian:bookworm '
                            'container' % (name, image))
    uses = [(s.get('uses', ''), s.get('with') or {}, s)
            for _, _, s in _steps(doc)]
    cache = [w for u, w, _ in uses if u.startswith('actions/cache@')]
    if not cache:
        problems.append('no actions/cache step for the kernel cache')
    for w in cache:
        key = str(w.get('key', ''))
        if 'kunitconfig' not in key or 'hashFiles' not in key:
            problems.append('the cache key does not hash kunitconfig')
        if 'version' not in key:
            problems.append('the cache key does not name the kernel version')
    up = [w for u, w, s in uses if u.startswith('actions/upload-artifact@')]
    if not any(str(w.get('path', '')).rstrip('/') == 'out' for w in up):
        problems.append('no upload-artifact step uploads out/')
    if not any('junit.xml' in json.dumps(w) for u, w, _ in uses
               if 'junit' in u or 'test-report' in u or 'reporter' in u):
        problems.append('no step publishes out/junit.xml as a test report')
    summ = [s for _, _, s in _steps(doc)
            if 'GITHUB_STEP_SUMMARY' in str(s.get('run', ''))]
    if not summ:
        problems.append('no step writes $GITHUB_STEP_SUMMARY')
    for s in summ + [s for u, w, s in uses if u.startswith(
            ('actions/upload-artifact@', 'mikepenz/'))]:
        if 'always()' not in str(s.get('if', '')):
            problems.append('step %r does not run when make test failed '
                            '(if: always())' % (s.get('name') or
                                                s.get('uses')))
    return problems


def summary(out_dir):
    """Markdown for $GITHUB_STEP_SUMMARY: the run, counts by verdict, the
    failed or crashed cases with their claim ids."""
    import ledger_html
    lines = ['## kclaims']
    run_path = os.path.join(out_dir, 'run.json')
    if not os.path.exists(run_path):
        return '\n'.join(lines + ['', 'No run: make test stopped before the '
                                  'kernel ran (see the log above).']) + '\n'
    with open(run_path, encoding='utf-8') as f:
        run = json.load(f)
    st = run.get('status', {})
    kunit = [v for k, v in st.items() if not k.startswith('source.')]
    src = [v for k, v in st.items() if k.startswith('source.')]
    lines += ['', 'Kernel %s, arch %s: **%d passed, %d failed, %d crashed, '
              '%d skipped** KUnit cases; source checks %d passed, %d failed.'
              % (run.get('kernel'), run.get('arch'), kunit.count('PASS'),
                 kunit.count('FAIL'), kunit.count('ERROR'),
                 kunit.count('SKIP'), src.count('PASS'), src.count('FAIL'))]
    data = ledger_html.collect(out_dir)
    c = ledger_html.counts(data)
    lines += ['', '| verdict | claims |', '|---|---|']
    lines += ['| %s | %d |' % (v, n) for v, n in c['by_verdict'].items()]
    lines += ['| **all** | **%d** |' % c['total'], '',
              'Evidence: %s.' % ', '.join('%d %s' % (n, k) for k, n in
                                          c['by_ev'].items())]
    owners = {}
    for r in data['rows']:
        for cs in r['cases']:
            owners.setdefault(cs['name'], []).append(r['id'])
    bad = sorted(k for k, v in st.items() if v in ('FAIL', 'ERROR'))
    if bad:
        lines += ['', '### Failed or crashed', '', '| case | status | '
                  'claims |', '|---|---|---|']
        for k in bad:
            ids = owners.get(k) or owners.get(claims.base_case(k)) or ['-']
            lines.append('| `%s` | %s | %s |' % (
                k, 'crashed' if st[k] == 'ERROR' else 'failed',
                ', '.join(ids)))
    else:
        lines += ['', 'No case failed or crashed.']
    lines += ['', 'The whole ledger: `out/ledger.html` in the kclaims-out '
              'artifact.']
    return '\n'.join(lines) + '\n'


def main(argv):
    if argv[1:2] == ['summary']:
        sys.stdout.write(summary(argv[2] if len(argv) > 2 else
                                 os.path.join(ROOT, 'out')))
        return 0
    if argv[1:2] == ['check']:
        try:
            problems = check()
        except ImportError:
            print('kclaims: no YAML parser; install python3-yaml')
            return 2
        for p in problems:
            print('CI      ' + p)
        return 1 if problems else 0
    print('usage: ci_workflow.py check | summary OUT_DIR')
    return 2


if __name__ == '__main__':
    sys.exit(main(sys.argv))
