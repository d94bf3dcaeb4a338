#!/usr/bin/env bash
# The reports benchmark on PostgreSQL (issue 7): copies the SQLite benchmark's generated data
# (500,003 change entries over 10 years; `THUTUC_BENCH_DB=/tmp/reports.db cargo bench -p
# thutuc-reports --bench reports` makes it) into a fresh PostgreSQL database, then runs
# examples/pg_monthly.rs: first build of the statistics mirror, monthly reports, 12-month trend.
# Usage: scripts/bench-reports-pg.sh [SQLITE_FILE] [PG_ADMIN_URL]
# Needs sqlite3 and psql; targets 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "$0")/.."
SRC=${1:-/tmp/reports.db}
ADMIN=${2:-postgres://postgres@127.0.0.1:5432/postgres}
DB=thutuc_reports_bench
URL="${ADMIN%/*}/$DB"
[ -f "$SRC" ] || { echo "no $SRC: run the SQLite benchmark with THUTUC_BENCH_DB=$SRC first"; exit 1; }
psql "$ADMIN" -qc "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
cargo build --release -p thutuc
cargo build --release -p thutuc-reports --example pg_monthly
target/release/thutuc --db "$URL" migrate >/dev/null
t0=$(date +%s)
for t in orgs procedures procedure_versions decisions decision_entries; do
  cols=$(sqlite3 "$SRC" "SELECT group_concat(name, ', ') FROM pragma_table_info('$t')")
  # Through a staging table: `migrate` already seeded reference organisations (kept as they are).
  sqlite3 -csv "$SRC" "SELECT $cols FROM $t" | psql "$URL" -q \
    -c "CREATE TEMP TABLE staging AS SELECT $cols FROM $t LIMIT 0" \
    -c "\\copy staging ($cols) FROM STDIN WITH (FORMAT csv)" \
    -c "INSERT INTO $t ($cols) SELECT $cols FROM staging ON CONFLICT DO NOTHING"
done
psql "$URL" -qc "ANALYZE"
echo "copied in $(( $(date +%s) - t0 )) s: $(psql "$URL" -Atc 'SELECT COUNT(*) FROM decision_entries') entries"
target/release/examples/pg_monthly "$URL"
