#!/usr/bin/env python3
"""pre-commit end to end, with Debian's `pre-commit`: a scratch git
repository whose .pre-commit-config.yaml is the README's snippet, pointing
at this repository as its hook source. A commit of a leaky file is refused
with the warning shown (both hooks: tether and tether-clang); the fixed file
goes through. Nothing may come from the network: git may use local paths
only and every proxy points at a closed port.

Usage: test_precommit.py TETHER"""
import json
import os
import shutil
import sys
import unittest

import itest

TETHER = None


class PreCommit(itest.ScratchTest):

    def setUp(self):
        super().setUp()
        if not shutil.which('pre-commit'):
            self.fail('pre-commit is not installed (scripts/setup.sh installs it)')
        # tether on PATH, as `language: system` requires
        bindir = os.path.join(self.tmp, 'bin')
        os.makedirs(bindir)
        os.symlink(TETHER, os.path.join(bindir, 'tether'))
        self.env = {
            'PATH': bindir + os.pathsep + os.environ.get('PATH', ''),
            'HOME': os.path.join(self.tmp, 'home'),
            'PRE_COMMIT_HOME': os.path.join(self.tmp, 'pre-commit-cache'),
            'GIT_ALLOW_PROTOCOL': 'file',  # no https, ssh or git:// for anyone
            'GIT_CONFIG_NOSYSTEM': '1',
            # HOME is a scratch folder: no global git config, so say here
            # that the source checkout may belong to another user (CI)
            'GIT_CONFIG_COUNT': '1', 'GIT_CONFIG_KEY_0': 'safe.directory', 'GIT_CONFIG_VALUE_0': '*',
            'GIT_AUTHOR_NAME': 'T', 'GIT_AUTHOR_EMAIL': 't@example.invalid',
            'GIT_COMMITTER_NAME': 'T', 'GIT_COMMITTER_EMAIL': 't@example.invalid',
            'http_proxy': 'http://127.0.0.1:9', 'https_proxy': 'http://127.0.0.1:9',
            'HTTP_PROXY': 'http://127.0.0.1:9', 'HTTPS_PROXY': 'http://127.0.0.1:9',
            'NO_COLOR': '1',
        }
        src = itest.SOURCE_DIR
        if not os.path.exists(os.path.join(src, '.git')):
            self.skipTest('the source tree is not a git checkout: pre-commit needs a commit to read hooks from')
        self.rev = itest.run(['git', '-C', src, 'rev-parse', 'HEAD'], env=self.env).stdout.strip()
        committed = itest.run(['git', '-C', src, 'show', 'HEAD:.pre-commit-hooks.yaml'], env=self.env, rc=None)
        with open(os.path.join(src, '.pre-commit-hooks.yaml')) as f:
            if committed.returncode or committed.stdout != f.read():
                self.fail('.pre-commit-hooks.yaml differs from HEAD: pre-commit reads hooks from a '
                          'commit, so commit it before running this test')
        os.makedirs(self.env['HOME'])
        self.repo = os.path.join(self.tmp, 'project')
        os.makedirs(self.repo)
        self.git('init', '-q', '-b', 'main')

    def git(self, *args, rc=0):
        return itest.run(['git', *args], cwd=self.repo, env=self.env, rc=rc)

    def test_commit_refused_then_accepted(self):
        snippet = itest.readme_snippet('pre-commit-config')
        self.assertIn('/path/to/tether', snippet)
        self.assertIn('COMMIT', snippet)
        config = snippet.replace('/path/to/tether', itest.SOURCE_DIR).replace('COMMIT', self.rev)
        # both hooks: uncomment the snippet's tether-clang
        config = config.replace('# - id: tether-clang', '- id: tether-clang').replace('#   args:', '  args:')
        self.assertIn('- id: tether-clang', config)
        itest.write(os.path.join(self.repo, '.pre-commit-config.yaml'), config)
        # tether-clang's compile database (the snippet's default: build/)
        itest.write(os.path.join(self.repo, 'build', 'compile_commands.json'), json.dumps([{
            'directory': self.repo, 'file': 'src/worker.c',
            'arguments': ['cc', '-std=c11', '-c', 'src/worker.c', '-o', 'build/worker.o']}]))
        itest.write(os.path.join(self.repo, '.gitignore'), 'build/\n')
        self.git('add', '.pre-commit-config.yaml', '.gitignore')
        self.git('commit', '-q', '-m', 'pre-commit config')
        itest.run(['pre-commit', 'install'], cwd=self.repo, env=self.env)

        itest.write(os.path.join(self.repo, 'src', 'worker.c'), itest.LEAKY)
        self.git('add', 'src/worker.c')
        p = self.git('commit', '-m', 'leaky worker', rc=1)
        out = p.stdout + p.stderr
        warning = 'src/worker.c:%d:' % itest.LEAK_LINE
        self.assertEqual(out.count(warning), 2, out)  # once per hook
        self.assertIn('[%s]' % itest.LEAK_RULE, out)
        self.assertRegex(out, r'tether \(tree-sitter front end\)\.+Failed')
        self.assertRegex(out, r'tether \(clang front end\)\.+Failed')
        self.assertEqual(self.git('rev-list', '--count', 'HEAD').stdout.strip(), '1')

        itest.write(os.path.join(self.repo, 'src', 'worker.c'), itest.FIXED)
        self.git('add', 'src/worker.c')
        p = self.git('commit', '-m', 'fixed worker')
        out = p.stdout + p.stderr
        self.assertRegex(out, r'tether \(tree-sitter front end\)\.+Passed')
        self.assertRegex(out, r'tether \(clang front end\)\.+Passed')
        self.assertEqual(self.git('rev-list', '--count', 'HEAD').stdout.strip(), '2')

        # a commit without C files skips both hooks
        itest.write(os.path.join(self.repo, 'README'), 'x\n')
        self.git('add', 'README')
        p = self.git('commit', '-m', 'readme')
        out = p.stdout + p.stderr
        self.assertRegex(out, r'tether \(tree-sitter front end\)\.+\(no files to check\)Skipped')


if __name__ == '__main__':
    TETHER = os.path.abspath(sys.argv[1])
    unittest.main(argv=sys.argv[:1], verbosity=2)
