#!/usr/bin/env bash
# Two (or more) builds of Gordo side by side in one run, on the same bench models and request files:
# 100x10 anomaly at 64 connections (3 x 10 s), 10 000 x 20 anomaly over Parquet (3 x 10 s), the cold
# first request of 1 000 targets with RSS and threads after, and /metrics scrape time with 2 000 model
# label values. Each TREE is a checkout (e.g. `git worktree add /tmp/before <commit>`); its api/ is built here.
#
#   BENCH_WORK=/tmp/benchwork bench/compare.sh /tmp/before .
set -euo pipefail
cd "$(dirname "$0")/.."
work=${BENCH_WORK:-$(mktemp -d "${TMPDIR:-/tmp}/gordo-compare.XXXXXX")}
port=${BENCH_PORT:-5583}
root=$(pwd)
dotnet build bench/Gordo.Bench.csproj -c Release --nologo -v quiet >/dev/null
bench() { dotnet "$root/bench/bin/Release/net10.0/gordo-bench.dll" "$@"; }
rev=$work/models/1700000000000
[ -d "$rev/bench-10-0999" ] || bench models --output "$rev" --copies 1000 >&2
payload() { [ -f "$work/$1.body" ] || bench payload --model "$rev/$2" --rows "$3" --format "$4" --out "$work/$1.body" > "$work/$1.type"; }
payload json-100-10 bench-10 100 json
payload json-1-10 bench-10 1 json
payload parquet-10k-20 bench-20 10000 parquet
url=http://127.0.0.1:$port
pid=
start() {
  MODEL_COLLECTION_DIR=$rev GORDO_SERVER_HOST=127.0.0.1 GORDO_SERVER_PORT=$port dotnet "$1/api/bin/Release/net10.0/gordo-server.dll" > "$work/compare-server.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 100); do curl -sf "$url/healthcheck" >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "gordo-server of $1 did not start; see $work/compare-server.log" >&2; exit 1
}
stop() { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; }
trap stop EXIT
for tree in "$@"; do
  tree=$(cd "$tree" && pwd)
  (cd "$tree" && dotnet build api/Gordo.Api.csproj -c Release --nologo -v quiet >/dev/null)
  name="$(basename "$tree") ($(git -C "$tree" rev-parse --short HEAD))"
  start "$tree"
  for _ in 1 2 3; do
    bench load --label "$name: anomaly 100x10, 64 connections" --url "$url" --path /gordo/v0/bench/bench-10/anomaly/prediction --targets bench-10 \
      --body "$work/json-100-10.body" --content-type application/json --connections 64 --duration 10 --warmup 5 --metrics /metrics --pid "$pid" 2>&1 | tail -n 1
  done
  for _ in 1 2 3; do
    bench load --label "$name: anomaly 10000x20 Parquet" --url "$url" --path "/gordo/v0/bench/bench-20/anomaly/prediction?format=parquet" --targets bench-20 \
      --body "$work/parquet-10k-20.body" --content-type "$(cat "$work/parquet-10k-20.type")" --connections 1 --duration 10 --warmup 3 --metrics /metrics --pid "$pid" 2>&1 | tail -n 1
  done
  stop
  start "$tree"
  bench load --label warm-up --url "$url" --path /gordo/v0/bench/bench-10/anomaly/prediction --targets bench-10 --body "$work/json-100-10.body" --duration 5 --warmup 0 >/dev/null 2>&1
  bench load --label "$name: cold first request, 1000 targets" --url "$url" --path "/gordo/v0/bench/{target}/anomaly/prediction" --target-prefix bench-10- \
    --target-count 1000 --requests 1000 --warmup 0 --connections 1 --body "$work/json-1-10.body" --content-type application/json --metrics /metrics --pid "$pid" 2>&1 | tail -n 1
  echo "$name: 1000 models loaded: RSS $(awk '/^VmRSS/ { print int($2 / 1024) }' "/proc/$pid/status") MiB, $(ls "/proc/$pid/task" | wc -l) threads"
  for i in $(seq 0 1999); do printf 'url = "%s/gordo/v0/p/label-%d/metadata"\noutput = /dev/null\n' "$url" "$i"; done > "$work/labels.curl"
  curl -s -K "$work/labels.curl" >/dev/null 2>&1 || true
  for _ in 1 2 3 4 5; do curl -s -o /dev/null "$url/metrics"; done
  scrapes() { for _ in $(seq 1 21); do curl -s -o /dev/null -w '%{time_total}\n' "$url/metrics"; done | sort -n; }
  times=$(scrapes)
  series=$(curl -s "$url/metrics" | grep -c '^gordo_server_requests_total')
  echo "$name: /metrics with $series request series, scrapes 6-26: median $(echo "$times" | sed -n 11p) s, max $(echo "$times" | tail -n 1) s"
  # The serializer's methods reach tier-1 JIT only after some 100 scrapes (the 2-core box compiles in
  # the background); a server scraped every 15 s is past that within the hour.
  for _ in $(seq 1 150); do curl -s -o /dev/null "$url/metrics"; done
  times=$(scrapes)
  echo "$name: /metrics with $series request series, after 175 scrapes: median $(echo "$times" | sed -n 11p) s, max $(echo "$times" | tail -n 1) s"
  stop
done
