#!/usr/bin/env bash
# HTTP load test of search (issues 5 and 6): GET /api/v1/procedures?q=… and the search page
# GET /tim-kiem?q=… over a spread of distinct
# queries vs /healthz, 64 connections on loopback, release build; then the in-process search
# throughput over the same on-disk index, the same queries and the same thread count
# (examples/throughput.rs), and the HTTP / in-process ratio.
# Usage: scripts/load-search.sh [DB_URL] [DURATION] [THREADS]
# The database is generated at 100,000 procedures when it is a missing SQLite file.
# Needs wrk (Debian package `wrk`). Targets 127.0.0.1 only; bounded by DURATION.
set -euo pipefail
cd "$(dirname "$0")/.."
DB=${1:-sqlite://thutuc-data/search-100k.db}
DUR=${2:-10s}
THREADS=${3:-2}
PORT=${PORT:-8182}
CONNS=${CONNS:-64}
T=${CARGO_TARGET_DIR:-target}
BIN=$T/release/thutuc
[ -x "$BIN" ] || cargo build --release -p thutuc
cargo build --release -p thutuc-search --example throughput
command -v wrk >/dev/null || { echo "install wrk (apt-get install wrk)"; exit 1; }

FILE=${DB#sqlite://}
if [[ "$DB" == sqlite://* && ! -e "$FILE" ]]; then
  mkdir -p "$(dirname "$FILE")"
  "$BIN" --db "$DB" migrate >/dev/null 2>&1 || true
  "$BIN" --db "$DB" dev generate --procedures 100000 --localisations 5000 --versions 2000 --decisions 40
fi

IDX=$(mktemp -d /tmp/thutuc-search-load.XXXX)
cat > "$IDX/thutuc.toml" <<TOML
search_dir = "$IDX/index"
TOML
THUTUC_SEARCH_THREADS=${THUTUC_SEARCH_THREADS:-1} "$BIN" --config "$IDX/thutuc.toml" --db "$DB" serve --listen 127.0.0.1:$PORT >"$IDX/server.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT
for _ in $(seq 1 900); do curl -sf http://127.0.0.1:$PORT/healthz >/dev/null && break; sleep 0.2; done
# The index is rebuilt at start (in the background): wait until the server says it is built,
# so that neither the build's CPU nor a partial index is measured.
for _ in $(seq 1 1200); do
  grep -q "search index built" "$IDX/server.log" 2>/dev/null && break; sleep 0.5
done
grep "search index built" "$IDX/server.log" | tail -n 1

# 2,000 distinct queries: 2–4-word phrases of real names (half without diacritics), 10 % codes.
python3 - "$PORT" "$IDX" <<'PY'
import json, random, sys, unicodedata, urllib.parse, urllib.request
port, out = sys.argv[1], sys.argv[2]
items = []
for off in range(0, 4000, 500):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/procedures?limit=500&offset={off}") as r:
        items += json.load(r)["items"]
def fold(s):
    s = s.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", s) if not unicodedata.combining(c)).lower()
rng = random.Random(7407)
qs = set()
while len(qs) < 2000:
    it = rng.choice(items)
    if rng.random() < 0.1:
        qs.add(it["code"]); continue
    w = it["name"].split()
    n = 2 + rng.randrange(3)
    s = rng.randrange(max(1, len(w) - n))
    p = " ".join(w[s:s + n])
    qs.add(fold(p) if rng.random() < 0.5 else p)
qs = sorted(qs)
open(f"{out}/queries.txt", "w").write("\n".join(qs) + "\n")
with open(f"{out}/search.lua", "w") as f:
    f.write("paths = {\n")
    for q in qs:
        f.write('"/api/v1/procedures?q=%s",\n' % urllib.parse.quote(q))
    f.write("}\ncounter = 0\nrequest = function()\n  counter = counter + 1\n"
            "  return wrk.format(\"GET\", paths[(counter % #paths) + 1])\nend\n")
PY
echo "queries: $(wc -l < "$IDX/queries.txt") distinct; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
wrk -t2 -c$CONNS -d3s -s "$IDX/search.lua" http://127.0.0.1:$PORT/ >/dev/null
echo "--- /healthz"
wrk -t2 -c$CONNS -d"$DUR" --latency http://127.0.0.1:$PORT/healthz | tee "$IDX/wrk-health.txt"
echo "--- /api/v1/procedures?q=… ($CONNS connections)"
wrk -t2 -c$CONNS -d"$DUR" --latency -s "$IDX/search.lua" http://127.0.0.1:$PORT/ | tee "$IDX/wrk-search.txt"
# The search page (issue 6): the same queries through the HTML page.
sed 's#"/api/v1/procedures?q=#"/tim-kiem?q=#' "$IDX/search.lua" > "$IDX/page.lua"
echo "--- /tim-kiem?q=… search page ($CONNS connections)"
wrk -t2 -c$CONNS -d"$DUR" --latency -s "$IDX/page.lua" http://127.0.0.1:$PORT/ | tee "$IDX/wrk-page.txt"
echo "server RSS: $(awk '/VmRSS/ {print $2/1024 " MB"}' /proc/$PID/status)  (peak $(awk '/VmHWM/ {print $2/1024 " MB"}' /proc/$PID/status))"
kill $PID; wait $PID 2>/dev/null || true
echo "--- in-process, $THREADS threads, same index and queries"
SECS=${DUR%s}
"$T/release/examples/throughput" "$IDX/index/127_0_0_1_$PORT" "$IDX/queries.txt" "$THREADS" "$SECS" 20 | tee "$IDX/inprocess.txt"
H=$(awk '/Requests\/sec/ {print $2}' "$IDX/wrk-health.txt")
S=$(awk '/Requests\/sec/ {print $2}' "$IDX/wrk-search.txt")
I=$(sed -n 's/.*inprocess_qps=\([0-9.]*\).*/\1/p' "$IDX/inprocess.txt")
G=$(awk '/Requests\/sec/ {print $2}' "$IDX/wrk-page.txt")
echo "ratio search/healthz: $(python3 -c "print(f'{$S/$H:.3f}')")"
echo "ratio search page / search API: $(python3 -c "print(f'{$G/$S:.2f}')") (target ≥ 0.5)"
echo "ratio HTTP search / in-process search ($THREADS threads): $(python3 -c "print(f'{$S/$I:.2f}')")"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
rm -rf "$IDX/index"
