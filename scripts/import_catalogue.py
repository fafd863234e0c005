#!/usr/bin/env python3
"""One-time import of ../shared/claims_catalogue.md into claims/<area>.claims.

Kept so the import can be redone on a fresh catalogue; it refuses to
overwrite a ledger that already has linked cases unless --force is given.
"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import claims  # noqa: E402

VERDICTS = {'holds': 'holds', 'holds-with-nuance': 'nuanced',
            'outdated': 'outdated', 'false': 'false',
            'arch-dependent': 'arch'}


def cells(line):
    parts = re.split(r'(?<!\\)\|', line.strip())[1:-1]
    return [p.strip().replace('\\|', '|') for p in parts]


def parse(path):
    area = None
    rows = []
    for line in open(path, encoding='utf-8'):
        m = re.match(r'^## (\w+) ', line)
        if m:
            area = m.group(1)
            continue
        if not line.startswith('| **'):
            continue
        c = cells(line)
        if len(c) < 9:
            continue  # the summary table's totals row
        cid = c[0].strip('*')
        first = c[3].strip('`')
        where = c[7]
        row = {'id': cid, 'area': area, 'seed': c[1], 'claim': c[2],
               'catalogue': first, 'where': where, 'cases': '',
               'note': c[4]}
        if where.startswith('N/T'):
            row['verdict'] = 'untestable'
            row['note'] = '%s. Source reading (6.12.117): %s: %s' % (
                where, first, c[4])
        else:
            row['verdict'] = VERDICTS[first]
        rows.append(row)
    return rows


def main(argv):
    src = argv[1] if len(argv) > 1 else os.path.join(
        claims.ROOT, '..', 'shared', 'claims_catalogue.md')
    force = '--force' in argv
    rows = parse(src)
    if not force and any(r.get('cases') for r in claims.load()):
        sys.exit('claims/ already links cases; rerun with --force to overwrite.')
    by_area = {}
    for r in rows:
        by_area.setdefault(r['area'], []).append(r)
    for area, rs in by_area.items():
        claims.save(area, rs)
    print('%d claims in %d areas' % (len(rows), len(by_area)))


if __name__ == '__main__':
    main(sys.argv)
