#!/usr/bin/env python3
"""End-to-end tests of tether inside builds and of the CLI conventions:
clang-tidy's calling convention exactly as CMake runs it (and a real CMake
build), the compiler-launcher form, -p taking a folder or the file and
searching upward, -p without paths, `tether PATH`, `--opt value`.
Usage: test_build.py TETHER SOURCE_DIR [SCHEMA...]"""
import json
import os
import shutil
import stat
import subprocess
import sys
import unittest

import cli_common as c
from cli_common import CLEAN, LEAK, SPAWN_LINE, Base, diags, run

GUARDED = (LEAK % '').replace('    tt_spawn(worker, ch);', '#if FOO\n    tt_spawn(worker, ch);\n#endif')
SOURCE_DIR = None


class ClangTidyConvention(Base):
    def test_cmake_command_line(self):
        """The argv CMake 3.25 gives CMAKE_C_CLANG_TIDY=tether;check;--exit-zero."""
        src = self.write('src/a.c', '#include "cfg.h"\n' + GUARDED)
        self.write('inc/cfg.h', '#define FOO 1\n')
        build = os.path.join(self.dir, 'build')
        os.makedirs(build)
        # A database that says otherwise is not read: the command is the truth.
        self.write('build/compile_commands.json', json.dumps(
            [{'directory': build, 'file': src, 'arguments': ['cc', '-DFOO=0', '-c', src]}]))
        cmd = ['/usr/bin/cc', '-DBAR=1', '-I' + os.path.join(self.dir, 'inc'), '-MD', '-MT',
               'CMakeFiles/x.dir/src/a.c.o', '-MF', 'CMakeFiles/x.dir/src/a.c.o.d', '-o',
               'CMakeFiles/x.dir/src/a.c.o', '-c', src]
        args = ['check', '--exit-zero', '--extra-arg-before=--driver-mode=gcc', src, '--'] + cmd
        p = run(args, cwd=build)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)  # --exit-zero: the build goes on
        self.assertEqual([(w['file'], int(w['line'])) for w in diags(p.stdout)], [(src, SPAWN_LINE + 2)])
        self.assertEqual(p.stderr, 'tether: 1 warning in 1 file\n')
        # Without the include folder the header is missing: an error, exit 2.
        p = run(['check', '--exit-zero', src, '--'] + [a for a in cmd if not a.startswith('-I')], cwd=build)
        self.assertEqual(p.returncode, 2)
        self.assertIn("error: 'cfg.h' file not found", p.stdout)
        # --extra-arg adds a flag to the command's (here the include folder).
        inc = '-I' + os.path.join(self.dir, 'inc')
        p = run(['check', '--extra-arg', inc, src, '--'] + [a for a in cmd if not a.startswith('-I')], cwd=build)
        self.assertEqual((p.returncode, len(diags(p.stdout))), (1, 1))
        p = run(['check', '--extra-arg-before=' + inc, src, '--'] + [a for a in cmd if not a.startswith('-I')],
                cwd=build)
        self.assertEqual((p.returncode, len(diags(p.stdout))), (1, 1))

    def test_real_cmake_build(self):
        if not shutil.which('cmake') or not shutil.which('ninja'):
            self.fail('cmake and ninja are needed (scripts/setup.sh installs them)')
        proj = os.path.join(self.dir, 'proj')
        self.write('proj/a.c', '#include "cfg.h"\n' + GUARDED)
        self.write('proj/inc/cfg.h', '#define FOO 1\n')
        self.write('proj/CMakeLists.txt', 'cmake_minimum_required(VERSION 3.20)\nproject(p C)\n'
                   'add_library(x STATIC a.c)\n'
                   f'target_include_directories(x PRIVATE inc {SOURCE_DIR}/runtime/include)\n')
        for extra in (['-DCMAKE_C_CLANG_TIDY=%s;check;--exit-zero' % c.TETHER],
                      ['-DCMAKE_C_COMPILER_LAUNCHER=%s;launch;--exit-zero' % c.TETHER]):
            b = os.path.join(self.dir, 'b')
            shutil.rmtree(b, ignore_errors=True)
            subprocess.run(['cmake', '-S', proj, '-B', b, '-G', 'Ninja'] + extra, check=True, capture_output=True)
            p = subprocess.run(['cmake', '--build', b], capture_output=True, text=True)
            self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
            self.assertIn('a.c:%d:5: warning: task \'worker\' can block forever' % (SPAWN_LINE + 2), p.stdout)
            self.assertTrue(os.path.exists(os.path.join(b, 'libx.a')))


class Launcher(Base):
    def fake_cc(self, status):
        path = self.write('fakecc', '#!/bin/sh\nprintf "%%s\\n" "$@" > "$(dirname "$0")/cc.argv"\nexit %d\n' % status)
        os.chmod(path, stat.S_IRWXU)
        return path

    def test_launch_analyzes_then_compiles(self):
        src = self.write('a.c', GUARDED)
        cc = self.fake_cc(0)
        p = run(['launch', cc, '-DFOO=1', '-c', src, '-o', 'a.o'], cwd=self.dir)
        self.assertEqual(p.returncode, 1)  # findings fail without --exit-zero
        self.assertEqual(p.stdout, '')     # the report is on stderr, as a compiler's
        self.assertEqual([int(w['line']) for w in diags(p.stderr)], [SPAWN_LINE + 1])
        with open(os.path.join(self.dir, 'cc.argv')) as f:
            self.assertEqual(f.read().split('\n')[:-1], ['-DFOO=1', '-c', src, '-o', 'a.o'])
        p = run(['launch', '--exit-zero', cc, '-DFOO=0', '-c', src], cwd=self.dir)
        self.assertEqual((p.returncode, diags(p.stderr)), (0, []))
        # The compiler's failure is the build's.
        p = run(['launch', '--exit-zero', self.fake_cc(3), '-DFOO=1', '-c', src], cwd=self.dir)
        self.assertEqual(p.returncode, 3)
        # A link step has no C source: only the compiler runs.
        p = run(['launch', self.fake_cc(0), 'a.o', '-o', 'prog'], cwd=self.dir)
        self.assertEqual((p.returncode, p.stderr), (0, ''))
        self.assertEqual(run(['launch']).returncode, 2)


class Conventions(Base):
    def test_tether_path_means_check(self):
        path = self.write('a.c', LEAK % '')
        for args in ([path], ['--fast', path], ['a.c']):
            p = run(args, cwd=self.dir)
            self.assertEqual(p.returncode, 1, (args, p.stderr))
            self.assertEqual(len(diags(p.stdout)), 1)
        p = run(['frobnicate'])
        self.assertEqual(p.returncode, 2)
        self.assertIn("unknown command 'frobnicate'", p.stderr)

    def test_long_options_take_separate_values(self):
        path = self.write('a.c', LEAK % '')
        pairs = [(['--rule=wg-unbalanced'], ['--rule', 'wg-unbalanced']),
                 (['--frontend=tree-sitter'], ['--frontend', 'tree-sitter']),
                 (['--format=json'], ['--format', 'json']),
                 (['--jobs=1'], ['--jobs', '1']),
                 (['--color=never'], ['--color', 'never'])]
        for eq, sep in pairs:
            a, b = run(['check'] + eq + [path]), run(['check'] + sep + [path])
            self.assertEqual((a.returncode, a.stdout), (b.returncode, b.stdout), sep)
        p = run(['check', path, '--format'])
        self.assertEqual(p.returncode, 2)
        self.assertIn('--format needs a value', p.stderr)

    def compdb(self):
        a = self.write('proj/src/a.c', GUARDED)
        b = self.write('proj/src/b.c', CLEAN)
        self.write('proj/notes.txt', 'not C')
        build = os.path.join(self.dir, 'proj', 'build')
        db = [{'directory': build, 'file': '../src/a.c', 'arguments': ['cc', '-DFOO=1', '-c', '../src/a.c']},
              {'directory': build, 'file': '../src/b.c', 'command': 'cc -c ../src/b.c'}]
        self.write('proj/build/compile_commands.json', json.dumps(db))
        return a, b, build

    def test_p_takes_folder_file_or_a_subfolder(self):
        a, _, build = self.compdb()
        os.makedirs(os.path.join(build, 'deep', 'er'))
        for where in (build, os.path.join(build, 'compile_commands.json'), os.path.join(build, 'deep', 'er')):
            p = run(['check', '-p', where, a])
            self.assertEqual(p.returncode, 1, (where, p.stderr))  # FOO=1 from the database
        p = run(['check', '-p', os.path.join(self.dir, 'proj', 'src'), a])  # no database up there
        self.assertEqual(p.returncode, 2)
        self.assertIn('no compile_commands.json in this folder or its parents', p.stderr)

    def test_p_without_paths_checks_the_database(self):
        a, b, build = self.compdb()
        p = run(['check', '-p', 'proj/build'], cwd=self.dir)
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertEqual([(w['file'], int(w['line'])) for w in diags(p.stdout)], [('proj/src/a.c', SPAWN_LINE + 1)])
        self.assertEqual(p.stderr, 'tether: 1 warning in 2 files\n')
        self.write('empty/compile_commands.json', '[]')
        p = run(['check', '-p', 'empty'], cwd=self.dir)
        self.assertEqual(p.returncode, 2)
        self.assertIn('the compile database names no C file', p.stderr)


if __name__ == '__main__':
    c.TETHER = os.path.abspath(sys.argv[1])
    SOURCE_DIR = os.path.abspath(sys.argv[2])
    unittest.main(argv=[sys.argv[0], '-v'])
