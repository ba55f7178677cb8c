#!/usr/bin/env bash
# A throwaway PostgreSQL for the storage tests: installs Debian's postgresql when its binaries are missing,
# creates a cluster in a temporary folder, starts it on a free loopback port, and writes the connection string to
# .test-output/postgres.conn (the tests read it there). 40-postgres.cleanup stops and removes it afterwards.
# With OKR_TEST_POSTGRES set (an existing server), nothing is started: the tests use that one.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="$root/.test-output"
mkdir -p "$out"

if [ -n "${OKR_TEST_POSTGRES:-}" ]; then
  echo "PostgreSQL: using OKR_TEST_POSTGRES"
  exit 0
fi

bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)"
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  echo "PostgreSQL: installing Debian's postgresql"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq postgresql >/dev/null
  bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)"
fi

# The server refuses to run as root: run it as the postgres user when we are root.
as_owner() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

# One cluster per checkout at a time: one that an interrupted run of this checkout left behind is stopped first
# (its record in .test-output is gone by now, so it is found by the checkout's tag in its folder's name).
tag="$(printf '%s' "$root" | md5sum | cut -c1-12)"
for stale in /tmp/okr-postgres."$tag".*; do
  [ -d "$stale" ] || continue
  if [ -f "$stale/data/postmaster.pid" ]; then as_owner "$bin/pg_ctl" -D "$stale/data" -m immediate -w stop >/dev/null 2>&1 || true; fi
  rm -rf "$stale"
done

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
port="${OKR_TEST_POSTGRES_PORT:-55432}"
while ! port_free "$port"; do port=$((port + 1)); done

dir="$(mktemp -d /tmp/okr-postgres."$tag".XXXXXX)"
echo "$dir" >"$out/postgres.dir"
if [ "$(id -u)" -eq 0 ]; then chown postgres: "$dir"; fi
# Trust on loopback only, a throwaway cluster: fsync is off because these tests kill service processes, never
# the database server, so its own durability is not what they check.
as_owner "$bin/initdb" -D "$dir/data" -U okr --auth=trust -E UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 \
  || { cat "$dir/initdb.log"; exit 1; }
as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null \
  || { cat "$dir/server.log"; exit 1; }
as_owner "$bin/psql" -h 127.0.0.1 -p "$port" -U okr -d postgres -qc "CREATE DATABASE okr" >/dev/null
echo "Host=127.0.0.1;Port=$port;Username=okr;Password=okr;Database=okr" >"$out/postgres.conn"
echo "PostgreSQL: $("$bin/postgres" --version) on 127.0.0.1:$port ($dir)"
