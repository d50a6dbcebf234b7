#!/usr/bin/env bash
# The graph benchmark of issue 4, ours and the peers', in one session on one machine.
#
#   bench/run_graph.sh            # 1M events; results in $WORK/results, a summary on stdout
#   EVENTS=200000 bench/run_graph.sh
#
# 1. generates the dataset: python3 ../shared/bench/gen_events.py --events $EVENTS --out $WORK/data
# 2. imports it into SQLite and into PostgreSQL (`diplograph import --format bench`), timing it
#    and measuring the database size;
# 3. runs the in-process read benchmark (crates/graph/benches/graph.rs) on both: start-up load
#    (projection, rollups, timelines), RSS after load, median/p99 of ties(USA), ties(IRN), the
#    newest 100 events of the top person, the monthly USA–CHN series, a 2-hop neighborhood
#    count, a path of at most 4 hops and PageRank;
# 4. runs the peers on the same data: ../shared/bench/bench_pg.py (PostgreSQL 15: COPY, indexes,
#    rollups, SQL queries) and ../shared/bench/bench_networkx.py (PageRank, 2-hop, path).
#
# PostgreSQL: the local cluster, as scripts/test prepares it (role diplograph_test, password
# diplograph_test, CREATEDB); each run drops and recreates the databases dg_bench_graph and
# dg_bench_peer. Python needs `psycopg[binary]`, `networkx` and `scipy`.
set -euo pipefail
cd "$(dirname "$0")/.."

EVENTS="${EVENTS:-1000000}"
WORK="${WORK:-/tmp/diplograph-bench-$EVENTS}"
SHARED="${SHARED:-../shared/bench}"
BATCH="${BATCH:-50000}"
RUNS="${RUNS:-200}"
PG_HOST="${PG_HOST:-127.0.0.1}"
PG_PORT="${PG_PORT:-5432}"
PG_USER="${PG_USER:-diplograph_test}"
PG_PASSWORD="${PG_PASSWORD:-diplograph_test}"
# sslmode=disable: with TLS, sqlx (which does not set TCP_NODELAY) stalls on Nagle's algorithm
# for every large statement; a local benchmark has no use for TLS.
PG_URL="postgres://$PG_USER:$PG_PASSWORD@$PG_HOST:$PG_PORT/dg_bench_graph?sslmode=disable"
export PGPASSWORD="$PG_PASSWORD"

say() { printf '[run_graph] %s\n' "$*" >&2; }
psql_admin() { psql -X -q -v ON_ERROR_STOP=1 -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres "$@"; }

mkdir -p "$WORK/results"
say "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB RAM, load $(cut -d' ' -f1-3 /proc/loadavg)"

say "building (release)"
cargo build --release --locked --bin diplograph >&2
BENCH_BIN="$(cargo bench --locked -p diplograph-graph --bench graph --no-run --message-format=json 2>/dev/null \
    | python3 -c 'import json,sys
for l in sys.stdin:
    m = json.loads(l)
    if m.get("reason") == "compiler-artifact" and m.get("target", {}).get("name") == "graph" and m.get("executable"):
        print(m["executable"])')"
DIPLOGRAPH="target/release/diplograph"

if [[ ! -f "$WORK/data/params.json" ]]; then
    say "generating $EVENTS events"
    python3 "$SHARED/gen_events.py" --events "$EVENTS" --out "$WORK/data" >&2
fi

# import BACKEND URL: times the import into $WORK/results/import-BACKEND.txt
import() {
    local backend=$1 url=$2
    say "importing into $backend"
    /usr/bin/time -f "%e %M" -o "$WORK/results/import-$backend.time" \
        "$DIPLOGRAPH" --database-url "$url" import --format bench --batch "$BATCH" --progress log "$WORK/data" \
        2> "$WORK/results/import-$backend.log"
    grep -E "events.csv:|import finished" "$WORK/results/import-$backend.log" | sed 's/^.*INFO [^ ]* //' >&2
}

# SQLite
rm -f "$WORK/bench.db" "$WORK/bench.db-wal" "$WORK/bench.db-shm"
SQLITE_URL="sqlite://$WORK/bench.db?mode=rwc"
import sqlite "$SQLITE_URL"
sqlite3_size=$(du -cb "$WORK"/bench.db* | tail -1 | cut -f1)
echo "$sqlite3_size" > "$WORK/results/size-sqlite.bytes"

# PostgreSQL
psql_admin -c "drop database if exists dg_bench_graph" -c "create database dg_bench_graph"
import postgres "$PG_URL"
psql -X -At -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d dg_bench_graph \
    -c "select pg_database_size(current_database())" > "$WORK/results/size-postgres.bytes"

for backend in sqlite postgres; do
    url="$SQLITE_URL"
    [[ $backend == postgres ]] && url="$PG_URL"
    say "reads on $backend ($RUNS runs per query)"
    "$BENCH_BIN" --database-url "$url" --data "$WORK/data" --runs "$RUNS" \
        --out "$WORK/results/graph-$backend.json" > /dev/null
done

say "peer: bench_pg.py"
python3 "$SHARED/bench_pg.py" --data "$WORK/data" \
    --dsn "host=$PG_HOST port=$PG_PORT user=$PG_USER password=$PG_PASSWORD dbname=postgres" \
    --db dg_bench_peer --out "$WORK/results/peer-pg.json" > /dev/null
say "peer: bench_networkx.py"
python3 "$SHARED/bench_networkx.py" --data "$WORK/data" --out "$WORK/results/peer-networkx.json" > /dev/null

python3 bench/summarize_graph.py "$WORK/results"
