"""A scripted LSP client for tests and benchmarks: starts `tether lsp`,
frames and sends messages (whole, split or joined), and reads the server's
messages on a thread, so a test can wait for the one it expects."""
import json
import os
import queue
import subprocess
import threading
import time


def frame(obj):
    """One message as bytes on the wire."""
    body = json.dumps(obj).encode('utf-8') if not isinstance(obj, bytes) else obj
    return b'Content-Length: %d\r\n\r\n' % len(body) + body


class Client:
    def __init__(self, tether, args=(), cwd=None, env=None):
        full_env = dict(os.environ)
        full_env.update(env or {})
        self.proc = subprocess.Popen([tether, 'lsp', *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, cwd=cwd, env=full_env)
        self.messages = queue.Queue()
        self.seen = []          # every message read, in order
        self.stderr = []
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=self._read_err, daemon=True).start()

    # ---- reading ----
    def _read(self):
        out = self.proc.stdout
        while True:
            headers = {}
            while True:
                line = out.readline()
                if not line:
                    self.messages.put(None)
                    return
                line = line.strip()
                if not line:
                    break
                k, _, v = line.decode('ascii').partition(':')
                headers[k.strip().lower()] = v.strip()
            n = int(headers['content-length'])
            body = out.read(n)
            msg = json.loads(body.decode('utf-8'))
            msg['_t'] = time.monotonic()
            self.messages.put(msg)

    def _read_err(self):
        for line in self.proc.stderr:
            self.stderr.append(line.decode('utf-8', 'replace'))

    def wait_for(self, pred, timeout=30, what='a message'):
        """The first message (not yet taken) for which pred is true; the
        others read meanwhile are kept in self.seen."""
        end = time.monotonic() + timeout
        for m in self.seen:
            if not m.get('_taken') and pred(m):
                m['_taken'] = True
                return m
        while True:
            left = end - time.monotonic()
            if left <= 0:
                raise AssertionError('timed out waiting for %s; read: %s; stderr: %s'
                                     % (what, json.dumps([_strip(m) for m in self.seen[-8:]])[:3000],
                                        ''.join(self.stderr)[-2000:]))
            try:
                m = self.messages.get(timeout=left)
            except queue.Empty:
                continue
            if m is None:
                raise AssertionError('server closed its output while waiting for %s; stderr: %s'
                                     % (what, ''.join(self.stderr)[-2000:]))
            self.seen.append(m)
            if pred(m):
                m['_taken'] = True
                return m

    def wait_stderr(self, pred, what, timeout=10):
        """Waits until pred(all of stderr so far) holds."""
        end = time.monotonic() + timeout
        while not pred(''.join(self.stderr)):
            if time.monotonic() > end:
                raise AssertionError('timed out waiting for %s on stderr: %s' % (what, ''.join(self.stderr)[-2000:]))
            time.sleep(0.02)

    def response(self, id, timeout=30):
        return self.wait_for(lambda m: m.get('id') == id and 'method' not in m, timeout, 'response %r' % id)

    def diagnostics(self, uri, version=None, timeout=30):
        def ok(m):
            return (m.get('method') == 'textDocument/publishDiagnostics' and m['params']['uri'] == uri
                    and (version is None or m['params'].get('version') == version))
        return self.wait_for(ok, timeout, 'diagnostics of %s version %s' % (uri, version))['params']

    def quiet(self, seconds):
        """The messages that arrive within seconds."""
        got = []
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            try:
                m = self.messages.get(timeout=max(0.01, end - time.monotonic()))
            except queue.Empty:
                break
            if m is None:
                break
            self.seen.append(m)
            got.append(m)
        return got

    # ---- writing ----
    def raw(self, data):
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def send(self, obj):
        self.raw(frame(obj))

    def request(self, method, params=None):
        self.next_id += 1
        msg = {'jsonrpc': '2.0', 'id': self.next_id, 'method': method}
        if params is not None:
            msg['params'] = params
        self.send(msg)
        return self.next_id

    def notify(self, method, params=None):
        msg = {'jsonrpc': '2.0', 'method': method}
        if params is not None:
            msg['params'] = params
        self.send(msg)

    def initialize(self, options=None, root=None, pid=None, capabilities=None):
        id = self.request('initialize', {
            'processId': pid if pid is not None else os.getpid(),
            'rootUri': 'file://' + root if root else None,
            'capabilities': capabilities or {},
            'initializationOptions': options or {},
        })
        r = self.response(id)
        self.notify('initialized', {})
        return r

    def open(self, path, text, version=1):
        uri = 'file://' + os.path.abspath(path)
        self.notify('textDocument/didOpen', {'textDocument': {
            'uri': uri, 'languageId': 'c', 'version': version, 'text': text}})
        return uri

    def change(self, uri, version, changes):
        self.notify('textDocument/didChange', {'textDocument': {'uri': uri, 'version': version},
                                               'contentChanges': changes})

    def shutdown(self, timeout=30):
        id = self.request('shutdown')
        self.response(id, timeout)
        self.notify('exit')
        return self.proc.wait(timeout)

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        for f in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            try:
                f.close()
            except (OSError, ValueError):
                pass

    def rss_kib(self):
        with open('/proc/%d/status' % self.proc.pid) as f:
            for line in f:
                if line.startswith('VmRSS:'):
                    return int(line.split()[1])
        return 0


def _strip(m):
    return {k: v for k, v in m.items() if not k.startswith('_')}


def edit(l0, c0, l1, c1, text):
    """An incremental change."""
    return {'range': {'start': {'line': l0, 'character': c0}, 'end': {'line': l1, 'character': c1}},
            'text': text}
