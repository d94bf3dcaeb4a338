#!/usr/bin/env bash
# Load test of the national statistics dashboard (issue 7): GET /can-bo/thong-ke for a spread
# of months (every month of the database's history in rotation), signed in as a Working Group
# account, 32 connections on loopback, release build; /healthz measured in the same run.
# Usage: scripts/load-dashboard.sh DB_URL [DURATION] [FIRST_MONTH] [LAST_MONTH]
#   e.g. the reports benchmark's database (THUTUC_BENCH_DB=/tmp/reports.db cargo bench -p
#   thutuc-reports --bench reports), with 10 years of history: sqlite:///tmp/reports.db
# Needs wrk. Targets 127.0.0.1 only; bounded by DURATION.
set -euo pipefail
cd "$(dirname "$0")/.."
DB=${1:?database URL}
DUR=${2:-20s}
FIRST=${3:-2016-01}
LAST=${4:-2025-12}
PORT=${PORT:-8182}
BIN=target/release/thutuc
[ -x "$BIN" ] || cargo build --release -p thutuc
command -v wrk >/dev/null || { echo "install wrk (apt-get install wrk)"; exit 1; }
EMAIL=tai-thu@vpcp.gov.vn
PASS=tai-thu-bang-dieu-khien
ROOT=$("$BIN" --db "$DB" migrate >/dev/null 2>&1; sqlite3 "${DB#sqlite://}" "SELECT id FROM orgs WHERE parent IS NULL ORDER BY id LIMIT 1")
"$BIN" --db "$DB" user add --email "$EMAIL" --name "Tải thử" --org "$ROOT" --role oversight --password "$PASS" >/dev/null 2>&1 || true

"$BIN" --db "$DB" serve --listen 127.0.0.1:$PORT >/tmp/thutuc-dash.log 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT
for _ in $(seq 1 600); do curl -sf http://127.0.0.1:$PORT/healthz >/dev/null && break; sleep 0.5; done

# Sign in as a browser does: pre-session CSRF cookie, then the form.
# (On a large database the first job tick — statistics mirror, monthly edition — may hold the
# write lock for a while after start; retry until the sign-in goes through.)
JAR=$(mktemp)
SID=""
for _ in $(seq 1 60); do
  curl -s -c "$JAR" -o /dev/null http://127.0.0.1:$PORT/dang-nhap
  PRE=$(awk '$6 == "thutuc_csrf" {print $7}' "$JAR")
  curl -s -b "$JAR" -c "$JAR" -o /dev/null \
    --data-urlencode "_csrf=$PRE" --data-urlencode "email=$EMAIL" \
    --data-urlencode "password=$PASS" --data-urlencode "next=/can-bo" \
    http://127.0.0.1:$PORT/dang-nhap
  SID=$(awk '$6 == "thutuc_sid" {print $7}' "$JAR")
  [ -n "$SID" ] && break
  sleep 5
done
[ -n "$SID" ] || { echo "sign-in failed"; exit 1; }
test "$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: thutuc_sid=$SID" http://127.0.0.1:$PORT/can-bo/thong-ke?thang=$LAST)" = 200

MONTHS=$(python3 -c "
y,m=map(int,'$FIRST'.split('-')); Y,M=map(int,'$LAST'.split('-'))
out=[]
while (y,m)<=(Y,M):
    out.append(f'{y:04d}-{m:02d}'); m+=1
    if m>12: y,m=y+1,1
print(' '.join(out))")
LUA=$(mktemp --suffix=.lua)
{
  echo "months = {"; for m in $MONTHS; do echo "\"$m\","; done; echo "}"
  cat <<LUA
counter = 0
request = function()
  counter = counter + 1
  local m = months[(counter % #months) + 1]
  local basis = (counter % 2 == 0) and "signed" or "effective"
  return wrk.format("GET", "/can-bo/thong-ke?thang=" .. m .. "&ngay=" .. basis, {["Cookie"] = "thutuc_sid=$SID"})
end
LUA
} > "$LUA"
echo "months in rotation: $(echo $MONTHS | wc -w) × 2 date bases"
# Cold pages: every (month, basis) once, one at a time, as the first visitors after a change
# would see them (the figures are then kept until the data changes).
COLD=$(mktemp)
for m in $MONTHS; do
  for b in signed effective; do
    curl -s -o /dev/null -w '%{time_total}\n' -H "Cookie: thutuc_sid=$SID" \
      "http://127.0.0.1:$PORT/can-bo/thong-ke?thang=$m&ngay=$b" >> "$COLD"
  done
done
python3 - "$COLD" <<'PY'
import sys
t = sorted(float(x) * 1000 for x in open(sys.argv[1]))
q = lambda p: t[min(len(t) - 1, int(p * len(t)))]
print(f"cold pages (each computed once, sequential): n={len(t)} p50={q(.5):.1f} ms p90={q(.9):.1f} ms p99={q(.99):.1f} ms max={t[-1]:.1f} ms")
PY
echo "--- /healthz"
wrk -t2 -c32 -d"$DUR" --latency http://127.0.0.1:$PORT/healthz | tee /tmp/wrk-dash-health.txt
echo "--- /can-bo/thong-ke (32 connections, every (month, basis) in rotation, data unchanged)"
wrk -t2 -c32 -d"$DUR" --latency -s "$LUA" http://127.0.0.1:$PORT/ | tee /tmp/wrk-dash.txt
H=$(awk '/Requests\/sec/ {print $2}' /tmp/wrk-dash-health.txt)
P=$(awk '/Requests\/sec/ {print $2}' /tmp/wrk-dash.txt)
echo "ratio dashboard/healthz: $(python3 -c "print(f'{$P/$H:.3f}')")"
echo "server RSS: $(awk '/VmRSS/ {print $2/1024 " MB"}' /proc/$PID/status)"
