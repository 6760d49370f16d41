"""The language server's protocol, with a scripted client over a pipe:
framing, lifecycle, incremental edits in UTF-16, cancellation, version
ordering, settings, watched files, code actions and hover."""
import json
import os
import subprocess
import time

import lsptest
from lsptest import LEAKY, LEAK_CHAR, LEAK_LINE, RECV_LINE, UNBUFFERED, LspTest, apply_edits, edit, frame


def rules_of(params):
    return [(d['code'], d['range']['start']['line']) for d in params['diagnostics']]


class Framing(LspTest):
    def test_split_and_joined(self):
        c = self.client(initialize=False)
        init = frame({'jsonrpc': '2.0', 'id': 1, 'method': 'initialize',
                      'params': {'processId': os.getpid(), 'capabilities': {},
                                 'initializationOptions': {'tether': {'debounceMs': 0}}}})
        for i in range(len(init)):   # one byte at a time
            c.raw(init[i:i + 1])
        r = c.response(1)
        self.assertEqual(r['result']['serverInfo']['name'], 'tether')
        self.assertEqual(r['result']['capabilities']['textDocumentSync']['change'], 2)
        path = self.write('a.c', LEAKY)
        uri = 'file://' + path
        joined = (frame({'jsonrpc': '2.0', 'method': 'initialized', 'params': {}}) +
                  frame({'jsonrpc': '2.0', 'method': 'textDocument/didOpen', 'params': {'textDocument': {
                      'uri': uri, 'languageId': 'c', 'version': 1, 'text': LEAKY}}}) +
                  frame({'jsonrpc': '2.0', 'id': 2, 'method': 'textDocument/hover', 'params': {
                      'textDocument': {'uri': uri}, 'position': {'line': 0, 'character': 0}}}))
        c.raw(joined[:37])          # a header cut in the middle
        time.sleep(0.05)
        c.raw(joined[37:])
        self.assertIn('result', c.response(2))
        p = c.diagnostics(uri, 1)
        self.assertEqual(rules_of(p), [('spawn-no-cancel', LEAK_LINE)])


class Diagnostics(LspTest):
    def test_fields(self):
        c = self.client()
        path = self.write('a.c', LEAKY)
        uri = c.open(path, LEAKY, 7)
        p = c.diagnostics(uri)
        self.assertEqual(p['version'], 7)
        [d] = p['diagnostics']
        self.assertEqual(d['source'], 'tether')
        self.assertEqual(d['code'], 'spawn-no-cancel')
        self.assertEqual(d['severity'], 2)
        self.assertTrue(d['codeDescription']['href'].endswith('/rules/spawn-no-cancel.md'), d)
        self.assertEqual(d['range']['start'], {'line': LEAK_LINE, 'character': LEAK_CHAR})
        self.assertEqual(d['range']['end'], {'line': LEAK_LINE, 'character': LEAK_CHAR + len('tt_spawn')})
        rel = d['relatedInformation']
        self.assertTrue(any(r['location']['range']['start']['line'] == RECV_LINE and r['location']['uri'] == uri
                            for r in rel), rel)

    def test_utf16_columns(self):
        c = self.client()
        line = '    /* \u00e9\U0001F600 */ return tt_spawn(worker, ch);'
        text = LEAKY.replace('    return tt_spawn(worker, ch);', line)
        uri = c.open(self.write('u.c', text), text)
        [d] = c.diagnostics(uri)['diagnostics']
        # 4 spaces, "/* " 3, é 1 unit, 😀 2 units, " */ " 4, "return " 7
        self.assertEqual(d['range']['start'], {'line': LEAK_LINE, 'character': 21})
        self.assertEqual(d['range']['end']['character'], 29)
        # An incremental edit addressed in UTF-16: the emoji (units 8-9) out.
        c.change(uri, 2, [edit(LEAK_LINE, 8, LEAK_LINE, 10, '')])
        [d] = c.diagnostics(uri, 2)['diagnostics']
        self.assertEqual(d['range']['start'], {'line': LEAK_LINE, 'character': 19})

    def test_incremental_edits(self):
        c = self.client()
        uri = c.open(self.write('a.c', LEAKY), LEAKY)
        self.assertEqual(rules_of(c.diagnostics(uri, 1)), [('spawn-no-cancel', LEAK_LINE)])
        # Two changes in one notification, applied in order: three lines in
        # at the top, then the receive (now 3 lines lower) goes.
        c.change(uri, 2, [edit(0, 0, 0, 0, '/* a */\n/* b */\n/* c */\n'),
                          edit(RECV_LINE + 3, 4, RECV_LINE + 3, 20, 'v = 0; (void)v;')])
        self.assertEqual(c.diagnostics(uri, 2)['diagnostics'], [])
        # Put it back (a change spanning lines), then drop the three lines.
        c.change(uri, 3, [edit(RECV_LINE + 3, 4, RECV_LINE + 3, 19, 'tt_recv(ch, &v);')])
        self.assertEqual(rules_of(c.diagnostics(uri, 3)), [('spawn-no-cancel', LEAK_LINE + 3)])
        c.change(uri, 4, [edit(0, 0, 3, 0, '')])
        self.assertEqual(rules_of(c.diagnostics(uri, 4)), [('spawn-no-cancel', LEAK_LINE)])
        # A full replacement.
        c.change(uri, 5, [{'text': '#include <tether.h>\nint main(void) { return 0; }\n'}])
        self.assertEqual(c.diagnostics(uri, 5)['diagnostics'], [])

    def test_close_clears(self):
        c = self.client()
        uri = c.open(self.write('a.c', LEAKY), LEAKY)
        self.assertEqual(len(c.diagnostics(uri)['diagnostics']), 1)
        c.notify('textDocument/didClose', {'textDocument': {'uri': uri}})
        self.assertEqual(c.diagnostics(uri)['diagnostics'], [])

    def test_non_c_document_not_analyzed(self):
        c = self.client()
        uri = 'file://' + self.write('notes.txt', LEAKY)
        c.notify('textDocument/didOpen', {'textDocument': {'uri': uri, 'languageId': 'plaintext',
                                                            'version': 1, 'text': LEAKY}})
        self.assertEqual([m for m in c.quiet(1.0) if m.get('method') == 'textDocument/publishDiagnostics'], [])


FIXED_LINE = '    v = 0; (void)v;'
RECV = '    tt_recv(ch, &v);'


def leaky_or_fixed(version):
    """Odd versions leak, even ones do not."""
    return LEAKY if version % 2 else LEAKY.replace(RECV, FIXED_LINE)


class Ordering(LspTest):
    def test_versions_never_go_back(self):
        c = self.client()
        uri = c.open(self.write('a.c', LEAKY), LEAKY, 1)
        c.diagnostics(uri, 1)
        last = 40
        for v in range(2, last + 1):
            c.change(uri, v, [{'text': leaky_or_fixed(v)}])
            time.sleep(0.002 * (v % 5))
        final = c.diagnostics(uri, last)
        pubs = [m['params'] for m in c.seen if m.get('method') == 'textDocument/publishDiagnostics']
        versions = [p['version'] for p in pubs]
        self.assertEqual(versions, sorted(set(versions)), versions)
        for p in pubs:   # each publish matches the text of its version
            self.assertEqual(len(p['diagnostics']), p['version'] % 2, p)
        self.assertEqual(final['diagnostics'], [])

    def test_debounce_coalesces(self):
        c = self.client({'debounceMs': 300})
        uri = c.open(self.write('a.c', LEAKY), LEAKY, 1)
        c.diagnostics(uri, 1)
        burst = b''.join(frame({'jsonrpc': '2.0', 'method': 'textDocument/didChange', 'params': {
            'textDocument': {'uri': uri, 'version': v}, 'contentChanges': [{'text': leaky_or_fixed(v)}]}})
            for v in range(2, 22))
        c.raw(burst)
        p = c.diagnostics(uri, 21)
        self.assertEqual(len(p['diagnostics']), 1)
        later = c.quiet(0.8)
        pubs = [m['params']['version'] for m in c.seen + later
                if m.get('method') == 'textDocument/publishDiagnostics']
        self.assertEqual(pubs, [1, 21])


class Cancellation(LspTest):
    def test_cancel_a_queued_request(self):
        c = self.client()
        uri = c.open(self.write('a.c', LEAKY), LEAKY)
        c.diagnostics(uri)
        hover = {'jsonrpc': '2.0', 'id': 50, 'method': 'textDocument/hover', 'params': {
            'textDocument': {'uri': uri}, 'position': {'line': LEAK_LINE, 'character': LEAK_CHAR}}}
        cancel = {'jsonrpc': '2.0', 'method': '$/cancelRequest', 'params': {'id': 50}}
        c.raw(frame(hover) + frame(cancel))
        r = c.response(50)
        self.assertEqual(r['error']['code'], -32800)
        # Not canceled: answered.
        r = c.response(c.request('textDocument/hover', hover['params']))
        self.assertIn('spawn-no-cancel', r['result']['contents']['value'])
        # A cancel for a request already answered is ignored.
        c.notify('$/cancelRequest', {'id': 50})
        self.assertEqual(c.response(c.request('textDocument/hover', hover['params']))['result']['range']['start'],
                         {'line': LEAK_LINE, 'character': LEAK_CHAR})


class Lifecycle(LspTest):
    def test_shutdown_then_exit(self):
        c = self.client()
        r = c.response(c.request('shutdown'))
        self.assertIsNone(r['result'])
        r = c.response(c.request('textDocument/hover', {'textDocument': {'uri': 'file:///x.c'},
                                                        'position': {'line': 0, 'character': 0}}))
        self.assertEqual(r['error']['code'], -32600)
        c.notify('exit')
        self.assertEqual(c.proc.wait(10), 0)

    def test_exit_without_shutdown(self):
        c = self.client()
        c.notify('exit')
        self.assertEqual(c.proc.wait(10), 1)

    def test_before_initialize(self):
        c = self.client(initialize=False)
        r = c.response(c.request('textDocument/hover', {'textDocument': {'uri': 'file:///x.c'},
                                                        'position': {'line': 0, 'character': 0}}))
        self.assertEqual(r['error']['code'], -32002)
        c.initialize()
        r = c.response(c.request('initialize', {'processId': None, 'capabilities': {}}))
        self.assertEqual(r['error']['code'], -32600)

    def test_unknown_request(self):
        c = self.client()
        r = c.response(c.request('textDocument/definition', {'textDocument': {'uri': 'file:///x.c'},
                                                             'position': {'line': 0, 'character': 0}}))
        self.assertEqual(r['error']['code'], -32601)
        c.notify('textDocument/unknownThing', {})
        c.notify('$/setTrace', {'value': 'off'})
        r = c.response(c.request('shutdown'))
        self.assertIn('result', r)

    def test_client_process_gone(self):
        parent = subprocess.Popen(['sleep', '1'])
        c = self.client(initialize=False)
        c.response(c.request('initialize', {'processId': parent.pid, 'capabilities': {}}))
        parent.wait()
        # stdin stays open: only the client's process tells
        self.assertEqual(c.proc.wait(15), 1)
        # stderr is read by a thread of the client: its last line may come
        # in after the server's exit
        c.wait_stderr(lambda err: 'is gone' in err, "the server's line about its client")

    def test_stream_closed(self):
        c = self.client()
        c.proc.stdin.close()
        self.assertEqual(c.proc.wait(10), 1)


class Settings(LspTest):
    def test_rules_from_initialization_and_changes(self):
        c = self.client({'debounceMs': 0, 'rules': {'spawn-no-cancel': 'off'}})
        uri = c.open(self.write('a.c', LEAKY), LEAKY)
        self.assertEqual(c.diagnostics(uri, 1)['diagnostics'], [])
        c.notify('workspace/didChangeConfiguration', {'settings': {'tether': {'rules': {'spawn-no-cancel': 'error'}}}})
        [d] = c.diagnostics(uri, 1)['diagnostics']
        self.assertEqual((d['code'], d['severity']), ('spawn-no-cancel', 1))

    def test_bad_settings_logged(self):
        c = self.client({'debounceMs': 0, 'rules': {'no-such-rule': 'off'}, 'frontend': 'gcc', 'colour': 1})
        uri = c.open(self.write('a.c', LEAKY), LEAKY)
        self.assertEqual(len(c.diagnostics(uri)['diagnostics']), 1)
        err = ''.join(c.stderr)
        for word in ('no-such-rule', 'frontend', 'colour'):
            self.assertIn(word, err)

    def test_config_file_watched(self):
        c = self.client(capabilities={'workspace': {'didChangeWatchedFiles': {'dynamicRegistration': True}}})
        reg = c.wait_for(lambda m: m.get('method') == 'client/registerCapability')
        globs = [w['globPattern'] for w in reg['params']['registrations'][0]['registerOptions']['watchers']]
        self.assertEqual(globs, ['**/.tether.yml', '**/compile_commands.json'])
        c.send({'jsonrpc': '2.0', 'id': reg['id'], 'result': None})
        uri = c.open(self.write('a.c', LEAKY), LEAKY)
        self.assertEqual(len(c.diagnostics(uri)['diagnostics']), 1)
        cfg = self.write('.tether.yml', 'rules:\n  spawn-no-cancel: off\n')
        c.notify('workspace/didChangeWatchedFiles', {'changes': [{'uri': 'file://' + cfg, 'type': 1}]})
        self.assertEqual(c.diagnostics(uri, 1)['diagnostics'], [])
        os.unlink(cfg)
        c.notify('workspace/didChangeWatchedFiles', {'changes': [{'uri': 'file://' + cfg, 'type': 3}]})
        self.assertEqual(len(c.diagnostics(uri, 1)['diagnostics']), 1)

    def test_config_path_setting(self):
        cfg = self.write('elsewhere/strict.yml', 'rules:\n  spawn-no-cancel: note\n')
        c = self.client({'debounceMs': 0, 'configPath': cfg})
        uri = c.open(self.write('a.c', LEAKY), LEAKY)
        [d] = c.diagnostics(uri)['diagnostics']
        self.assertEqual(d['severity'], 3)


# Tree-sitter does not expand macros; clang does. LEAKY_BUILD comes from
# the compile database only.
MACRO = LEAKY.replace('#include <tether.h>\n', '#include <tether.h>\n\n#define START(f, a) tt_spawn(f, a)\n').replace(
    '    return tt_spawn(worker, ch);\n',
    '#ifdef LEAKY_BUILD\n    return START(worker, ch);\n#else\n    tt_chan_free(ch);\n    return 0;\n#endif\n')
MACRO_LINE = MACRO.split('\n').index('    return START(worker, ch);')


class FrontEnds(LspTest):
    def project(self, define):
        src = self.write('proj/m.c', MACRO)
        inc = os.path.join(lsptest.SOURCE_DIR, 'runtime', 'include')
        args = ['cc', '-std=c11', '-I' + inc] + (['-DLEAKY_BUILD'] if define else []) + ['-c', src]
        self.write('proj/build/compile_commands.json', json.dumps(
            [{'directory': os.path.join(self.tmp, 'proj'), 'file': src, 'arguments': args}]))
        return src

    def test_clang_on_save_with_compile_database(self):
        src = self.project(True)
        c = self.client({'debounceMs': 0})
        uri = c.open(src, MACRO)
        # open: clang with the database's -DLEAKY_BUILD sees the macro's spawn
        self.assertEqual(rules_of(c.diagnostics(uri, 1)), [('spawn-no-cancel', MACRO_LINE)])
        # typing: tree-sitter, which does not expand START
        text = MACRO.replace('int v;', 'int v = 0;')
        c.change(uri, 2, [{'text': text}])
        self.assertEqual(c.diagnostics(uri, 2)['diagnostics'], [])
        with open(src, 'w') as f:
            f.write(text)
        c.notify('textDocument/didSave', {'textDocument': {'uri': uri}})
        self.assertEqual(rules_of(c.diagnostics(uri, 2)), [('spawn-no-cancel', MACRO_LINE)])

    def test_without_the_define(self):
        src = self.project(False)
        c = self.client({'debounceMs': 0})
        uri = c.open(src, MACRO)
        self.assertEqual(c.diagnostics(uri, 1)['diagnostics'], [])

    def test_frontend_setting(self):
        src = self.project(True)
        c = self.client({'debounceMs': 0, 'frontend': 'tree-sitter'})
        uri = c.open(src, MACRO)
        self.assertEqual(c.diagnostics(uri, 1)['diagnostics'], [])
        c.notify('workspace/didChangeConfiguration', {'settings': {'tether': {'frontend': 'clang'}}})
        self.assertEqual(rules_of(c.diagnostics(uri, 1)), [('spawn-no-cancel', MACRO_LINE)])
        c.change(uri, 2, [edit(0, 0, 0, 0, '\n')])   # clang while typing too
        self.assertEqual(rules_of(c.diagnostics(uri, 2)), [('spawn-no-cancel', MACRO_LINE + 1)])


class Actions(LspTest):
    def actions(self, c, uri, line):
        return c.response(c.request('textDocument/codeAction', {
            'textDocument': {'uri': uri}, 'range': {'start': {'line': line, 'character': 0},
                                                    'end': {'line': line, 'character': 0}},
            'context': {'diagnostics': []}}))['result']

    def test_quick_fix_applies(self):
        with open(UNBUFFERED) as f:
            text = f.read()
        c = self.client()
        path = self.write('h.c', text)
        uri = c.open(path, text)
        [d] = c.diagnostics(uri, 1)['diagnostics']
        self.assertEqual(d['code'], 'unbuffered-send-no-fallback')
        acts = self.actions(c, uri, d['range']['start']['line'])
        fix = [a for a in acts if a.get('isPreferred')]
        self.assertEqual(len(fix), 1, acts)
        self.assertEqual(fix[0]['kind'], 'quickfix')
        self.assertIn('capacity 1', fix[0]['title'])
        self.assertEqual(fix[0]['diagnostics'][0]['code'], d['code'])
        fixed = apply_edits(text, fix[0]['edit']['changes'][uri])
        self.assertIn('tt_chan_new(sizeof(int), 1)', fixed)
        c.change(uri, 2, [{'text': fixed}])
        self.assertEqual(c.diagnostics(uri, 2)['diagnostics'], [])
        self.assertEqual(self.actions(c, uri, d['range']['start']['line']), [])

    def test_suppress_on_this_line(self):
        c = self.client()
        uri = c.open(self.write('a.c', LEAKY), LEAKY)
        c.diagnostics(uri, 1)
        acts = self.actions(c, uri, LEAK_LINE)
        [sup] = [a for a in acts if a['title'].startswith('suppress')]
        self.assertNotIn('isPreferred', sup)
        fixed = apply_edits(LEAKY, sup['edit']['changes'][uri])
        self.assertIn('return tt_spawn(worker, ch); // tether:ignore(spawn-no-cancel)', fixed)
        c.change(uri, 2, [{'text': fixed}])
        self.assertEqual(c.diagnostics(uri, 2)['diagnostics'], [])

    def test_suppress_joins_an_existing_list(self):
        text = LEAKY.replace('return tt_spawn(worker, ch);',
                             'return tt_spawn(worker, ch); // tether:ignore(wg-unbalanced) reason')
        c = self.client()
        uri = c.open(self.write('a.c', text), text)
        c.diagnostics(uri, 1)
        [sup] = [a for a in self.actions(c, uri, LEAK_LINE) if a['title'].startswith('suppress')]
        fixed = apply_edits(text, sup['edit']['changes'][uri])
        self.assertIn('// tether:ignore(wg-unbalanced,spawn-no-cancel) reason', fixed)
        c.change(uri, 2, [{'text': fixed}])
        self.assertEqual(c.diagnostics(uri, 2)['diagnostics'], [])

    def test_only_other_kinds(self):
        c = self.client()
        uri = c.open(self.write('a.c', LEAKY), LEAKY)
        c.diagnostics(uri, 1)
        r = c.response(c.request('textDocument/codeAction', {
            'textDocument': {'uri': uri}, 'range': {'start': {'line': LEAK_LINE, 'character': 0},
                                                    'end': {'line': LEAK_LINE, 'character': 0}},
            'context': {'diagnostics': [], 'only': ['refactor']}}))
        self.assertEqual(r['result'], [])

    def test_hover(self):
        c = self.client()
        uri = c.open(self.write('a.c', LEAKY), LEAKY)
        c.diagnostics(uri, 1)
        summary = subprocess.run([lsptest.TETHER, 'rules'], capture_output=True, text=True).stdout
        summary = [l for l in summary.splitlines() if l.startswith('spawn-no-cancel ')][0].split(None, 1)[1]
        r = c.response(c.request('textDocument/hover', {'textDocument': {'uri': uri},
                                                        'position': {'line': LEAK_LINE, 'character': LEAK_CHAR + 2}}))
        self.assertIn(summary, r['result']['contents']['value'])
        self.assertEqual(r['result']['contents']['kind'], 'markdown')
        r = c.response(c.request('textDocument/hover', {'textDocument': {'uri': uri},
                                                        'position': {'line': 1, 'character': 0}}))
        self.assertIsNone(r['result'])


if __name__ == '__main__':
    lsptest.main()
