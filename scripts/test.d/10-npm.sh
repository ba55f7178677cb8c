#!/usr/bin/env bash
# Installs the interop suite's pinned npm packages (@grpc/grpc-js, @grpc/proto-loader, @bufbuild/buf)
# from tests/interop/package-lock.json. Fast when node_modules already matches the lock.
set -euo pipefail
cd "$(dirname "$0")/../../tests/interop"
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "node and npm are required (Node 20+)"; exit 1
fi
stamp=node_modules/.installed-from-lock
want="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -x node_modules/.bin/buf ]; then
  echo "npm packages up to date"
  exit 0
fi
# `npm ci` refuses this lock: the registry copy we install from lacks @bufbuild/buf's binaries for
# other platforms (darwin, win32), so npm cannot record them and then calls the lock out of sync.
# `npm install` with exact versions in package.json and the committed lock installs the same tree; it also
# rewrites the lock without those platforms' entries, so the committed lock is put back afterwards (a green run
# must leave the checkout as it found it).
committed="$(mktemp)"
cp package-lock.json "$committed"
trap 'cp "$committed" package-lock.json; rm -f "$committed"' EXIT
npm install --no-audit --no-fund --loglevel=error
echo "$want" > "$stamp"
