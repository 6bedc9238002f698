#!/usr/bin/env bash
# Gordo's benchmarks, end to end, from a clean clone: builds Release, trains the bench models, starts a
# gordo-server on loopback, drives it with gordo-bench from a second process, and prints a markdown
# table (copy it into docs/performance.md with the machine it ran on).
#
#   bench/run.sh [SECTION ...]     sections: transport (default: all)
#
# Environment: BENCH_WORK (scratch directory, default a new temp dir), BENCH_PORT (5571),
# BENCH_DURATION (seconds per load, 10), BENCH_REPEATS (repetitions of each load, 3; the table shows the median).
set -euo pipefail
cd "$(dirname "$0")/.."

sections=("$@")
[ ${#sections[@]} -gt 0 ] || sections=(transport)
work=${BENCH_WORK:-$(mktemp -d "${TMPDIR:-/tmp}/gordo-bench.XXXXXX")}
mkdir -p "$work"
port=${BENCH_PORT:-5571}
duration=${BENCH_DURATION:-10}
repeats=${BENCH_REPEATS:-3}
url=http://127.0.0.1:$port
results=$work/results.jsonl
: > "$results"

echo "Building (Release)..." >&2
dotnet build api/Gordo.Api.csproj -c Release --nologo -v quiet >/dev/null
dotnet build bench/Gordo.Bench.csproj -c Release --nologo -v quiet >/dev/null
bench() { dotnet bench/bin/Release/net10.0/gordo-bench.dll "$@"; }

revision=$work/models/1700000000000
if [ ! -d "$revision/bench-20" ]; then
  echo "Training the bench models..." >&2
  bench models --output "$revision" --copies 1000 >&2
fi

server_pid=
stop_server() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid"
    wait "$server_pid" 2>/dev/null || true
  fi
  server_pid=
}
trap stop_server EXIT

# start_server [extra environment assignments...]: one co-hosted silo on $port.
start_server() {
  stop_server
  env MODEL_COLLECTION_DIR="$revision" GORDO_SERVER_HOST=127.0.0.1 GORDO_SERVER_PORT="$port" "$@" \
    dotnet api/bin/Release/net10.0/gordo-server.dll >"$work/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 100); do
    curl -sf "$url/healthcheck" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "gordo-server did not start; see $work/server.log" >&2
  exit 1
}

# payload NAME MODEL ROWS FORMAT: writes $work/NAME.body and $work/NAME.type.
payload() {
  [ -f "$work/$1.body" ] || bench payload --model "$revision/$2" --rows "$3" --format "$4" --out "$work/$1.body" > "$work/$1.type"
}

# load LABEL PAYLOAD TARGET-OPTIONS... [gordo-bench load options]: repeated $repeats times, results appended.
load() {
  local label=$1 body=$2
  shift 2
  for _ in $(seq 1 "$repeats"); do
    bench load --label "$label" --url "$url" --body "$work/$body.body" --content-type "$(cat "$work/$body.type")" \
      --metrics /metrics --duration "$duration" --json "$results" "$@" >&2
  done
}

for section in "${sections[@]}"; do
  case "$section" in
    transport)
      # The gordo client's batches: 100 000 rows x 20 tags, JSON against Parquet (multipart X/y), one at a time.
      payload json-100k-20 bench-20 100000 json
      payload parquet-100k-20 bench-20 100000 parquet
      payload parquet-10k-20 bench-20 10000 parquet
      payload json-10k-20 bench-20 10000 json
      start_server
      path=/gordo/v0/bench/bench-20/anomaly/prediction
      load "anomaly 100000x20 JSON in, JSON out" json-100k-20 --path "$path" --targets bench-20 --connections 1 --warmup 5
      load "anomaly 100000x20 Parquet in, JSON out" parquet-100k-20 --path "$path" --targets bench-20 --connections 1 --warmup 5
      load "anomaly 100000x20 Parquet in, Parquet out" parquet-100k-20 --path "$path?format=parquet" --targets bench-20 --connections 1 --warmup 5
      load "anomaly 10000x20 JSON in, JSON out" json-10k-20 --path "$path" --targets bench-20 --connections 1 --warmup 3
      load "anomaly 10000x20 Parquet in, Parquet out" parquet-10k-20 --path "$path?format=parquet" --targets bench-20 --connections 1 --warmup 3
      stop_server
      ;;
    *)
      echo "bench/run.sh: unknown section $section" >&2
      exit 2
      ;;
  esac
done

# The table: the median run of each load (by requests/s).
bench table --results "$results"
echo "Raw results: $results" >&2
