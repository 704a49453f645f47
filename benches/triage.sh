#!/usr/bin/env bash
# Batch triage speed: `triage --verify --forward` over N matching reports (default 100,000) on the
# local store, with the peak memory of the run.   bash benches/triage.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-100000}
cargo build --release --quiet
BIN=$PWD/target/release/iocdesk
W=$(mktemp -d /tmp/iocdesk-bench.XXXXXX); trap 'rm -rf "$W"' EXIT
export IOCDESK_CONFIG_DIR=$W/config
python3 - "$W/new.ndjson" "$N" <<'PY'
import json, sys
cats = ["waste", "drainage", "roads", "street_lighting", "urban_order"]
with open(sys.argv[1], "w") as f:
    for i in range(int(sys.argv[2])):
        f.write(json.dumps({"text": f"Phản ánh số {i}: rác tồn đọng ở kiệt {i % 90} Lê Lợi", "lat": 16.46 + (i % 100) * 1e-4,
                            "lon": 107.59, "category": cats[i % 5]}, ensure_ascii=False) + "\n")
PY
$BIN --data-dir $W/s -q import $W/new.ndjson
start=$(date +%s.%N)
/usr/bin/time -f "%M" -o $W/rss $BIN --data-dir $W/s triage --status new --verify --forward hepco --yes --output ndjson >$W/out.ndjson
end=$(date +%s.%N)
n=$(wc -l <$W/out.ndjson)
secs=$(echo "$end - $start" | bc)
echo "triage --verify --forward over $n reports: ${secs}s, $(echo "$n / $secs" | bc) reports/s, peak RSS $(( $(cat $W/rss) / 1024 )) MiB"
