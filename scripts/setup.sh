#!/usr/bin/env bash
# Installs what tether's build, tests (and, with --bench, benchmarks) need on
# Debian 12. Idempotent: prints nothing and changes nothing when all is there.
# When something cannot be installed or fetched it says what failed, shows
# the tool's own error, and how to fix it; it leaves no temporary files.
set -euo pipefail
cd "$(dirname "$0")/.."

# Temporary files and folders, removed however the script ends.
tmp_paths=()
cleanup() { if [ ${#tmp_paths[@]} -gt 0 ]; then rm -rf "${tmp_paths[@]}"; fi; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

pkgs=(build-essential cmake ninja-build pkg-config clang clang-tidy libclang-14-dev
      libclang-rt-14-dev llvm-14-dev libcmocka-dev libtree-sitter-dev libcjson-dev
      libyaml-dev python3 python3-jsonschema pre-commit git
      neovim emacs-nox elpa-eglot vim libfuzzer-14-dev)
# npm fetches the tree-sitter grammar; a Node.js from elsewhere is fine too.
command -v npm >/dev/null 2>&1 || pkgs+=(nodejs npm)
if [ "${1:-}" = "--bench" ]; then
  pkgs+=(golang-go hyperfine time)
fi

# apt's harmless noise: debconf on images without apt-utils or a terminal,
# and apt's warning about its command line. Everything else is shown.
apt_noise='^(debconf: |dpkg-preconfigure: unable to re-open stdin|WARNING: apt does not have a stable CLI interface|$)'

run_apt() { # run_apt COMMAND...: stdout dropped, stderr shown without the noise
  local err status=0
  err=$(mktemp "${TMPDIR:-/tmp}/tether-setup-apt.XXXXXX")
  tmp_paths+=("$err")
  DEBIAN_FRONTEND=noninteractive "$@" >/dev/null 2>"$err" || status=$?
  grep -v -E "$apt_noise" "$err" >&2 || true
  return "$status"
}

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo DEBIAN_FRONTEND=noninteractive)
  if ! run_apt "${sudo_cmd[@]}" apt-get update -qq ||
     ! run_apt "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"; then
    echo "setup: could not install ${missing[*]} with apt-get (its error is above)." >&2
    echo "  Install them yourself, then run the same command again." >&2
    exit 1
  fi
fi

# The tree-sitter C grammar (ABI 14, matches Debian's libtree-sitter 0.20),
# fetched from the npm registry, compiled into the build, never committed.
ts_version=0.23.6
ts_dir=third_party/tree-sitter-c

npm_hint() { # npm_hint SPEC NPM_STDERR_FILE: what to do about npm's failure
  local spec=$1 code registry
  code=$(sed -n -E 's/^npm (error|ERR!) code ([A-Za-z0-9_]+).*/\2/p' "$2" | head -n 1)
  registry=$(npm config get registry 2>/dev/null || true)
  echo "setup: could not fetch $spec from the npm registry${registry:+ $registry}${code:+ ($code)}."
  case "$code" in
    *CERT* | *SELF_SIGNED* | *TLS* | *SSL*)
      echo "  npm does not trust the certificate it was shown: a proxy or firewall that inspects"
      echo "  TLS presents its own. Give npm your organisation's CA certificate (PEM file):"
      echo "    npm config set cafile /path/to/ca.pem      (or: export NODE_EXTRA_CA_CERTS=/path/to/ca.pem)"
      ;;
    E[0-9]*)
      echo "  The registry answered with an error (HTTP ${code#E}). If it is a mirror, check that it"
      echo "  serves $spec (npm config get registry); if it is down, retry later."
      ;;
    *)
      echo "  No connection to the registry: this machine is offline, or behind a proxy npm does"
      echo "  not know about. Behind a proxy:"
      echo "    npm config set proxy http://HOST:PORT && npm config set https-proxy http://HOST:PORT"
      echo "  If the proxy inspects TLS, also: npm config set cafile /path/to/ca.pem"
      ;;
  esac
  echo "  Then run the same command again: setup fetches only what is missing."
  echo "  Without network access: run 'npm pack $spec' on a machine with it, and unpack the"
  echo "  .tgz here the way scripts/setup.sh does."
}

# npm_fetch SPEC WHAT DEST: the npm package SPEC unpacked into the folder
# DEST (replaced whole: unpacked next to it, then renamed, so never a
# half-filled folder). WHAT says what it is for.
npm_fetch() {
  local spec=$1 what=$2 dest=$3 tmp unpack
  echo "setup: fetching $what ($spec) from npm"
  if ! command -v npm >/dev/null 2>&1; then
    echo "setup: npm not found: install Node.js and npm (apt-get install npm), then run the same command again." >&2
    exit 1
  fi
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/tether-setup.XXXXXX")
  tmp_paths+=("$tmp")
  # npm's defaults retry an unreachable registry silently for over a
  # minute; fail within seconds instead, but leave room for slow links.
  if ! (cd "$tmp" && npm pack "$spec" --loglevel=error --fetch-retries=1 \
          --fetch-retry-mintimeout=2000 --fetch-retry-maxtimeout=10000 --fetch-timeout=120000 \
          >/dev/null 2>npm-stderr); then
    # npm's own error, without the JavaScript stack trace.
    grep -v -E '^npm (error|ERR!) +at ' "$tmp/npm-stderr" >&2 || true
    npm_hint "$spec" "$tmp/npm-stderr" >&2
    exit 1
  fi
  mkdir -p "$(dirname "$dest")"
  unpack=$(mktemp -d "$dest.tmp.XXXXXX")
  tmp_paths+=("$unpack")
  tar -xzf "$tmp"/*.tgz -C "$unpack" --strip-components=1
  rm -rf "$dest"
  mv "$unpack" "$dest"
}

[ -f "$ts_dir/src/parser.c" ] || npm_fetch "tree-sitter-c@$ts_version" "the tree-sitter C grammar" "$ts_dir"

# The VS Code extension's build tools and client library (typescript,
# vscode-languageclient, @types/vscode, @vscode/vsce), pinned by
# editor/vscode/package-lock.json, into editor/vscode/node_modules (never
# committed); the editor tests type-check and package the extension.
vsc_dir=editor/vscode
if [ -f "$vsc_dir/package-lock.json" ] &&
   { [ ! -x "$vsc_dir/node_modules/.bin/vsce" ] || [ ! -x "$vsc_dir/node_modules/.bin/tsc" ] ||
     [ "$vsc_dir/package-lock.json" -nt "$vsc_dir/node_modules/.package-lock.json" ]; }; then
  echo "setup: fetching the VS Code extension's npm packages"
  tmp=$(mktemp -d)
  tmp_paths+=("$tmp")
  if ! (cd "$vsc_dir" && npm ci --no-audit --no-fund --loglevel=error --fetch-retries=1 \
          --fetch-retry-mintimeout=2000 --fetch-retry-maxtimeout=10000 --fetch-timeout=120000 \
          >/dev/null 2>"$tmp/npm-stderr"); then
    grep -v -E '^npm (error|ERR!) +at ' "$tmp/npm-stderr" >&2 || true
    npm_hint "the packages of $vsc_dir/package-lock.json" "$tmp/npm-stderr" >&2
    exit 1
  fi
fi

# The SARIF 2.1.0 JSON schema, for the tests that validate tether's SARIF
# output: shipped by the npm package @microsoft/jest-sarif (its
# lib/schemas/sarif-2.1.0-rtm.5.json); never committed. The tests also use
# ../shared/schemas/sarif-schema-2.1.0.json (the OASIS errata) when present.
sarif_dir=third_party/sarif-schema
[ -f "$sarif_dir/lib/schemas/sarif-2.1.0-rtm.5.json" ] ||
  npm_fetch "@microsoft/jest-sarif@1.0.0-beta.0" "the SARIF schema" "$sarif_dir"
