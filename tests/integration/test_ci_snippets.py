#!/usr/bin/env python3
"""The README's GitHub code scanning and GitLab code quality snippets: their
`tether` command, run as written on a scratch project, writes the report the
next step hands to the service (the file `upload-sarif` uploads, the file the
`codequality` artifact names), with the finding, paths relative to the
repository and what each service reads. The services themselves (GitHub's
runner and upload action, a GitLab pipeline) cannot run here.

Usage: test_ci_snippets.py TETHER"""
import json
import os
import re
import sys
import unittest

import itest

TETHER = None


def one(pattern, text, what):
    found = re.findall(pattern, text, re.M)
    if len(found) != 1:
        raise AssertionError('the snippet should have one %s, has %r' % (what, found))
    return found[0].strip()


class CiSnippets(itest.ScratchTest):

    def setUp(self):
        super().setUp()
        bindir = os.path.join(self.tmp, 'bin')
        os.makedirs(bindir)
        os.symlink(TETHER, os.path.join(bindir, 'tether'))
        self.env = {'PATH': bindir + os.pathsep + os.environ.get('PATH', '')}
        self.repo = os.path.join(self.tmp, 'repo')
        itest.write(os.path.join(self.repo, 'src', 'leak.c'), itest.LEAKY)
        itest.write(os.path.join(self.repo, 'src', 'fixed.c'), itest.FIXED)

    def run_step(self, command):
        self.assertTrue(command.startswith('tether '), command)
        # --exit-zero: the step passes, so the next one runs
        return itest.run(['sh', '-c', command], cwd=self.repo, env=self.env, rc=0)

    def test_github_code_scanning(self):
        snippet = itest.readme_snippet('github-code-scanning')
        command = one(r'^\s*run: (tether .*)$', snippet, 'tether step')
        sarif_file = one(r'^\s*sarif_file: (.*)$', snippet, 'sarif_file')
        self.assertIn('github/codeql-action/upload-sarif@', snippet)
        self.assertIn('security-events: write', snippet)
        self.run_step(command)
        with open(os.path.join(self.repo, sarif_file)) as f:
            doc = json.load(f)
        self.assertEqual(doc['version'], '2.1.0')
        run = doc['runs'][0]
        self.assertEqual(run['tool']['driver']['name'], 'tether')
        rule_ids = [r['id'] for r in run['tool']['driver']['rules']]
        self.assertIn(itest.LEAK_RULE, rule_ids)
        results = run['results']
        self.assertEqual([r['ruleId'] for r in results], [itest.LEAK_RULE])
        loc = results[0]['locations'][0]['physicalLocation']
        self.assertEqual(loc['artifactLocation']['uri'], 'src/leak.c')  # relative to the repository
        self.assertEqual(loc['region']['startLine'], itest.LEAK_LINE)
        self.assertEqual(results[0]['level'], 'warning')
        self.assertTrue(results[0]['partialFingerprints'])

    def test_github_annotations(self):
        snippet = itest.readme_snippet('github-code-scanning')
        self.assertIn('`tether check --format=github src/`', open(os.path.join(itest.SOURCE_DIR, 'README.md')).read())
        self.assertIn('upload-sarif', snippet)
        p = itest.run(['sh', '-c', 'tether check --format=github src/'], cwd=self.repo, env=self.env, rc=1)
        self.assertRegex(p.stdout, r'(?m)^::warning file=src/leak\.c,line=%d,' % itest.LEAK_LINE)

    def test_gitlab_code_quality(self):
        snippet = itest.readme_snippet('gitlab-code-quality')
        command = one(r'^\s*- (tether .*)$', snippet, 'tether script line')
        report = one(r'^\s*codequality: (.*)$', snippet, 'codequality report')
        self.run_step(command)
        with open(os.path.join(self.repo, report)) as f:
            issues = json.load(f)
        self.assertIsInstance(issues, list)
        self.assertEqual(len(issues), 1)
        issue = issues[0]
        for key in ('description', 'check_name', 'fingerprint', 'severity', 'location'):
            self.assertIn(key, issue)
        self.assertIn(issue['severity'], ('info', 'minor', 'major', 'critical', 'blocker'))
        self.assertEqual(issue['location']['path'], 'src/leak.c')
        self.assertEqual(issue['location']['lines']['begin'], itest.LEAK_LINE)
        self.assertIn(itest.LEAK_RULE, issue['check_name'])


if __name__ == '__main__':
    TETHER = os.path.abspath(sys.argv[1])
    unittest.main(argv=sys.argv[:1], verbosity=2)
