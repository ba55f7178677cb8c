#!/usr/bin/env bash
# Graphviz (okr render --format svg, and the test that DOT output parses), headless Chromium (the test
# that okr report's HTML opens and shows the tree) and curl (the REST/JSON leg of ThreeWaysTests). Quick when all
# are present; one apt-get update otherwise.
# Tests that need them skip with a reason when they are absent, so a failure here is reported, not fatal.
set -uo pipefail

missing=()
command -v dot >/dev/null 2>&1 || missing+=(graphviz)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v curl >/dev/null 2>&1 || missing+=(curl)
[ "${#missing[@]}" -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "tools missing (${missing[*]}) and cannot be installed here (needs root and apt-get): their tests will be skipped"
  exit 0
fi

export DEBIAN_FRONTEND=noninteractive
if ! apt-get update -qq || ! apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; then
  echo "installing ${missing[*]} failed: their tests will be skipped"
fi
exit 0
