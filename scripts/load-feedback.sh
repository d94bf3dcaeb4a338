#!/usr/bin/env bash
# Intake load test of feedback (issue 9) on SQLite, loopback only, bounded in time:
#  1. 60 s of POST /api/v1/feedback with wrk (default 2 threads, 32 connections): accepted/s;
#  2. a second run during which the server is killed with SIGKILL after 8 s; then every
#     acknowledged tracking code (HTTP 201 received by wrk) is looked up in the database:
#     none may be missing.
# Usage: scripts/load-feedback.sh   (env: THUTUC_BIN, DURATION=60, CONNECTIONS=32, THREADS=2)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="${THUTUC_BIN:-target/release/thutuc}"
DURATION="${DURATION:-60}"
CONNECTIONS="${CONNECTIONS:-32}"
THREADS="${THREADS:-2}"
command -v wrk >/dev/null || { echo "wrk is required (apt-get install wrk)"; exit 1; }
command -v sqlite3 >/dev/null || { echo "sqlite3 is required (apt-get install sqlite3)"; exit 1; }
[ -x "$BIN" ] || cargo build --release -p thutuc
WORK="$(mktemp -d)"
DB="$WORK/load.db"
PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
URL="http://127.0.0.1:$PORT"
SERVER_PID=""
cleanup() { [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null || true; }
trap cleanup EXIT

echo "== building the demo database in $DB"
"$BIN" demo --db "sqlite://$DB" --no-serve >"$WORK/demo.log" 2>&1

start_server() {
  THUTUC_FEEDBACK_PER_IP_PER_MIN=100000000 THUTUC_FEEDBACK_PER_CONTACT_PER_HOUR=100000000 \
  THUTUC_FEEDBACK_RECEIVER=BTP RUST_LOG=warn \
    "$BIN" serve --db "sqlite://$DB" --listen "127.0.0.1:$PORT" >>"$WORK/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 100); do
    curl -fsS "$URL/healthz" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  echo "server did not start"; cat "$WORK/server.log"; exit 1
}

# Every request has a unique phone number; every 201 appends its tracking code to a per-thread file.
cat >"$WORK/post.lua" <<LUA
local counter = 0
local tid = 0
local acks = nil
local threads = {}
function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end
function init(args)
  acks = io.open("$WORK/acks-" .. tid .. "-" .. (args[1] or "x") .. ".txt", "a")
end
function request()
  counter = counter + 1
  local phone = string.format("09%d%07d", tid, counter % 10000000)
  local body = '{"sender_name":"Người thử tải ' .. counter .. '","sender_address":"Hà Nội","sender_phone":"' .. phone ..
    '","content":"Thủ tục đăng ký khai sinh yêu cầu bản sao sổ hộ khẩu đã bị bãi bỏ, lần ' .. tid .. '-' .. counter .. '."}'
  return wrk.format("POST", "/api/v1/feedback", {["Content-Type"] = "application/json"}, body)
end
function response(status, headers, body)
  if status == 201 then
    local code = string.match(body, '"tracking_code":"([^"]+)"')
    if code then acks:write(code, "\n"); acks:flush() end
  end
end
LUA

count_rows() { sqlite3 "$DB" "SELECT COUNT(*) FROM feedback_items WHERE channel = 'api'"; }

echo "== run 1: ${DURATION}s sustained"
start_server
BEFORE=$(count_rows)
wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --timeout 10s -s "$WORK/post.lua" "$URL" -- run1 | tee "$WORK/run1.txt"
AFTER=$(count_rows)
ACKED1=$(cat "$WORK"/acks-*-run1.txt | wc -l)
echo "acknowledged: $ACKED1; stored: $((AFTER - BEFORE)); accepted/s: $(python3 -c "print(round($ACKED1 / $DURATION, 1))")"

echo "== run 2: kill -9 the server after 8 s of load"
wrk -t"$THREADS" -c"$CONNECTIONS" -d20s --timeout 2s -s "$WORK/post.lua" "$URL" -- run2 >"$WORK/run2.txt" 2>&1 &
WRK_PID=$!
sleep 8
kill -9 "$SERVER_PID"
SERVER_PID=""
wait "$WRK_PID" || true
cat "$WORK"/acks-*-run2.txt | tr -d '-' | sort -u >"$WORK/acked2.txt"
ACKED2=$(wc -l <"$WORK/acked2.txt")
sqlite3 "$DB" "SELECT tracking_code FROM feedback_items" | sort -u >"$WORK/stored.txt"
MISSING=$(comm -23 "$WORK/acked2.txt" "$WORK/stored.txt" | wc -l)
echo "acknowledged before the kill: $ACKED2; missing after restart: $MISSING"
[ "$MISSING" -eq 0 ] || { echo "LOST ACKNOWLEDGED SUBMISSIONS"; exit 1; }
echo "OK: no acknowledged submission lost"
