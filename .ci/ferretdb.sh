#!/usr/bin/env bash
# Builds FerretDB 1.24.2 (once, cached) and starts it on 127.0.0.1 with its SQLite backend, for
# the MongoDB store contract suite. Prints only the MONGODB_URL on stdout (logs go to stderr), so
#   MONGODB_URL="$(bash .ci/ferretdb.sh)"
# Idempotent: a running instance started by this script is reused; the binary is cached in
# ${MINFLOW_CACHE:-~/.cache/minflow}/ferretdb. `bash .ci/ferretdb.sh stop` stops the instance.
#
# Why not `go install github.com/FerretDB/FerretDB/cmd/ferretdb@v1.24.2`: the module proxy here
# refuses the version-list lookup go install makes, and the module as published lacks
# build/version/version.txt, which FerretDB's init() requires (it panics without it). So we
# build from a throwaway module with a local replace of FerretDB that adds that file.
set -euo pipefail

VERSION=v1.24.2
CACHE="${MINFLOW_CACHE:-$HOME/.cache/minflow}/ferretdb"
BIN="$CACHE/ferretdb-$VERSION"
STATE="${FERRETDB_STATE_DIR:-$CACHE/state}"
PIDFILE="$STATE/ferretdb.pid"
PORTFILE="$STATE/ferretdb.port"
DB="${FERRETDB_DATABASE:-minflow}"

log() { printf '[ferretdb] %s\n' "$*" >&2; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

running_pid() {
  [ -f "$PIDFILE" ] || return 1
  local pid
  pid="$(cat "$PIDFILE")"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && grep -q ferretdb "/proc/$pid/cmdline" 2>/dev/null && echo "$pid"
}

if [ "${1:-}" = "stop" ]; then
  if pid="$(running_pid)"; then
    kill "$pid" && log "stopped (pid $pid)"
  else
    log "not running"
  fi
  rm -f "$PIDFILE" "$PORTFILE"
  exit 0
fi

build() {
  command -v go >/dev/null 2>&1 || { log "Go is required to build FerretDB"; exit 1; }
  local work="$CACHE/build"
  rm -rf "$work"
  mkdir -p "$work"
  log "building FerretDB $VERSION (first run only, about a minute)"
  (
    cd "$work"
    export GOFLAGS=-mod=mod
    cat >go.mod <<EOF
module minflow.local/ferretdb-build

go 1.24
EOF
    cat >tools.go <<'EOF'
//go:build tools

package tools

import _ "github.com/FerretDB/FerretDB/cmd/ferretdb"
EOF
    go mod download -x "github.com/FerretDB/FerretDB@$VERSION" >&2 2>/dev/null || true
    src="$(go mod download -json "github.com/FerretDB/FerretDB@$VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')"
    [ -d "$src" ] || { log "could not download github.com/FerretDB/FerretDB@$VERSION"; exit 1; }
    cp -r "$src" ferretdb-src
    chmod -R u+w ferretdb-src
    echo "$VERSION" >ferretdb-src/build/version/version.txt
    go mod edit -require="github.com/FerretDB/FerretDB@$VERSION" -replace=github.com/FerretDB/FerretDB=./ferretdb-src
    go mod tidy >&2
    go build -trimpath -o "$BIN.tmp" github.com/FerretDB/FerretDB/cmd/ferretdb >&2
  )
  mv "$BIN.tmp" "$BIN"
  rm -rf "$work"
  log "built $BIN"
}

if pid="$(running_pid)" && [ -f "$PORTFILE" ] && port_open "$(cat "$PORTFILE")"; then
  log "reusing running instance (pid $pid)"
  echo "mongodb://127.0.0.1:$(cat "$PORTFILE")/$DB"
  exit 0
fi

[ -x "$BIN" ] || build
"$BIN" --version >/dev/null 2>&1 || { log "cached binary is broken; rebuilding"; rm -f "$BIN"; build; }

port="${FERRETDB_PORT:-27017}"
for _ in $(seq 1 20); do
  port_open "$port" || break
  log "port $port is taken; trying $((port + 1))"
  port=$((port + 1))
done

# Test data is throwaway: a new instance starts empty.
rm -rf "$STATE/data"
mkdir -p "$STATE/data"
nohup "$BIN" \
  --listen-addr="127.0.0.1:$port" \
  --handler=sqlite \
  --sqlite-url="file:$STATE/data/" \
  --state-dir="$STATE" \
  --telemetry=disable \
  --log-level=warn \
  --debug-addr=- \
  >"$STATE/ferretdb.log" 2>&1 &
echo $! >"$PIDFILE"
echo "$port" >"$PORTFILE"

for _ in $(seq 1 100); do
  if port_open "$port"; then
    log "listening on 127.0.0.1:$port (pid $(cat "$PIDFILE"), data in $STATE/data, log $STATE/ferretdb.log)"
    echo "mongodb://127.0.0.1:$port/$DB"
    exit 0
  fi
  if ! kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then break; fi
  sleep 0.1
done
log "FerretDB did not start; its log:"
cat "$STATE/ferretdb.log" >&2
exit 1
