#!/usr/bin/env python3
"""End-to-end tests of the report formats: SARIF 2.1.0 that validates
against the schema and fits GitHub code scanning, tether's JSON (every key
documented), GitHub workflow commands, Code Climate, -o FILE, --root, and
the same findings in every format, on every fixture.
Usage: test_formats.py TETHER SOURCE_DIR SCHEMA.json [SCHEMA.json...]"""
import glob
import json
import os
import re
import sys
import unittest

import jsonschema

import cli_common as c
from cli_common import CLEAN, LEAK, SEND, Base, run

SOURCE_DIR = None
SCHEMAS = []


def validate(doc):
    """Validates doc against every SARIF schema given; returns the count."""
    for path in SCHEMAS:
        with open(path, encoding='utf-8') as f:
            schema = json.load(f)
        cls = jsonschema.validators.validator_for(schema)
        errors = sorted(cls(schema).iter_errors(doc), key=lambda e: list(e.path))
        if errors:
            e = errors[0]
            raise AssertionError(f'{path}: {e.message} at {"/".join(map(str, e.path))}')
    return len(SCHEMAS)


def fixtures():
    return sorted(glob.glob(os.path.join(SOURCE_DIR, 'fixtures', '*', '*.c')))


def unescape_gh(s):
    return s.replace('%0A', '\n').replace('%0D', '\r').replace('%3A', ':').replace('%2C', ',').replace('%25', '%')


def findings_text(out):
    res, cur = [], None
    for m in (c.DIAG_RE.match(l) for l in out.splitlines()):
        if not m:
            continue
        if m['kind'] == 'warning':
            cur = [m['file'], int(m['line']), int(m['col']), m['rule'], m['msg'], []]
            res.append(cur)
        elif m['kind'] == 'note' and cur:
            cur[5].append((m['file'], int(m['line']), int(m['col']), m['msg']))
    return [(f, l, col, r, msg, tuple(n)) for f, l, col, r, msg, n in res]


def findings_sarif(doc):
    run0 = doc['runs'][0]
    res = []
    for r in run0['results']:
        loc = r['locations'][0]['physicalLocation']
        notes = tuple((n['physicalLocation']['artifactLocation']['uri'], n['physicalLocation']['region']['startLine'],
                       n['physicalLocation']['region']['startColumn'], n['message']['text'])
                      for n in r.get('relatedLocations', []))
        res.append((loc['artifactLocation']['uri'], loc['region']['startLine'], loc['region']['startColumn'],
                    r['ruleId'], r['message']['text'], notes))
    return res


def findings_json(doc):
    return [(f['file'], f['range']['start']['line'], f['range']['start']['column'], f['rule'], f['message'],
             tuple((n['file'], n['range']['start']['line'], n['range']['start']['column'], n['message'])
                   for n in f['notes']))
            for f in doc['findings']]


GH_RE = re.compile(r'^::(warning|error|notice) file=([^,]*),line=(\d+),col=(\d+)(?:,endLine=\d+,endColumn=\d+)?'
                   r',title=[^:]*::(.*)$')
NOTE_RE = re.compile(r'^(.+?):(\d+):(\d+): note: (.*)$')


def findings_github(out):
    res = []
    for line in out.splitlines():
        m = GH_RE.match(line)
        if not m:
            continue
        body = unescape_gh(m[5]).split('\n')
        head = re.match(r'^(.*) \[([a-z0-9-]+)\]$', body[0])
        notes = tuple((n[1], int(n[2]), int(n[3]), n[4]) for n in map(NOTE_RE.match, body[1:]) if n)
        res.append((unescape_gh(m[2]), int(m[3]), int(m[4]), head[2], head[1], notes))
    return res


class Sarif(Base):
    def test_schemas_are_there(self):
        # setup.sh fetches one; the suite must never pass without checking.
        self.assertGreater(len(SCHEMAS), 0)

    def test_sarif_validates_and_fits_code_scanning(self):
        self.write('src/send.c', SEND)
        self.write('src/leak.c', LEAK % '')
        self.write('src/bad.c', b'\x7fELF\x00\x00', 'wb')
        p = run(['check', '--format=sarif', 'src'], cwd=self.dir)
        self.assertEqual(p.returncode, 2, p.stderr)  # bad.c is binary: an error
        doc = json.loads(p.stdout)
        self.assertGreater(validate(doc), 0)
        r = doc['runs'][0]
        drv = r['tool']['driver']
        self.assertEqual(drv['name'], 'tether')
        ids = [x['id'] for x in drv['rules']]
        for want in ('spawn-no-cancel', 'unbuffered-send-no-fallback', 'ticker-not-stopped', 'wg-unbalanced',
                     'unused-suppression'):
            self.assertIn(want, ids)
        for rule in drv['rules']:
            for key in ('shortDescription', 'fullDescription', 'help'):
                self.assertTrue(rule[key]['text'].strip(), (rule['id'], key))
            self.assertTrue(rule['help']['markdown'].strip())
            self.assertRegex(rule['helpUri'], r'^[a-z]+://')
            self.assertEqual(rule['defaultConfiguration']['level'], 'warning')
        self.assertEqual(r['originalUriBaseIds']['SRCROOT']['uri'], 'file://' + self.dir + '/')
        results = {x['ruleId']: x for x in r['results']}
        send = results['unbuffered-send-no-fallback']
        self.assertEqual(drv['rules'][send['ruleIndex']]['id'], send['ruleId'])
        loc = send['locations'][0]['physicalLocation']
        self.assertEqual(loc['artifactLocation'], {'uri': 'src/send.c', 'uriBaseId': 'SRCROOT'})
        self.assertEqual(loc['region'], {'startLine': 7, 'startColumn': 5, 'endLine': 7, 'endColumn': 12})
        self.assertEqual([x['physicalLocation']['region']['startLine'] for x in send['relatedLocations']],
                         [13, 15, 12])
        flow = send['codeFlows'][0]['threadFlows'][0]['locations']
        self.assertEqual([x['location']['physicalLocation']['region']['startLine'] for x in flow], [7, 13, 15, 12])
        fix = send['fixes'][0]
        self.assertIn('buffered with capacity 1', fix['description']['text'])
        change = fix['artifactChanges'][0]
        self.assertEqual(change['artifactLocation']['uri'], 'src/send.c')
        self.assertEqual(change['replacements'][0]['insertedContent']['text'], '1')
        self.assertEqual(change['replacements'][0]['deletedRegion']['startLine'], 12)
        self.assertRegex(send['partialFingerprints']['tether/v1'], r'^[0-9a-f]{16}$')
        inv = r['invocations'][0]
        self.assertFalse(inv['executionSuccessful'])
        notes = inv['toolExecutionNotifications']
        self.assertEqual(len(notes), 1)
        self.assertEqual(notes[0]['level'], 'error')
        self.assertIn('binary', notes[0]['message']['text'])
        self.assertEqual(notes[0]['locations'][0]['physicalLocation']['artifactLocation']['uri'], 'src/bad.c')
        self.assertIn('tether: error: src/bad.c: not a C source file', p.stderr)  # also said to people

    def test_root_and_output_file(self):
        self.write('proj/src/leak.c', LEAK % '')
        out = os.path.join(self.dir, 'report.sarif')
        p = run(['check', '--format', 'sarif', '--root', 'proj', '-o', out, 'proj/src/leak.c'], cwd=self.dir)
        self.assertEqual((p.returncode, p.stdout), (1, ''))
        with open(out, encoding='utf-8') as f:
            doc = json.load(f)
        validate(doc)
        uri = doc['runs'][0]['results'][0]['locations'][0]['physicalLocation']['artifactLocation']
        self.assertEqual(uri, {'uri': 'src/leak.c', 'uriBaseId': 'SRCROOT'})
        # A file outside the root: an absolute file:// URI, no base.
        p = run(['check', '--format=sarif', '--root=proj/src/x', 'proj/src/leak.c'], cwd=self.dir)
        art = json.loads(p.stdout)['runs'][0]['results'][0]['locations'][0]['physicalLocation']['artifactLocation']
        self.assertEqual(art, {'uri': 'file://' + os.path.join(self.dir, 'proj/src/leak.c')})

    def test_every_fixture_validates_and_formats_agree(self):
        files = fixtures()
        self.assertGreater(len(files), 20)
        outs = {}
        for fmt in ('text', 'sarif', 'json', 'github'):
            p = run(['check', '--no-color', '--format=' + fmt] + files, cwd=SOURCE_DIR, timeout=600)
            self.assertEqual(p.returncode, 1, p.stderr[-2000:])
            outs[fmt] = p.stdout
        sarif = json.loads(outs['sarif'])
        validate(sarif)
        from_sarif = findings_sarif(sarif)
        self.assertGreater(len(from_sarif), 20)
        # Text names files as given (absolute here), the others relative
        # to the root (the working directory).
        text = [(os.path.relpath(f, SOURCE_DIR), l, col, r, m,
                 tuple((os.path.relpath(n[0], SOURCE_DIR),) + n[1:] for n in notes))
                for f, l, col, r, m, notes in findings_text(outs['text'])]
        self.assertEqual(text, from_sarif)
        self.assertEqual(findings_json(json.loads(outs['json'])), from_sarif)
        self.assertEqual(findings_github(outs['github']), from_sarif)
        # Per rule folder too: each fixture's own SARIF validates.
        for rule_dir in sorted({os.path.dirname(f) for f in files}):
            p = run(['check', '--format=sarif', rule_dir], cwd=SOURCE_DIR, timeout=600)
            validate(json.loads(p.stdout))


class Json(Base):
    def test_every_key_is_documented(self):
        self.write('send.c', SEND)
        self.write('bad.c', b'\x00', 'wb')
        p = run(['check', '--format=json', 'send.c', 'bad.c', 'missing.c'], cwd=self.dir)
        self.assertEqual(p.returncode, 2)
        doc = json.loads(p.stdout)
        self.assertEqual(doc['version'], 1)
        self.assertEqual(doc['tool']['name'], 'tether')
        self.assertFalse(doc['success'])
        f = doc['findings'][0]
        self.assertEqual((f['file'], f['range']['start'], f['range']['end']),
                         ('send.c', {'line': 7, 'column': 5}, {'line': 7, 'column': 12}))
        self.assertEqual(f['fixits'][0]['note'], 2)
        self.assertEqual(sorted(x['file'] for x in doc['problems']), ['bad.c', 'missing.c'])
        keys = set()

        def walk(v):
            if isinstance(v, dict):
                for k, x in v.items():
                    keys.add(k)
                    walk(x)
            elif isinstance(v, list):
                for x in v:
                    walk(x)
        walk(doc)
        with open(os.path.join(SOURCE_DIR, 'docs', 'json-output.md'), encoding='utf-8') as fh:
            docs = fh.read()
        for k in sorted(keys):
            self.assertIn(f'`{k}`', docs, f'key {k} is not documented in docs/json-output.md')


class GitHub(Base):
    def test_workflow_commands(self):
        path = self.write('odd,dir/a%b.c', LEAK % '')
        p = run(['check', '--format=github', path], cwd=self.dir)
        self.assertEqual(p.returncode, 1)
        lines = p.stdout.splitlines()
        self.assertEqual(len(lines), 1)
        self.assertTrue(lines[0].startswith('::warning file=odd%2Cdir/a%25b.c,line=13,col=5,endLine=13,'
                                            'endColumn=13,title=tether spawn-no-cancel::task '), lines[0])
        self.assertIn('%0Aodd,dir/a%25b.c:7:5: note: ', lines[0])
        p = run(['check', '--format=github', 'missing.c'], cwd=self.dir)
        self.assertEqual(p.stdout, '::error file=missing.c,title=tether::No such file or directory\n')

    def test_code_climate(self):
        self.write('src/leak.c', LEAK % '')
        p = run(['check', '--format=codeclimate', 'src'], cwd=self.dir)
        issues = json.loads(p.stdout)
        self.assertEqual(len(issues), 1)
        i = issues[0]
        self.assertEqual((i['type'], i['check_name'], i['severity']), ('issue', 'spawn-no-cancel', 'major'))
        self.assertEqual(i['location'], {'path': 'src/leak.c', 'lines': {'begin': 13, 'end': 13}})
        sarif = json.loads(run(['check', '--format=sarif', 'src'], cwd=self.dir).stdout)
        self.assertEqual(i['fingerprint'], sarif['runs'][0]['results'][0]['partialFingerprints']['tether/v1'])
        self.assertEqual(json.loads(run(['check', '--format=codeclimate', self.write('ok.c', CLEAN)]).stdout), [])


if __name__ == '__main__':
    c.TETHER = os.path.abspath(sys.argv[1])
    SOURCE_DIR = os.path.abspath(sys.argv[2])
    SCHEMAS = [os.path.abspath(s) for s in sys.argv[3:] if not s.startswith('-')]
    unittest.main(argv=[sys.argv[0], '-v'] + [s for s in sys.argv[3:] if s.startswith('-')])
