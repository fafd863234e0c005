"""Kernel reports in a UML console log: BUG:, WARNING:, Oops, KASAN, KFENCE,
lockdep, ODEBUG, sleeping in atomic context, kmemleak...

A case that provokes a report on purpose declares it: lib/kclaims_report.c
prints "kclaims: expect report: <needle>" before the provocation and
"kclaims: end expect report: <needle> (seen N)" after it. A report whose
first line falls inside such a window is declared; any other report fails
the run, named by the case that was running (the next case result the
console prints after it: KUnit prints a case's result when it ends).

Python 3 standard library only.
"""
import re

# the first line of a kernel report (after an optional "[   1.234] " stamp)
HEADERS = re.compile(
    r'^(BUG: .*|WARNING: .*|Oops.*|general protection fault.*|'
    r'Kernel panic.*|UBSAN: .*|ODEBUG: .*|INFO: .*|'
    r'kmemleak: \d+ new suspected memory leaks.*|'
    r'Unable to handle kernel .*|divide error.*|invalid opcode.*)$')
STAMP = re.compile(r'^\[\s*\d+\.\d+\]\s?')
BEGIN = re.compile(r'kclaims: expect report: (.*)$')
END = re.compile(r'kclaims: end expect report: (.*) \(seen (\d+)\)$')
SUBTEST = re.compile(r'^    # Subtest: (\S+)')
CASE_RESULT = re.compile(r'^    (?:not )?ok \d+ (\S+)')
SUITE_RESULT = re.compile(r'^(?:not )?ok \d+ (\S+)')


class Report:
    def __init__(self, line_no, header, suite, case, declared, needle):
        self.line_no = line_no      # 1-based line of console.log
        self.header = header
        self.suite = suite          # None: before the first suite
        self.case = case            # the case that was running, or None
        self.declared = declared
        self.needle = needle        # the declaration that covers it

    def where(self):
        if self.case:
            return 'while %s.%s ran' % (self.suite, self.case)
        if self.suite:
            return 'in suite %s (init/exit)' % self.suite
        return 'during boot, before the first suite'

    def as_dict(self):
        return {'line': self.line_no, 'header': self.header,
                'suite': self.suite, 'case': self.case,
                'declared': self.declared, 'needle': self.needle}


def scan(text):
    """All reports of a console log, in order."""
    lines = text.splitlines()
    reports, open_windows, suite, pending = [], [], None, []
    for i, raw in enumerate(lines, 1):
        line = STAMP.sub('', raw.rstrip('\r'))
        m = END.search(line)
        if m:
            if m.group(1) in open_windows:
                open_windows.remove(m.group(1))
            continue
        m = BEGIN.search(line)
        if m:
            open_windows.append(m.group(1))
            continue
        m = SUBTEST.match(line)
        if m:
            suite = m.group(1)
            continue
        m = CASE_RESULT.match(line)
        if m:
            for r in pending:       # printed by the case that just ended
                r.case = m.group(1)
            # a declaration never outlives its case (one that aborted
            # between begin and end printed no end marker)
            pending, open_windows = [], []
            continue
        if SUITE_RESULT.match(line):
            pending, suite, open_windows = [], None, []
            continue
        m = HEADERS.match(line.strip())
        if m and not line.startswith(' '):
            r = Report(i, m.group(1), suite, None, bool(open_windows),
                       open_windows[-1] if open_windows else None)
            reports.append(r)
            if suite:
                pending.append(r)
    return reports


INJECTED = re.compile(r'^FAULT_INJECTION: forcing a failure')


def injected_cases(text):
    """suite.case of every case during which fault injection forced a
    failure (failslab, fail_page_alloc, fail_usercopy print the line above
    in the failing task's context, before the case's result line)."""
    hit, suite, pending = set(), None, False
    for raw in text.splitlines():
        line = STAMP.sub('', raw.rstrip('\r'))
        m = SUBTEST.match(line)
        if m:
            suite, pending = m.group(1), False
            continue
        m = CASE_RESULT.match(line)
        if m:
            if pending and suite:
                hit.add('%s.%s' % (suite, m.group(1)))
            pending = False
            continue
        if SUITE_RESULT.match(line):
            suite, pending = None, False
            continue
        if INJECTED.match(line):
            pending = True
    return hit


def undeclared(text, allowed=()):
    """Reports no case declared; @allowed: header regexes that a profile
    accepts (each with its reason where it is defined)."""
    return [r for r in scan(text) if not r.declared and
            not any(re.search(p, r.header) for p in allowed)]
