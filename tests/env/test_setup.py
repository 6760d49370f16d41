#!/usr/bin/env python3
"""scripts/setup.sh in hostile environments: the npm fetch of the grammar
failing (no connection, a TLS-inspecting proxy, registry errors, Ctrl-C)
and apt-get's noise and failures. Each case runs a copy of setup.sh in a
scratch project with its own TMPDIR and HOME, and checks what the user
sees, the exit status, and that no temporary file or folder is left.

npm is the real one, pointed at a local registry (never the network);
dpkg-query, apt-get and sudo are fakes on PATH.
Usage: test_setup.py SOURCE_DIR"""
import base64
import hashlib
import http.server
import io
import json
import os
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tarfile
import tempfile
import threading
import urllib.parse
import time
import unittest

SOURCE_DIR = None
HERE = os.path.dirname(os.path.abspath(__file__))
TLS = os.path.join(HERE, 'tls')
VERSION = '0.23.6'
PARSER_C = b'/* tree-sitter-c parser.c, as served by the test registry */\n'


SARIF_SPEC = '@microsoft/jest-sarif'
SARIF_VERSION = '1.0.0-beta.0'
SCHEMA = b'{"title": "a SARIF schema, as served by the test registry"}\n'


def package_tgz(name, version, files):
    """A tiny stand-in for an npm package: its package.json and files."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode='w:gz') as tar:
        for path, data in [('package.json', json.dumps({'name': name, 'version': version}).encode())] + files:
            info = tarfile.TarInfo('package/' + path)
            info.size = len(data)
            info.mode = 0o644
            tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


# What setup.sh fetches: name -> (version, files)
PACKAGES = {
    'tree-sitter-c': (VERSION, [('src/parser.c', PARSER_C)]),
    SARIF_SPEC: (SARIF_VERSION, [('lib/schemas/sarif-2.1.0-rtm.5.json', SCHEMA)]),
}


class Registry:
    """A local npm registry: serves the packages, or fails with an HTTP status."""

    def __init__(self, status=200, tls=False):
        self.tgz = {name: package_tgz(name, v, files) for name, (v, files) in PACKAGES.items()}
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                path = urllib.parse.unquote(self.path).strip('/')
                if status != 200:
                    self.reply(status, b'{"error":"test registry says no"}')
                elif path in outer.tgz:
                    self.reply(200, json.dumps(outer.packument(path)).encode())
                elif path.endswith('.tgz') and path.split('/-/')[0] in outer.tgz:
                    self.reply(200, outer.tgz[path.split('/-/')[0]], 'application/octet-stream')
                else:
                    self.reply(404, b'{"error":"not found"}')

            def reply(self, code, body, ctype='application/json'):
                self.send_response(code)
                self.send_header('Content-Type', ctype)
                self.send_header('Content-Length', str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), Handler)
        if tls:
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(os.path.join(TLS, 'server-chain.pem'), os.path.join(TLS, 'server.key'))
            self.server.socket = ctx.wrap_socket(self.server.socket, server_side=True)
        self.url = '%s://127.0.0.1:%d/' % ('https' if tls else 'http', self.server.server_address[1])
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def packument(self, name):
        tgz = self.tgz[name]
        version = PACKAGES[name][0]
        sha1 = hashlib.sha1(tgz).hexdigest()
        sha512 = base64.b64encode(hashlib.sha512(tgz).digest()).decode()
        base = name.split('/')[-1]
        return {'name': name, 'dist-tags': {'latest': version},
                'versions': {version: {'name': name, 'version': version,
                                       'dist': {'tarball': '%s%s/-/%s-%s.tgz' % (self.url, name, base, version),
                                                'shasum': sha1, 'integrity': 'sha512-' + sha512}}}}

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def closed_port_url():
    """A local URL where nothing listens: connections are refused, as offline."""
    s = socket.socket()
    s.bind(('127.0.0.1', 0))
    port = s.getsockname()[1]
    s.close()
    return 'http://127.0.0.1:%d/' % port


FAKE_DPKG_QUERY = '''#!/bin/sh
# dpkg-query -W -f=FORMAT PACKAGE: everything is installed but $MISSING_PKG
for last; do :; done
if [ "$last" = "${MISSING_PKG:-}" ]; then exit 1; fi
printf 'install ok installed'
'''

FAKE_APT_GET = '''#!/bin/sh
echo "apt-get $*" >> "$APT_LOG"
echo "debconf: delaying package configuration, since apt-utils is not installed" >&2
echo "WARNING: apt does not have a stable CLI interface. Use with caution in scripts." >&2
echo "" >&2
echo "Reading package lists..."
case "$*" in
  *install*)
    if [ -n "${APT_FAIL:-}" ]; then
      echo "E: Unable to locate package $MISSING_PKG" >&2
      exit 100
    fi
    echo "debconf: unable to initialize frontend: Dialog" >&2
    echo "dpkg-preconfigure: unable to re-open stdin: No such file or directory" >&2
    echo "Setting up $MISSING_PKG ...";;
esac
exit 0
'''

FAKE_SUDO = '''#!/bin/sh
exec env "$@"
'''

FAKE_SLOW_NPM = '''#!/bin/sh
# npm pack that hangs (a stalled download) until interrupted.
touch "$NPM_STARTED"
exec sleep 60
'''


class Setup(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix='tether-env-')
        self.proj = os.path.join(self.dir, 'proj')
        os.makedirs(os.path.join(self.proj, 'scripts'))
        shutil.copy(os.path.join(SOURCE_DIR, 'scripts', 'setup.sh'), os.path.join(self.proj, 'scripts'))
        self.tmpdir = os.path.join(self.dir, 'tmp')
        self.bin = os.path.join(self.dir, 'bin')
        self.home = os.path.join(self.dir, 'home')
        for d in (self.tmpdir, self.bin, self.home):
            os.makedirs(d)
        self.apt_log = os.path.join(self.dir, 'apt.log')
        self.fake('dpkg-query', FAKE_DPKG_QUERY)
        self.fake('apt-get', FAKE_APT_GET)
        self.fake('sudo', FAKE_SUDO)
        env = {k: v for k, v in os.environ.items()
               if not k.lower().startswith(('npm_config_', 'http_proxy', 'https_proxy', 'all_proxy'))}
        env.update({
            'PATH': self.bin + os.pathsep + env.get('PATH', '/usr/bin:/bin'),
            'TMPDIR': self.tmpdir,
            'HOME': self.home,                    # npm's cache, logs and user config
            'NO_PROXY': '127.0.0.1,localhost',
            'npm_config_update_notifier': 'false',
            'npm_config_globalconfig': os.path.join(self.home, 'no-global-npmrc'),
            'APT_LOG': self.apt_log,
            'NPM_STARTED': os.path.join(self.dir, 'npm-started'),
        })
        env.pop('NODE_EXTRA_CA_CERTS', None)
        self.env = env
        self.registry = None

    def tearDown(self):
        if self.registry:
            self.registry.close()
        shutil.rmtree(self.dir, ignore_errors=True)

    def fake(self, name, text):
        path = os.path.join(self.bin, name)
        with open(path, 'w') as f:
            f.write(text)
        os.chmod(path, 0o755)

    def need_npm(self):
        if not shutil.which('npm'):
            self.skipTest('npm is not installed (scripts/setup.sh installs it)')

    def have_grammar(self):
        """Everything setup.sh fetches from npm is there already."""
        for name, (_, files) in PACKAGES.items():
            folder = 'tree-sitter-c' if name == 'tree-sitter-c' else 'sarif-schema'
            for path, _ in files:
                full = os.path.join(self.proj, 'third_party', folder, path)
                os.makedirs(os.path.dirname(full), exist_ok=True)
                with open(full, 'w') as f:
                    f.write('/* present */\n')

    def run_setup(self, timeout=120, **env):
        e = dict(self.env)
        e.update(env)
        t0 = time.monotonic()
        p = subprocess.run(['bash', os.path.join(self.proj, 'scripts', 'setup.sh')], env=e,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=timeout)
        self.elapsed = time.monotonic() - t0
        return p.returncode, p.stdout.decode(errors='replace')

    def assert_no_leftovers(self, out):
        self.assertEqual(os.listdir(self.tmpdir), [], 'temporary files left behind\n' + out)
        tp = os.path.join(self.proj, 'third_party')
        if os.path.isdir(tp):
            self.assertEqual([n for n in os.listdir(tp) if n not in ('tree-sitter-c', 'sarif-schema')], [], out)

    def assert_fetch_failed(self, rc, out):
        self.assertEqual(rc, 1, out)
        self.assertIn('setup: fetching the tree-sitter C grammar (tree-sitter-c@%s) from npm' % VERSION, out)
        self.assertIn('setup: could not fetch tree-sitter-c@%s from the npm registry' % VERSION, out)
        self.assertIn('Then run the same command again', out)
        self.assertNotRegex(out, r'(?m)^npm (error|ERR!) +at ', 'a JavaScript stack trace\n' + out)
        self.assertFalse(os.path.exists(os.path.join(self.proj, 'third_party', 'tree-sitter-c')), out)
        self.assertLess(self.elapsed, 45, 'npm retried for too long\n' + out)
        self.assert_no_leftovers(out)

    # ---- npm ---------------------------------------------------------------
    def test_fetch_succeeds_and_leaves_nothing_behind(self):
        self.need_npm()
        self.registry = Registry()
        rc, out = self.run_setup(npm_config_registry=self.registry.url)
        self.assertEqual(rc, 0, out)
        self.assertEqual(out, 'setup: fetching the tree-sitter C grammar (tree-sitter-c@%s) from npm\n'
                              'setup: fetching the SARIF schema (%s@%s) from npm\n' % (VERSION, SARIF_SPEC, SARIF_VERSION))
        with open(os.path.join(self.proj, 'third_party', 'tree-sitter-c', 'src', 'parser.c'), 'rb') as f:
            self.assertEqual(f.read(), PARSER_C)
        with open(os.path.join(self.proj, 'third_party', 'sarif-schema', 'lib', 'schemas',
                               'sarif-2.1.0-rtm.5.json'), 'rb') as f:
            self.assertEqual(f.read(), SCHEMA)
        self.assert_no_leftovers(out)
        # Idempotent: a second run prints nothing and fetches nothing.
        self.registry.close()
        self.registry = None
        rc, out = self.run_setup(npm_config_registry=closed_port_url())
        self.assertEqual((rc, out), (0, ''))

    def test_offline(self):
        self.need_npm()
        rc, out = self.run_setup(npm_config_registry=closed_port_url())
        self.assert_fetch_failed(rc, out)
        self.assertRegex(out, r'npm (error|ERR!) code ECONNREFUSED')  # npm's own error
        self.assertIn('No connection to the registry', out)
        self.assertIn('npm config set proxy http://HOST:PORT', out)
        self.assertIn('npm config set https-proxy', out)
        self.assertIn('npm config set cafile', out)

    def test_tls_inspecting_proxy_then_cafile(self):
        self.need_npm()
        self.registry = Registry(tls=True)
        rc, out = self.run_setup(npm_config_registry=self.registry.url)
        self.assert_fetch_failed(rc, out)
        self.assertRegex(out, r'npm (error|ERR!) code SELF_SIGNED_CERT_IN_CHAIN')
        self.assertIn('a proxy or firewall that inspects', out)
        self.assertIn('npm config set cafile /path/to/ca.pem', out)
        # The hint works: with the proxy's CA as cafile, the fetch succeeds.
        rc, out = self.run_setup(npm_config_registry=self.registry.url,
                                 npm_config_cafile=os.path.join(TLS, 'ca.pem'))
        self.assertEqual(rc, 0, out)
        self.assertTrue(os.path.isfile(os.path.join(self.proj, 'third_party', 'tree-sitter-c', 'src', 'parser.c')))
        self.assert_no_leftovers(out)

    def test_registry_errors(self):
        self.need_npm()
        for status in (404, 503):
            with self.subTest(status=status):
                self.registry = Registry(status=status)
                rc, out = self.run_setup(npm_config_registry=self.registry.url)
                self.assert_fetch_failed(rc, out)
                self.assertRegex(out, r'npm (error|ERR!) code E%d' % status)
                self.assertIn('The registry answered with an error (HTTP %d)' % status, out)
                self.assertIn('npm config get registry', out)
                self.registry.close()
                self.registry = None

    def test_npm_missing(self):
        # PATH without npm: only the fakes and the basic tools setup.sh uses.
        tools = os.path.join(self.dir, 'tools')
        os.makedirs(tools)
        for t in ('bash', 'sh', 'env', 'id', 'grep', 'sed', 'head', 'mktemp', 'rm', 'mkdir', 'dirname',
                  'tar', 'mv', 'cat', 'sleep', 'touch'):
            w = shutil.which(t)
            if w:
                os.symlink(w, os.path.join(tools, t))
        rc, out = self.run_setup(PATH=self.bin + os.pathsep + tools)
        self.assertEqual(rc, 1, out)
        self.assertIn('setup: npm not found: install Node.js and npm', out)
        self.assert_no_leftovers(out)

    def test_interrupted_fetch_leaves_nothing_behind(self):
        self.fake('npm', FAKE_SLOW_NPM)
        p = subprocess.Popen(['bash', os.path.join(self.proj, 'scripts', 'setup.sh')], env=self.env,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 30
        while not os.path.exists(self.env['NPM_STARTED']) and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertTrue(os.path.exists(self.env['NPM_STARTED']), 'npm never started')
        self.assertNotEqual(os.listdir(self.tmpdir), [])  # the fetch's folder exists now
        os.killpg(p.pid, signal.SIGINT)  # Ctrl-C: the whole foreground process group
        out = p.communicate(timeout=30)[0].decode(errors='replace')
        self.assertEqual(p.returncode, 130, out)
        self.assert_no_leftovers(out)

    # ---- apt ---------------------------------------------------------------
    def test_apt_noise_stays_out(self):
        self.have_grammar()
        rc, out = self.run_setup(MISSING_PKG='libcmocka-dev')
        self.assertEqual(rc, 0, out)
        self.assertEqual(out, 'setup: installing libcmocka-dev\n')
        with open(self.apt_log) as f:
            calls = f.read()
        self.assertIn('apt-get update -qq', calls)
        self.assertIn('apt-get install -y -qq --no-install-recommends libcmocka-dev', calls)
        self.assert_no_leftovers(out)

    def test_apt_failure_shows_its_error(self):
        self.have_grammar()
        rc, out = self.run_setup(MISSING_PKG='libcmocka-dev', APT_FAIL='1')
        self.assertEqual(rc, 1, out)
        self.assertIn('E: Unable to locate package libcmocka-dev', out)
        self.assertIn('setup: could not install libcmocka-dev with apt-get', out)
        self.assertNotIn('debconf', out)
        self.assertNotIn('stable CLI', out)
        self.assert_no_leftovers(out)

    def test_nothing_to_do_prints_nothing(self):
        self.have_grammar()
        rc, out = self.run_setup()
        self.assertEqual((rc, out), (0, ''))
        self.assertFalse(os.path.exists(self.apt_log))


if __name__ == '__main__':
    SOURCE_DIR = os.path.abspath(sys.argv[1])
    unittest.main(argv=[sys.argv[0], '-v'] + sys.argv[2:])
