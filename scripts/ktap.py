"""KTAP extraction and parsing, kunit.py JSON flattening, JUnit XML output.

Only what kclaims needs: the KTAP that KUnit prints (4-space nesting, a
'# Subtest:' header, '# SKIP' directive), keyed as 'suite.case' (and
'suite.case.param' for parameterised cases).
"""
import re
from xml.sax.saxutils import escape, quoteattr

START = re.compile(r'(K?TAP version \d+)')
STOP = ('List of all partitions:', 'Kernel panic - not syncing: VFS:',
        'reboot: System halted')
RESULT = re.compile(r'^(not ok|ok) (\d+)(?: - | )?([^#]*?)\s*'
                    r'(?:#\s*(SKIP|TODO|XFAIL|TIMEOUT|ERROR)\b\s*(.*))?$',
                    re.I)


class Case:
    def __init__(self, name, status, log):
        self.name = name
        self.status = status      # PASS, FAIL, SKIP or ERROR
        self.log = log            # diagnostic lines printed for it

    def __repr__(self):
        return 'Case(%r, %r)' % (self.name, self.status)


def extract(console):
    """The KTAP part of a console log, with the console prefix removed."""
    lines = console.splitlines()
    out, prefix = [], None
    for line in lines:
        if prefix is None:
            m = START.search(line)
            if not m:
                continue
            prefix = line[:m.start()]
        if any(s in line for s in STOP):
            break
        # like kunit_parser: the console prefix (a printk timestamp) has
        # the same width on every line
        line = line[len(prefix):]
        out.append(line)
    return '\n'.join(out) + ('\n' if out else '')


def parse(text):
    """Map 'suite.case' (or 'suite.case.param') to Case for every leaf."""
    results = {}
    scope = {}      # depth -> name of the test whose children sit there
    buf = []        # diagnostic lines since the last result line
    for raw in text.splitlines():
        body = raw.lstrip(' ')
        depth = (len(raw) - len(body)) // 4
        m = re.match(r'^# Subtest: (.*)$', body)
        if m:
            scope[depth] = m.group(1).strip()
            buf = []
            continue
        m = RESULT.match(body)
        if not m:
            if body and not re.match(r'^(K?TAP version|\d+\.\.\d+|# module: )',
                                     body):
                buf.append(body[2:] if body.startswith('# ') else body)
            continue
        status = 'PASS' if m.group(1).lower() == 'ok' else 'FAIL'
        if (m.group(4) or '').upper() == 'SKIP':
            status = 'SKIP'
            if m.group(5):
                buf.append('SKIP ' + m.group(5).strip())
        path = [scope.get(d, '?') for d in range(1, depth + 1)]
        key = '.'.join(path + [m.group(3).strip()])
        for d in [d for d in scope if d > depth]:
            del scope[d]
        # a case with parameters is reported through its children
        if depth >= 1 and not any(k.startswith(key + '.') for k in results):
            results[key] = Case(key, status, buf)
        buf = []
    return results


def from_json(doc):
    """Flatten kunit.py's KernelCI JSON into {'suite.case': status}."""
    out = {}

    def walk(group, prefix):
        name = group.get('name', '')
        here = prefix + [name] if name and name != 'KUnit Test Group' else \
            prefix
        for tc in group.get('test_cases', []):
            out['.'.join(here + [tc['name']])] = tc['status']
        for sub in group.get('sub_groups', []):
            walk(sub, here)
    walk(doc, [])
    return out


def to_junit(results, name):
    suites = {}
    for key in sorted(results):
        suite, _, case = key.partition('.')
        suites.setdefault(suite, []).append((case, results[key]))
    total = {k: 0 for k in ('tests', 'failures', 'errors', 'skipped')}
    body = []
    for suite, cases in suites.items():
        n = {'tests': len(cases),
             'failures': sum(c.status == 'FAIL' for _, c in cases),
             'errors': sum(c.status == 'ERROR' for _, c in cases),
             'skipped': sum(c.status == 'SKIP' for _, c in cases)}
        for k in total:
            total[k] += n[k]
        body.append('  <testsuite name=%s tests="%d" failures="%d" '
                    'errors="%d" skipped="%d">' % (
                        quoteattr(suite), n['tests'], n['failures'],
                        n['errors'], n['skipped']))
        for case, c in cases:
            text = escape('\n'.join(c.log))
            body.append('    <testcase classname=%s name=%s>'
                        % (quoteattr(suite), quoteattr(case)))
            if c.status == 'FAIL':
                first = next((x for x in c.log if 'FAILED' in x),
                             'test failed')
                body.append('      <failure message=%s>%s</failure>'
                            % (quoteattr(first), text))
            elif c.status == 'ERROR':
                body.append('      <error message="crashed: the kernel '
                            'stopped before this case reported">%s</error>'
                            % text)
            elif c.status == 'SKIP':
                reason = next((x for x in reversed(c.log)), '')
                body.append('      <skipped message=%s/>' % quoteattr(reason))
            body.append('    </testcase>')
        body.append('  </testsuite>')
    head = ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<testsuites name=%s tests="%d" failures="%d" errors="%d" '
            'skipped="%d">' % (quoteattr(name), total['tests'],
                               total['failures'], total['errors'],
                               total['skipped']))
    return '\n'.join([head] + body + ['</testsuites>']) + '\n'
