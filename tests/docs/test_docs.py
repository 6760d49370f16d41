#!/usr/bin/env python3
"""The public docs say what tether does, and this keeps them true.

For every rule of `tether rules`, rules/<id>.md must:
- start with the rule's summary (also checked by tests/analyzer/rules) and
  have the sections the SARIF help and `tether explain` rely on: `## Why it
  leaks` opening with a paragraph of prose (it becomes the SARIF
  fullDescription), `## Example`, `## Limits`, `## Suppressing`;
- show its examples as they are: a ```c block right after a paragraph that
  names `fixtures/<rule>/<file>.c` is that fixture without its `// want` and
  `// note` annotations; a ```text block is what `tether check FILE` prints
  on the last fixture named before it (run on that annotation-free copy, so
  the quoted source lines match); a fixed (ok_) example must be clean;
- be suppressible as it says: a `// tether:ignore(<id>)` or
  `// NOLINT(tether-<id>)` comment on each reported line of its leaky
  example silences the rule there.

README.md's rule table has one row per rule linking its doc, and
fixtures/README.md's table gives each rule's count of leaky and fixed
fixtures as they are on disk.

Usage: test_docs.py TETHER SOURCE_DIR
       test_docs.py TETHER SOURCE_DIR --update   (rewrite the example blocks
                                                  of rules/*.md from the fixtures
                                                  and the analyzer; review the diff)
"""
import os
import re
import subprocess
import sys
import tempfile
import unittest

TETHER = None
SOURCE = None

_ANNOTATION = re.compile(r'\s*//\s*(?:want|note)\s.*$')
_FIXTURE_REF = re.compile(r'`(fixtures/([a-z0-9-]+)/((?:leak|ok)_[A-Za-z0-9_]+\.c))`')
_WARNING = re.compile(r'^(?P<file>[^:\s]+):(?P<line>\d+):\d+: warning: .* \[(?P<rule>[a-z0-9-]+)\]$')
REQUIRED_SECTIONS = ('## Why it leaks', '## Example', '## Limits', '## Suppressing')


def strip_annotations(text):
    """The fixture as a reader sees it in the docs: annotations removed,
    line numbers kept."""
    return ''.join(_ANNOTATION.sub('', l) + '\n' for l in text.splitlines())


def read(path):
    with open(path, encoding='utf-8') as f:
        return f.read()


def check(name, text, args=()):
    """tether check on `text` saved as `name` in a scratch folder: (status, stdout)."""
    with tempfile.TemporaryDirectory(prefix='tether-docs-') as d:
        with open(os.path.join(d, name), 'w', encoding='utf-8') as f:
            f.write(text)
        env = dict(os.environ)
        env.pop('NO_COLOR', None)
        p = subprocess.run([TETHER, 'check', '--no-config', '--color=never', '-q', *args, name],
                           cwd=d, env=env, capture_output=True, text=True, timeout=120)
    # a crash or a sanitizer report is tether failing, not a doc out of date
    if p.returncode not in (0, 1) or re.search(r'runtime error:|Sanitizer', p.stderr):
        raise AssertionError(f'tether check {name} failed (status {p.returncode}):\n{p.stderr}')
    return p.returncode, p.stdout


def rule_ids():
    p = subprocess.run([TETHER, 'rules'], capture_output=True, text=True, check=True)
    return [l.split()[0] for l in p.stdout.splitlines() if l.strip()]


def blocks(md):
    """The fenced blocks of a markdown text: (lang, body, start, end, fixture,
    named_right_before), where start/end index the body's lines, fixture is
    the last `fixtures/...c` named before the block and named_right_before
    says whether it was named in the paragraph right before the block."""
    lines = md.split('\n')
    out, i, fixture, fresh, blank = [], 0, None, False, True
    while i < len(lines):
        m = re.match(r'^```(\w*)\s*$', lines[i])
        if not m:
            if lines[i].strip() and blank:
                fresh = False  # a new paragraph
            blank = not lines[i].strip()
            for ref in _FIXTURE_REF.finditer(lines[i]):
                fixture, fresh = ref.group(1), True
            i += 1
            continue
        j = i + 1
        while j < len(lines) and lines[j] != '```':
            j += 1
        body = '\n'.join(lines[i + 1:j]) + '\n' if j > i + 1 else ''
        out.append((m.group(1), body, i + 1, j, fixture, fresh))
        fresh, blank = False, True
        i = j + 1
    return out


def expected(lang, fixture):
    """What a block naming `fixture` must hold, or None when not checked."""
    src = strip_annotations(read(os.path.join(SOURCE, fixture)))
    if lang == 'c':
        return src
    if lang == 'text':
        return check(os.path.basename(fixture), src)[1]
    return None


def update(path):
    md = read(path)
    lines = md.split('\n')
    for lang, body, start, end, fixture, fresh in reversed(blocks(md)):
        if not fixture or (lang == 'c' and not fresh) or lang not in ('c', 'text'):
            continue
        want = expected(lang, fixture)
        lines[start:end] = want.rstrip('\n').split('\n')
    new = '\n'.join(lines)
    if new != md:
        with open(path, 'w', encoding='utf-8') as f:
            f.write(new)
        print('updated', os.path.relpath(path, SOURCE))


class RuleDocs(unittest.TestCase):
    def setUp(self):
        self.ids = rule_ids()

    def doc(self, rid):
        return read(os.path.join(SOURCE, 'rules', rid + '.md'))

    def test_every_rule_has_a_doc_with_its_sections(self):
        self.assertEqual(len(self.ids), 11)
        docs = sorted(f[:-3] for f in os.listdir(os.path.join(SOURCE, 'rules')) if f.endswith('.md'))
        self.assertEqual(docs, sorted(self.ids), 'one rules/<id>.md per rule, and no other')
        for rid in self.ids:
            md = self.doc(rid)
            for h in REQUIRED_SECTIONS:
                self.assertIn('\n' + h + '\n', md, f'{rid}.md: no "{h}" section')
            why = md.split('\n## Why it leaks\n', 1)[1].lstrip('\n')
            self.assertRegex(why, r'^[A-Za-z`]', f'{rid}.md: "Why it leaks" must open with prose')
            self.assertNotIn('\t', md, f'{rid}.md: tabs')

    def test_examples_are_the_fixtures_and_the_output_is_real(self):
        for rid in self.ids:
            leaky = ok = 0
            for lang, body, start, _, fixture, fresh in blocks(self.doc(rid)):
                where = f'rules/{rid}.md:{start}'
                if lang == 'text':
                    self.assertIsNotNone(fixture, f'{where}: an output block names no fixture before it')
                elif lang != 'c' or not fresh or not fixture:
                    continue
                with self.subTest(block=where):
                    self.assertEqual(body, expected(lang, fixture),
                                     f'{where} differs from {fixture} (tests/docs/test_docs.py --update rewrites it)')
                if lang == 'c':
                    name = os.path.basename(fixture)
                    leaky += name.startswith('leak_')
                    ok += name.startswith('ok_')
                    if name.startswith('ok_'):
                        self.assertEqual(check(name, body), (0, ''), f'{where}: the fixed example warns')
            self.assertGreaterEqual(leaky, 1, f'{rid}.md: no leaky example from fixtures/{rid}/')
            self.assertGreaterEqual(ok, 1, f'{rid}.md: no fixed example from fixtures/{rid}/')

    def test_the_leaky_example_can_be_suppressed(self):
        for rid in self.ids:
            shown = [f for lang, _, _, _, f, fresh in blocks(self.doc(rid))
                     if lang == 'c' and fresh and f and f.startswith(f'fixtures/{rid}/leak_')]
            self.assertTrue(shown, rid)
            name = os.path.basename(shown[0])
            src = strip_annotations(read(os.path.join(SOURCE, shown[0])))
            status, out = check(name, src)
            reported = {int(m['line']) for m in map(_WARNING.match, out.splitlines())
                        if m and m['rule'] == rid and m['file'] == name}
            self.assertTrue(reported, f'{shown[0]}: no {rid} warning to suppress')
            for comment in (f'// tether:ignore({rid}) known', f'// NOLINT(tether-{rid})'):
                lines = src.split('\n')
                for n in reported:
                    lines[n - 1] += ' ' + comment
                _, out = check(name, '\n'.join(lines))
                self.assertNotIn(f'[{rid}]', out, f'{comment} on line(s) {sorted(reported)} of {name}')


class Readmes(unittest.TestCase):
    def test_readme_rule_table(self):
        ids = rule_ids()
        readme = read(os.path.join(SOURCE, 'README.md'))
        rows = re.findall(r'^\| \[`([a-z0-9-]+)`\]\(rules/([a-z0-9-]+)\.md\) \| (.+) \|$', readme, re.M)
        self.assertEqual([r[0] for r in rows], ids, 'README.md: one row per rule, in `tether rules` order')
        for rid, link, text in rows:
            self.assertEqual(rid, link)
            self.assertTrue(os.path.exists(os.path.join(SOURCE, 'rules', link + '.md')))
            self.assertGreater(len(text.strip()), 10)

    def test_fixture_counts(self):
        ids = rule_ids()
        fx = os.path.join(SOURCE, 'fixtures')
        readme = read(os.path.join(fx, 'README.md'))
        rows = re.findall(r'^\| \[`([a-z0-9-]+)`\]\(([a-z0-9-]+)/\) \| (\d+) \| (\d+) \|', readme, re.M)
        self.assertEqual(sorted(r[0] for r in rows), sorted(ids), 'fixtures/README.md: one row per rule')
        folders = sorted(d for d in os.listdir(fx) if os.path.isdir(os.path.join(fx, d)))
        self.assertEqual(folders, sorted(ids), 'one fixtures/<rule>/ folder per rule')
        for rid, folder, leak, ok in rows:
            self.assertEqual(rid, folder)
            files = os.listdir(os.path.join(fx, folder))
            have = (sum(f.startswith('leak_') and f.endswith('.c') for f in files),
                    sum(f.startswith('ok_') and f.endswith('.c') for f in files))
            self.assertEqual((int(leak), int(ok)), have,
                             f'fixtures/README.md: {rid} has {have[0]} leaky and {have[1]} fixed fixtures')
        total = re.search(r'^\| total \| (\d+) \| (\d+) \|', readme, re.M)
        self.assertIsNotNone(total, 'fixtures/README.md: a total row')
        self.assertEqual((int(total[1]), int(total[2])),
                         (sum(int(r[2]) for r in rows), sum(int(r[3]) for r in rows)))


if __name__ == '__main__':
    TETHER = os.path.abspath(sys.argv[1])
    SOURCE = os.path.abspath(sys.argv[2])
    if sys.argv[3:] == ['--update']:
        for rid in rule_ids():
            if os.path.exists(os.path.join(SOURCE, 'rules', rid + '.md')):
                update(os.path.join(SOURCE, 'rules', rid + '.md'))
        sys.exit(0)
    unittest.main(argv=[sys.argv[0], '-v'] + sys.argv[3:])
