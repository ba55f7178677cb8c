#!/usr/bin/env bash
# buf lint (STANDARD rules, buf.yaml at the repo root) on our own protos; fails the run on any finding.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
buf="$root/tests/interop/node_modules/.bin/buf"
[ -x "$buf" ] || { echo "buf not installed (scripts/test.d/10-npm.sh installs it)"; exit 1; }
cd "$root"
"$buf" lint
echo "buf lint: clean"
