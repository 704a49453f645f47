#!/usr/bin/env bash
# Import and seed speed on 1,000,000 demo reports, against the sqlite3 shell in the same run.
#   bash benches/import.sh [N]     (needs sqlite3; builds the release binary; RUNS=5 import pairs)
# Prints: seed time; export; `iocdesk import` time vs `sqlite3 .import` of the same rows as CSV
# into a plain table; the queue-page latency and the desk's figures on the seeded store.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000000}
cargo build --release --quiet --example queue_latency --example desk_bench
cargo build --release --quiet
BIN=target/release/iocdesk
W=$(mktemp -d /tmp/iocdesk-bench.XXXXXX); trap 'rm -rf "$W"' EXIT
export IOCDESK_CONFIG_DIR=$W/config
t() { local s=$(date +%s.%N); "$@"; echo "$(date +%s.%N) - $s" | bc; }
seed=$(t $BIN --data-dir $W/seeded -q demo seed --reports $N --seed 1 --until 2026-11-20)
echo "demo seed --reports $N: ${seed}s"
$BIN --data-dir $W/seeded export --format ndjson >$W/r.ndjson
$BIN --data-dir $W/seeded export --format csv >$W/r.csv
# The two imports alternate RUNS times, each into a new file after `sync`, so that neither pays
# for writing back the other's pages (the machine is shared, and its disk at times far slower:
# one pair alone says little).
RUNS=${RUNS:-5}
ratios=()
for i in $(seq "$RUNS"); do
  rm -rf "$W/imported" "$W/plain.sqlite3"; sync
  imp=$(t $BIN --data-dir $W/imported -q import $W/r.ndjson)
  sync
  sq=$(t sqlite3 $W/plain.sqlite3 ".mode csv" ".import $W/r.csv reports")
  r=$(echo "scale=2; $imp / $sq" | bc)
  ratios+=("$r")
  echo "import of $N reports, run $i: iocdesk ${imp}s, sqlite3 .import ${sq}s, ratio $r"
done
echo "import ratio, median of $RUNS: $(printf '%s\n' "${ratios[@]}" | sort -n | sed -n "$(( (RUNS + 1) / 2 ))p")"
target/release/examples/queue_latency $W/seeded 300
target/release/examples/desk_bench $W/seeded
