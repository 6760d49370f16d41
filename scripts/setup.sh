#!/usr/bin/env bash
# Installs what tether's build, tests (and, with --bench, benchmarks) need on
# Debian 12. Idempotent: prints nothing and changes nothing when all is there.
set -euo pipefail
cd "$(dirname "$0")/.."

pkgs=(build-essential cmake ninja-build pkg-config clang clang-tidy libclang-14-dev
      libclang-rt-14-dev llvm-14-dev libcmocka-dev libtree-sitter-dev libcjson-dev
      libyaml-dev python3 python3-jsonschema pre-commit git
      neovim emacs-nox elpa-eglot vim libfuzzer-14-dev)
# npm fetches the tree-sitter grammar; a Node.js from elsewhere is fine too.
command -v npm >/dev/null 2>&1 || pkgs+=(nodejs npm)
if [ "${1:-}" = "--bench" ]; then
  pkgs+=(golang-go hyperfine time)
fi

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The tree-sitter C grammar (ABI 14, matches Debian's libtree-sitter 0.20),
# fetched from the npm registry, compiled into the build, never committed.
ts_dir=third_party/tree-sitter-c
if [ ! -f "$ts_dir/src/parser.c" ]; then
  echo "setup: fetching tree-sitter-c@0.23.6 from npm"
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent tree-sitter-c@0.23.6 >/dev/null)
  mkdir -p "$ts_dir"
  tar -xzf "$tmp"/tree-sitter-c-0.23.6.tgz -C "$ts_dir" --strip-components=1
  rm -rf "$tmp"
fi

# The VS Code extension's build tools and client library (typescript,
# vscode-languageclient, @types/vscode, @vscode/vsce), pinned by
# editor/vscode/package-lock.json, into editor/vscode/node_modules (never
# committed); the editor tests type-check and package the extension.
vsc_dir=editor/vscode
if [ ! -x "$vsc_dir/node_modules/.bin/vsce" ] || [ ! -x "$vsc_dir/node_modules/.bin/tsc" ] ||
   [ "$vsc_dir/package-lock.json" -nt "$vsc_dir/node_modules/.package-lock.json" ]; then
  echo "setup: fetching the VS Code extension's npm packages"
  (cd "$vsc_dir" && npm ci --no-audit --no-fund --silent >/dev/null)
fi

# The SARIF 2.1.0 JSON schema, for the tests that validate tether's SARIF
# output: shipped by the npm package @microsoft/jest-sarif (its
# lib/schemas/sarif-2.1.0-rtm.5.json); never committed. The tests also use
# ../shared/schemas/sarif-schema-2.1.0.json (the OASIS errata) when present.
sarif_dir=third_party/sarif-schema
if [ ! -f "$sarif_dir/sarif-2.1.0-rtm.5.json" ]; then
  echo "setup: fetching the SARIF schema (@microsoft/jest-sarif@1.0.0-beta.0) from npm"
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent @microsoft/jest-sarif@1.0.0-beta.0 >/dev/null)
  mkdir -p "$sarif_dir"
  tar -xzf "$tmp"/microsoft-jest-sarif-1.0.0-beta.0.tgz -C "$tmp"
  cp "$tmp"/package/lib/schemas/sarif-2.1.0-rtm.5.json "$sarif_dir"/
  cp "$tmp"/package/package.json "$sarif_dir"/package.json
  rm -rf "$tmp"
fi
