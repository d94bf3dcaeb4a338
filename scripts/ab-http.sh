#!/usr/bin/env bash
# Same-run A/B of two or more server binaries under one HTTP load (the machine's speed drifts,
# so only figures measured side by side are compared). Each binary serves the same database on
# its own port with its own on-disk index; wrk then runs against them in turn, ROUNDS times.
# Prints req/s, p50, p99 and the server's CPU per request (from /proc/PID/stat).
# Usage: scripts/ab-http.sh DB_URL WRK_LUA ROUNDS DURATION BIN [BIN ...]
# WRK_LUA: a wrk script of request paths, e.g. the search.lua or page.lua that
# scripts/load-search.sh writes into its temporary directory.
# Targets 127.0.0.1 only; bounded by ROUNDS × DURATION per binary.
set -euo pipefail
DB=$1; LUA=$2; ROUNDS=$3; DUR=$4; shift 4
command -v wrk >/dev/null || { echo "install wrk (apt-get install wrk)"; exit 1; }
WORK=$(mktemp -d /tmp/thutuc-ab.XXXX)
PIDS=(); PORTS=()
trap 'kill "${PIDS[@]}" 2>/dev/null || true' EXIT
port=8300
for bin in "$@"; do
  port=$((port + 1)); d=$WORK/$port; mkdir -p "$d"
  echo "search_dir = \"$d/index\"" > "$d/thutuc.toml"
  "$bin" --config "$d/thutuc.toml" --db "$DB" serve --listen 127.0.0.1:$port >"$d/server.log" 2>&1 &
  PIDS+=($!); PORTS+=($port)
done
for p in "${PORTS[@]}"; do
  for _ in $(seq 1 1200); do grep -q "search index built" "$WORK/$p/server.log" 2>/dev/null && break; sleep 0.5; done
  wrk -t2 -c64 -d3s -s "$LUA" http://127.0.0.1:$p/ >/dev/null   # warm-up
done
for r in $(seq 1 "$ROUNDS"); do
  for i in "${!PORTS[@]}"; do
    p=${PORTS[$i]}; pid=${PIDS[$i]}
    t0=$(awk '{print $14+$15}' /proc/$pid/stat)
    out=$(wrk -t2 -c64 -d"$DUR" --latency -s "$LUA" http://127.0.0.1:$p/)
    t1=$(awk '{print $14+$15}' /proc/$pid/stat)
    n=$(echo "$out" | awk '/requests in/ {print $1}')
    echo "round $r $(basename "${@:$((i+1)):1}"): $(echo "$out" | awk '/Requests\/sec/ {print $2}') req/s," \
      "p50 $(echo "$out" | awk '$1=="50%" {print $2}'), p99 $(echo "$out" | awk '$1=="99%" {print $2}')," \
      "$(python3 -c "print(round(($t1-$t0)*1000/100/$n,3))") ms CPU/request"
  done
done
