#!/usr/bin/env python3
"""tether inside a build: the README's CMake (CMAKE_C_CLANG_TIDY) and Make
(`tether launch` as the compiler launcher) snippets in a small outside
project. The build runs tether on
every translation unit with that unit's own flags, the warnings land in the
build log, --exit-zero keeps the build going, and without it a leak fails
the build.

Usage: test_build.py TETHER C_COMPILER"""
import os
import shlex
import sys
import unittest

import itest

TETHER = CC = None

# Each file leaks only when built with its flag (-DWITH_LEAK): a warning
# shows that tether read that unit's own compile command.
GUARDED = r'''#include <tether.h>

static void %(name)s_worker(void *arg)
{
    tt_chan *ch = arg;
    int v;
    tt_recv(ch, &v);
}

int %(name)s_start(void)
{
    tt_chan *ch = tt_chan_new(sizeof(int), 0);
#ifdef WITH_LEAK
    return tt_spawn(%(name)s_worker, ch);
#else
    tt_chan_free(ch);
    return 0;
#endif
}
'''
GUARDED_LINE = 14


def unit(name):
    return GUARDED % {'name': name}


class InsideTheBuild(itest.ScratchTest):

    def setUp(self):
        super().setUp()
        bindir = os.path.join(self.tmp, 'bin')
        os.makedirs(bindir)
        os.symlink(TETHER, os.path.join(bindir, 'tether'))  # `tether` as the snippets say
        self.env = {'PATH': bindir + os.pathsep + os.environ.get('PATH', ''), 'CC': CC,
                    'NO_COLOR': '1'}
        self.src = os.path.join(self.tmp, 'project')
        for name in ('alpha', 'beta', 'gamma'):
            itest.write(os.path.join(self.src, name + '.c'), unit(name))
        itest.write(os.path.join(self.src, 'clean.c'), itest.FIXED)

    def warned(self, log, name):
        return ('%s.c:%d:' % (name, GUARDED_LINE) in log and
                "task '%s_worker' can block forever" % name in log)

    # ---- CMake ------------------------------------------------------------

    def cmake_project(self):
        itest.write(os.path.join(self.src, 'CMakeLists.txt'), r'''cmake_minimum_required(VERSION 3.20)
project(demo C)
add_library(demo STATIC alpha.c beta.c gamma.c clean.c)
target_include_directories(demo PRIVATE %s)
set_source_files_properties(alpha.c beta.c PROPERTIES COMPILE_DEFINITIONS WITH_LEAK)
''' % os.path.join(itest.SOURCE_DIR, 'runtime', 'include'))

    def configure(self, snippet, build):
        """The README's configure line, run as written from the project."""
        command = snippet.replace('-B build', '-B ' + shlex.quote(build))
        self.assertNotEqual(command, snippet)
        itest.run(['sh', '-c', command + ' -G Ninja'], cwd=self.src, env=self.env)

    def test_cmake_exit_zero(self):
        self.cmake_project()
        build = os.path.join(self.tmp, 'build')
        self.configure(itest.readme_snippet('cmake-clang-tidy').strip(), build)
        p = itest.run(['cmake', '--build', build], env=self.env)
        log = p.stdout + p.stderr
        self.assertTrue(self.warned(log, 'alpha'), log)
        self.assertTrue(self.warned(log, 'beta'), log)
        self.assertFalse(self.warned(log, 'gamma'), log)  # built without -DWITH_LEAK
        self.assertTrue(os.path.exists(os.path.join(build, 'libdemo.a')))

    def test_cmake_leak_fails_the_build(self):
        self.cmake_project()
        build = os.path.join(self.tmp, 'build-strict')
        snippet = itest.readme_snippet('cmake-clang-tidy').strip()
        self.assertIn(';--exit-zero', snippet)
        self.configure(snippet.replace(';--exit-zero', ''), build)
        p = itest.run(['cmake', '--build', build, '-j1', '--', '-k0'], env=self.env, rc=1)
        log = p.stdout + p.stderr
        self.assertTrue(self.warned(log, 'alpha'), log)
        self.assertTrue(self.warned(log, 'beta'), log)
        self.assertIn('FAILED: CMakeFiles/demo.dir/alpha.c.o', log)
        self.assertNotIn('FAILED: CMakeFiles/demo.dir/clean.c.o', log)
        self.assertFalse(os.path.exists(os.path.join(build, 'CMakeFiles/demo.dir/alpha.c.o')))
        self.assertTrue(os.path.exists(os.path.join(build, 'CMakeFiles/demo.dir/clean.c.o')))

    # ---- Make -------------------------------------------------------------

    def make_project(self):
        itest.write(os.path.join(self.src, 'Makefile'), r'''CPPFLAGS = -I%s
objects = alpha.o beta.o gamma.o clean.o
libdemo.a: $(objects)
	$(AR) rcs $@ $^
alpha.o beta.o: CPPFLAGS += -DWITH_LEAK
clean:
	rm -f $(objects) libdemo.a

%s''' % (os.path.join(itest.SOURCE_DIR, 'runtime', 'include'), itest.readme_snippet('make-launcher')))

    def test_make_exit_zero(self):
        self.make_project()
        p = itest.run(['make', '-C', self.src], env=self.env)
        log = p.stdout + p.stderr
        self.assertTrue(self.warned(log, 'alpha'), log)
        self.assertTrue(self.warned(log, 'beta'), log)
        self.assertFalse(self.warned(log, 'gamma'), log)
        for obj in ('alpha.o', 'beta.o', 'gamma.o', 'clean.o', 'libdemo.a'):
            self.assertTrue(os.path.exists(os.path.join(self.src, obj)), obj)

    def test_make_leak_fails_the_build(self):
        self.make_project()
        p = itest.run(['make', '-C', self.src, 'TETHER_FLAGS='], env=self.env, rc=2)
        log = p.stdout + p.stderr
        self.assertTrue(self.warned(log, 'alpha'), log)
        self.assertFalse(os.path.exists(os.path.join(self.src, 'alpha.o')))
        self.assertFalse(os.path.exists(os.path.join(self.src, 'libdemo.a')))


if __name__ == '__main__':
    TETHER, CC = os.path.abspath(sys.argv[1]), sys.argv[2]
    unittest.main(argv=sys.argv[:1], verbosity=2)
