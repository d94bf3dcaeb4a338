#!/usr/bin/env bash
# HTTP load test (issues 2 and 6): /healthz, GET /api/v1/procedures/{code} and the public
# procedure page GET /thu-tuc/{code} (HTML) over a spread of codes, 64 connections on loopback,
# release build, measured in the same run.
# Usage: scripts/load-http.sh [DB_URL] [DURATION]
# Needs wrk (Debian package `wrk`). Targets 127.0.0.1 only; bounded by DURATION.
set -euo pipefail
cd "$(dirname "$0")/.."
DB=${1:-sqlite://thutuc-data/demo.db}
DUR=${2:-10s}
PORT=${PORT:-8181}
BIN=target/release/thutuc
[ -x "$BIN" ] || cargo build --release -p thutuc
command -v wrk >/dev/null || { echo "install wrk (apt-get install wrk)"; exit 1; }

"$BIN" serve --db "$DB" --listen 127.0.0.1:$PORT >/tmp/thutuc-load.log 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -sf http://127.0.0.1:$PORT/healthz >/dev/null && break; sleep 0.2; done
# The search index is rebuilt in the background at start: measure after it (it takes both cores).
for _ in $(seq 1 600); do grep -q "search index built" /tmp/thutuc-load.log && break; sleep 0.5; done

# A spread of real codes from the database (first 2,000 in list order).
CODES=$(curl -s "http://127.0.0.1:$PORT/api/v1/procedures?limit=500&offset=0" | python3 -c 'import sys,json; print(" ".join(i["code"] for i in json.load(sys.stdin)["items"]))')
for off in 500 1000 1500; do
  CODES="$CODES $(curl -s "http://127.0.0.1:$PORT/api/v1/procedures?limit=500&offset=$off" | python3 -c 'import sys,json; print(" ".join(i["code"] for i in json.load(sys.stdin)["items"]))')"
done
LUA=$(mktemp --suffix=.lua)
{
  echo "codes = {"; for c in $CODES; do echo "\"$c\","; done; echo "}"
  cat <<'LUA'
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", "/api/v1/procedures/" .. codes[(counter % #codes) + 1])
end
LUA
} > "$LUA"
PAGE_LUA=$(mktemp --suffix=.lua)
sed 's#"/api/v1/procedures/"#"/thu-tuc/"#' "$LUA" > "$PAGE_LUA"
echo "codes in rotation: $(echo $CODES | wc -w)"
# Warm-up, then measure both endpoints in the same run.
wrk -t2 -c64 -d3s -s "$LUA" http://127.0.0.1:$PORT/ >/dev/null
echo "--- /healthz"
wrk -t2 -c64 -d"$DUR" --latency http://127.0.0.1:$PORT/healthz | tee /tmp/wrk-health.txt
echo "--- /api/v1/procedures/{code}"
wrk -t2 -c64 -d"$DUR" --latency -s "$LUA" http://127.0.0.1:$PORT/ | tee /tmp/wrk-proc.txt
echo "--- /thu-tuc/{code} (HTML page)"
wrk -t2 -c64 -d3s -s "$PAGE_LUA" http://127.0.0.1:$PORT/ >/dev/null
wrk -t2 -c64 -d"$DUR" --latency -s "$PAGE_LUA" http://127.0.0.1:$PORT/ | tee /tmp/wrk-page.txt
H=$(awk '/Requests\/sec/ {print $2}' /tmp/wrk-health.txt)
P=$(awk '/Requests\/sec/ {print $2}' /tmp/wrk-proc.txt)
G=$(awk '/Requests\/sec/ {print $2}' /tmp/wrk-page.txt)
echo "ratio procedure API/healthz: $(python3 -c "print(f'{$P/$H:.2f}')")"
echo "ratio procedure page/healthz: $(python3 -c "print(f'{$G/$H:.2f}')") (target ≥ 0.25)"
echo "server RSS: $(awk '/VmRSS/ {print $2/1024 " MB"}' /proc/$PID/status)  (peak $(awk '/VmHWM/ {print $2/1024 " MB"}' /proc/$PID/status))"
