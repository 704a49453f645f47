#!/usr/bin/env bash
# The IOC's nightly batch, for cron or a systemd timer (e.g. `0 2 * * * /opt/iocdesk/nightly.sh`):
#   1. merge the day's duplicates into the open report they repeat (same category, 250 m, 7 days);
#   2. verify and forward the obvious: reports whose suggested category is at least 95% sure,
#      routed to the category's agencies (the rest wait for a person);
#   3. write yesterday's digital report as Markdown and CSV.
# Works on the embedded store (IOCDESK_DATA_DIR) or a server (IOCDESK_REMOTE + IOCDESK_TOKEN).
# Exit status: 0 done, 4 when an officer changed some report meanwhile (they are left alone).
set -euo pipefail
out=${IOCDESK_REPORT_DIR:-/var/lib/iocdesk/reports}
iocdesk=${IOCDESK:-iocdesk}
mkdir -p "$out"
day=$(TZ=Asia/Ho_Chi_Minh date -d yesterday +%F)
status=0

"$iocdesk" triage --status new --older-than 30m --merge-duplicates --yes --output ndjson \
  >"$out/$day-merged.ndjson" || status=$?
"$iocdesk" triage --status new --older-than 30m --auto --min-confidence 0.95 --yes --output ndjson \
  >"$out/$day-auto.ndjson" || status=$?
"$iocdesk" report daily --date "$day" --format md >"$out/$day.md"
"$iocdesk" report daily --date "$day" --format csv >"$out/$day.csv"

echo "nightly $day: $(grep -c '"changed"' "$out/$day-merged.ndjson" || true) merged," \
  "$(grep -c '"changed"' "$out/$day-auto.ndjson" || true) routed automatically; report in $out/$day.md" >&2
exit "$status"
