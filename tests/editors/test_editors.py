"""tether in real editors, from Debian's packages: headless Neovim and
batch Emacs (Eglot) start `tether lsp` through the setups in editor/, open
a leaky fixture, get its diagnostic (rule id and line), apply the quick fix
and see the finding go; Vim's compiler plugin fills the quickfix list from
`tether check`; the VS Code extension type-checks with tsc and packages as
a .vsix with vsce. A missing editor or npm package fails the test (setup
installs them: scripts/setup.sh)."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest
import zipfile

TETHER = None
SOURCE_DIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EDITOR_DIR = os.path.join(SOURCE_DIR, 'editor')
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(SOURCE_DIR, 'tests', 'integration'))
from itest import readme_snippet  # noqa: E402
FIXTURE = os.path.join(SOURCE_DIR, 'fixtures', 'unbuffered-send-no-fallback', 'leak_handler_timeout.c')
RULE = 'unbuffered-send-no-fallback'
LINE = 14      # the send
FIX_LINE = 21  # the channel's creation, where the capacity goes


def need(program):
    path = shutil.which(program)
    if not path:
        raise AssertionError('%s is not installed: run scripts/setup.sh' % program)
    return path


class EditorTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix='tether-editor-')
        self.addCleanup(shutil.rmtree, self.tmp, ignore_errors=True)
        self.file = os.path.join(self.tmp, 'leak.c')
        shutil.copy(FIXTURE, self.file)
        self.out = os.path.join(self.tmp, 'out.txt')
        self.env = dict(os.environ, TETHER=TETHER, TETHER_EDITOR_DIR=EDITOR_DIR, TETHER_FILE=self.file,
                        TETHER_OUT=self.out, HOME=self.tmp)

    def run_editor(self, args, timeout=120):
        p = subprocess.run(args, env=self.env, cwd=self.tmp, capture_output=True, text=True, timeout=timeout,
                           stdin=subprocess.DEVNULL)
        report = ''
        if os.path.exists(self.out):
            with open(self.out) as f:
                report = f.read()
        self.assertEqual(p.returncode, 0, 'editor failed:\n%s\n--- stdout\n%s\n--- stderr\n%s'
                         % (report, p.stdout[-3000:], p.stderr[-3000:]))
        return report.splitlines()

    def check_lsp_session(self, lines, diag_line_prefix):
        self.assertIn(diag_line_prefix, lines[0])
        self.assertTrue(any(l.startswith('fix ') and 'capacity 1' in l for l in lines), lines)
        self.assertIn('after-fix 0', lines)
        self.assertIn('after-save 0', lines)

    def check_saved_fix(self):
        with open(self.file) as f:
            text = f.read().splitlines()
        self.assertIn('tt_chan_new(sizeof(int), 1)', text[FIX_LINE - 1])


class Neovim(EditorTest):
    def test_diagnostics_and_quick_fix(self):
        nvim = need('nvim')
        lines = self.run_editor([nvim, '--headless', '-u', 'NONE', '-i', 'NONE', '-n',
                                 '-c', 'luafile ' + os.path.join(HERE, 'nvim_e2e.lua')])
        self.check_lsp_session(lines, 'diag %d %s tether' % (LINE, RULE))
        self.check_saved_fix()
        self.assertEqual(len([l for l in lines if l.startswith('diag ')]), 1, lines)


class Emacs(EditorTest):
    def test_eglot_and_compile_mode(self):
        emacs = need('emacs')
        lines = self.run_editor([emacs, '--batch', '-Q', '-l', os.path.join(HERE, 'emacs_e2e.el')])
        self.check_lsp_session(lines, 'diag %d tether [%s]: ' % (LINE, RULE))
        saved = [l for l in lines if l.startswith('saved ')]
        self.assertEqual(len(saved), 1, lines)
        self.assertIn('tt_chan_new(sizeof(int), 1)', saved[0])
        compile_ = [l for l in lines if l.startswith('compile ')]
        self.assertEqual(len(compile_), 1, lines)
        self.assertTrue(compile_[0].startswith('compile %d ' % LINE), compile_)
        self.assertIn('warning:', compile_[0])
        self.assertIn('[%s]' % RULE, compile_[0])


class Vim(EditorTest):
    def test_compiler_plugin_quickfix(self):
        vim = need('vim')
        qf = os.path.join(self.tmp, 'qf.json')
        p = subprocess.run([vim, '-Nu', 'NONE', '-i', 'NONE', '-es',
                            '-c', 'set rtp^=' + os.path.join(EDITOR_DIR, 'vim'),
                            '-c', "let g:tether_program = '%s'" % TETHER,
                            '-c', 'edit ' + self.file, '-c', 'compiler tether', '-c', 'silent make',
                            '-c', "call writefile([json_encode(getqflist())], '%s')" % qf, '-c', 'qa!'],
                           env=self.env, cwd=self.tmp, capture_output=True, text=True, timeout=120,
                           stdin=subprocess.DEVNULL)
        self.assertTrue(os.path.exists(qf), p.stdout + p.stderr)
        with open(qf) as f:
            entries = json.load(f)
        valid = [e for e in entries if e['valid']]
        self.assertEqual(len(valid), 1, entries)
        e = valid[0]
        self.assertEqual((e['lnum'], e['col'], e['type']), (LINE, 5, 'W'))
        text = e['text'].split('\n')
        self.assertTrue(text[0].endswith('[%s]' % RULE), text)
        # the notes, as continuation lines of the entry
        self.assertIn("'query_database' is spawned here", text)
        self.assertTrue(any('capacity 1' in t for t in text[1:]), text)
        # no source lines or carets leaked into the list
        self.assertFalse(any('|' in t for t in text), text)
        self.assertEqual([x for x in entries if not x['valid'] and x['text'].strip()], [])


class VSCode(EditorTest):
    def test_typecheck_and_package(self):
        node = need('node')
        ext = os.path.join(EDITOR_DIR, 'vscode')
        mods = os.path.join(ext, 'node_modules')
        for tool in ('tsc', 'vsce'):
            if not os.path.exists(os.path.join(mods, '.bin', tool)):
                raise AssertionError('%s is not installed in editor/vscode/node_modules: run scripts/setup.sh'
                                     % tool)
        work = os.path.join(self.tmp, 'ext')
        shutil.copytree(ext, work, ignore=shutil.ignore_patterns('node_modules', 'out', '*.vsix'))
        os.symlink(mods, os.path.join(work, 'node_modules'))

        def run(*args):
            p = subprocess.run([node, *args], cwd=work, capture_output=True, text=True, timeout=300,
                               stdin=subprocess.DEVNULL)
            self.assertEqual(p.returncode, 0, '%s\n%s\n%s' % (' '.join(args), p.stdout[-3000:], p.stderr[-3000:]))
            return p

        run(os.path.join(mods, 'typescript', 'bin', 'tsc'), '-p', '.')
        self.assertTrue(os.path.exists(os.path.join(work, 'out', 'extension.js')))
        run(os.path.join(mods, '@vscode', 'vsce', 'vsce'), 'package', '--allow-missing-repository',
            '--skip-license', '-o', 'tether.vsix')
        with zipfile.ZipFile(os.path.join(work, 'tether.vsix')) as z:
            names = set(z.namelist())
            manifest = json.loads(z.read('extension/package.json'))
            js = z.read('extension/out/extension.js').decode()
        self.assertIn('extension/node_modules/vscode-languageclient/package.json', names)
        self.assertFalse(any(n.endswith('.ts') and 'node_modules' not in n for n in names), names)
        self.assertEqual(manifest['main'], './out/extension.js')
        self.assertIn('onLanguage:c', manifest['activationEvents'])
        self.assertIn("args: ['lsp']", js)


class ReadmeSetups(EditorTest):
    """The README's setup lines, run as written in a scratch home (from the
    source tree, tether on PATH), then each editor started as a user would,
    with the configuration they made."""

    def setUp(self):
        super().setUp()
        self.env['PATH'] = os.path.dirname(TETHER) + os.pathsep + self.env.get('PATH', '')

    def install(self, name):
        p = subprocess.run(['bash', '-euc', readme_snippet(name)], cwd=SOURCE_DIR, env=self.env,
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)

    def test_neovim(self):
        nvim = need('nvim')
        self.install('editor-neovim')
        self.run_editor([nvim, '--headless', '-i', 'NONE', '-n', self.file, '-c',
                         'lua local ok = vim.wait(30000, function() return #vim.diagnostic.get(0) > 0 end, 50); '
                         'local d = vim.diagnostic.get(0)[1]; '
                         'vim.fn.writefile({ok and (d.code .. " " .. (d.lnum + 1)) or "none"}, vim.env.TETHER_OUT); '
                         'vim.cmd("qa!")'])
        with open(self.out) as f:
            self.assertEqual(f.read().strip(), '%s %d' % (RULE, LINE))

    def test_emacs(self):
        emacs = need('emacs')
        self.install('editor-emacs')
        init = os.path.join(self.tmp, '.emacs.d', 'init.el')
        script = os.path.join(self.tmp, 'check.el')
        with open(script, 'w') as f:
            f.write("""(require 'package)
(add-to-list 'package-directory-list "/usr/share/emacs/site-lisp/elpa")
(package-initialize)
(load "%s")
(find-file (getenv "TETHER_FILE"))
(run-hooks 'post-command-hook)   ; what starts eglot-ensure's connection
(let ((end (+ (float-time) 30)))
  (while (and (null (flymake-diagnostics)) (< (float-time) end))
    (flymake-start)
    (accept-process-output nil 0.1)))
(let ((result (if (flymake-diagnostics)
                  (format "%%d %%s" (line-number-at-pos (flymake-diagnostic-beg (car (flymake-diagnostics))))
                          (flymake-diagnostic-text (car (flymake-diagnostics))))
                "none")))
  (with-temp-file (getenv "TETHER_OUT") (insert result)))
(kill-emacs 0)
""" % init)
        self.run_editor([emacs, '--batch', '-Q', '-l', script])
        with open(self.out) as f:
            self.assertTrue(f.read().startswith('%d tether [%s]' % (LINE, RULE)))

    def test_vim(self):
        vim = need('vim')
        self.install('editor-vim')
        qf = os.path.join(self.tmp, 'qf.json')
        subprocess.run([vim, '-u', os.path.join(self.tmp, '.vimrc'), '-i', 'NONE', '-es', self.file,
                        '-c', 'silent make', '-c', "call writefile([json_encode(getqflist())], '%s')" % qf,
                        '-c', 'qa!'], env=self.env, cwd=self.tmp, capture_output=True, text=True, timeout=120,
                       stdin=subprocess.DEVNULL)
        with open(qf) as f:
            valid = [e for e in json.load(f) if e['valid']]
        self.assertEqual([(e['lnum'], e['type']) for e in valid], [(LINE, 'W')])


if __name__ == '__main__':
    TETHER = os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=2)
