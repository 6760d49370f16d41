#!/usr/bin/env python3
"""`cmake --install` into a scratch prefix, then, as a user of the installed
tree would: build an outside program with `pkg-config tether` and with
`find_package(tether)` (tether::tether, tether::tether_static) and run it;
run the installed `tether check` on a leaky file outside the source tree.
Then move the installed tree to another prefix and do it all again: nothing
installed may depend on where it was installed (or on the build tree).

Usage: test_install.py BUILD_DIR C_COMPILER [EXTRA_C_FLAGS]
(EXTRA_C_FLAGS: the sanitizer flags the tree was built with, which a
program linking its libtether needs too.)"""
import glob
import os
import shlex
import shutil
import subprocess
import sys
import unittest

import itest

BUILD = CC = None
EXTRA = []

APP = r'''#include <stdio.h>
#include <tether.h>

static void answer(void *arg)
{
    int v = 42;
    tt_send(arg, &v);
}

int main(void)
{
    tt_chan *ch = tt_chan_new(sizeof(int), 0);
    tt_spawn(answer, ch);
    int v = 0;
    tt_recv(ch, &v);
    tt_chan_free(ch);
    printf("answer %d\n", v);
    return tt_verify_none(1000) == 0 ? 0 : 3;
}
'''

# The outside project: the README's find_package snippet links `app`.
CMAKE_PROJECT = r'''cmake_minimum_required(VERSION 3.20)
project(app C)
add_executable(app app.c)
%s
add_executable(app_static app.c)
target_link_libraries(app_static PRIVATE tether::tether_static)
'''


def needed(exe):
    out = itest.run(['readelf', '-d', exe]).stdout
    return [line.split('[')[1].rstrip(']') for line in out.splitlines() if '(NEEDED)' in line]


class InstalledTree(itest.ScratchTest):

    def check_tree(self, prefix):
        for rel in ['bin/tether', 'include/tether.h', 'lib/libtether.a', 'lib/libtether.so',
                    'lib/pkgconfig/tether.pc', 'lib/cmake/tether/tetherConfig.cmake',
                    'lib/cmake/tether/tetherConfigVersion.cmake',
                    'lib/cmake/tether/tetherTargets.cmake']:
            self.assertTrue(os.path.exists(os.path.join(prefix, rel)), rel)
        rules = sorted(os.path.basename(p) for p in glob.glob(os.path.join(itest.SOURCE_DIR, 'rules', '*.md')))
        docs = sorted(os.listdir(os.path.join(prefix, 'share/doc/tether/rules')))
        self.assertEqual(docs, rules)
        others = sorted(os.path.basename(p) for p in glob.glob(os.path.join(itest.SOURCE_DIR, 'docs', '*.md')))
        for doc in ['README.md'] + others:
            self.assertTrue(os.path.exists(os.path.join(prefix, 'share/doc/tether', doc)), doc)
        # the shared library exports the API only
        syms = itest.run(['nm', '-D', '--defined-only', os.path.join(prefix, 'lib/libtether.so')]).stdout
        names = [line.split()[-1] for line in syms.splitlines() if line.strip()]
        self.assertIn('tt_spawn_at', names)
        self.assertEqual([n for n in names if not n.startswith('tt_')], [])

    def with_pkg_config(self, prefix, work):
        """The README's pkg-config line, as written (with this build's
        compiler and sanitizer flags for `cc`)."""
        snippet = itest.readme_snippet('pkg-config').strip()
        self.assertTrue(snippet.startswith('cc '), snippet)
        command = ' '.join(map(shlex.quote, [CC, *EXTRA])) + snippet[2:]
        env = {'PKG_CONFIG_PATH': os.path.join(prefix, 'lib/pkgconfig')}
        libdir = itest.run(['pkg-config', '--variable=libdir', 'tether'], env=env).stdout.strip()
        self.assertEqual(os.path.realpath(libdir), os.path.realpath(os.path.join(prefix, 'lib')))
        itest.write(os.path.join(work, 'app.c'), APP)
        itest.run(['sh', '-c', command], cwd=work, env=env)
        exe = os.path.join(work, 'app')
        self.assertIn('libtether.so.0', needed(exe))
        self.assertEqual(itest.run([exe], env={'LD_LIBRARY_PATH': libdir}).stdout, 'answer 42\n')

    def with_find_package(self, prefix, work):
        """The README's find_package snippet in an outside CMake project,
        and tether::tether_static beside it."""
        itest.write(os.path.join(work, 'CMakeLists.txt'), CMAKE_PROJECT % itest.readme_snippet('find-package'))
        itest.write(os.path.join(work, 'app.c'), APP)
        build = os.path.join(work, 'build')
        itest.run(['cmake', '-S', work, '-B', build, '-G', 'Ninja', '-DCMAKE_C_COMPILER=' + CC,
                   '-DCMAKE_C_FLAGS=' + ' '.join(EXTRA), '-DCMAKE_PREFIX_PATH=' + prefix])
        itest.run(['cmake', '--build', build])
        shared, static = os.path.join(build, 'app'), os.path.join(build, 'app_static')
        self.assertIn('libtether.so.0', needed(shared))
        self.assertNotIn('libtether.so.0', needed(static))
        for exe in (shared, static):
            self.assertEqual(itest.run([exe]).stdout, 'answer 42\n')

    def with_installed_tether(self, prefix, work):
        itest.write(os.path.join(work, 'leaky.c'), itest.LEAKY)
        # the clang front end: tether.h must come from the installed tree
        p = itest.run([os.path.join(prefix, 'bin/tether'), 'check', 'leaky.c'], cwd=work, rc=1)
        self.assertIn('leaky.c:%d:' % itest.LEAK_LINE, p.stdout)
        self.assertIn('[%s]' % itest.LEAK_RULE, p.stdout)
        self.assertEqual(p.stderr.count('error'), 0, p.stderr)
        doc = itest.run([os.path.join(prefix, 'bin/tether'), 'explain', itest.LEAK_RULE]).stdout
        self.assertIn(itest.LEAK_RULE, doc)

    def exercise(self, prefix, tag):
        self.check_tree(prefix)
        self.with_pkg_config(prefix, os.path.join(self.tmp, tag, 'pc'))
        self.with_find_package(prefix, os.path.join(self.tmp, tag, 'cmake'))
        self.with_installed_tether(prefix, os.path.join(self.tmp, tag, 'check'))

    def test_install_then_move(self):
        first = os.path.join(self.tmp, 'first', 'usr')
        itest.run(['cmake', '--install', BUILD, '--prefix', first])
        self.exercise(first, 'at-first')

        moved = os.path.join(self.tmp, 'elsewhere', 'opt', 'tether')
        os.makedirs(os.path.dirname(moved))
        shutil.move(first, moved)
        self.assertFalse(os.path.exists(first))
        self.exercise(moved, 'moved')

        # and the moved tether reads the moved header, not the build
        # machine's: without it, the header is missing (an error, exit 2)
        os.remove(os.path.join(moved, 'include/tether.h'))
        work = os.path.join(self.tmp, 'moved', 'check')
        p = itest.run([os.path.join(moved, 'bin/tether'), 'check', 'leaky.c'], cwd=work, rc=2)
        self.assertIn("leaky.c:1:10: error: 'tether.h' file not found", p.stdout)


if __name__ == '__main__':
    BUILD, CC = sys.argv[1], sys.argv[2]
    EXTRA = shlex.split(sys.argv[3]) if len(sys.argv) > 3 else []
    unittest.main(argv=sys.argv[:1], verbosity=2)
