#!/usr/bin/env bash
# Gordo's benchmarks, end to end, from a clean clone: builds Release, trains the bench models, starts a
# gordo-server on loopback, drives it with gordo-bench from a second process, and prints a markdown
# table (copy it into docs/performance.md with the machine it ran on).
#
#   bench/run.sh [SECTION ...]     sections (default: all, in this order):
#     micro      BenchmarkDotNet per-stage benchmarks (frame decode/encode against straightforward
#                baselines, ONNX binding against the bare C API, anomaly math, wire codecs)
#     load       anomaly 100x10 at 1/8/64 connections, 1000x10, 10000x20 JSON and Parquet
#     pyref      the same loads and request files against Gordo and the Python reference server
#                (../shared/pyref, gunicorn with gordo's argv), one after the other in this run
#     cold       first request of 1 000 distinct targets after warm-up; RSS and threads after
#     budget     round robin over 1 000 targets with a memory budget that holds about 200
#     batching   64 connections of 10-row requests to one target, micro-batching off and on
#     transport  100 000 x 20 JSON against Parquet
#     v2         100x10 anomaly at 64 connections: gordo JSON against the Open Inference Protocol (V2) over
#                REST JSON, REST with binary tensors, and gRPC with raw tensors (64 calls at once on one
#                HTTP/2 channel, as a gRPC client multiplexes), alternating, one server
#     memory     RSS before, at peak and 60 s after four concurrent 48 MB /prediction requests
#                (550 000 rows x 10 tags as lists), with BENCH_SERVER_ENV (e.g. DOTNET_GCConserveMemory=5)
#
# Environment: BENCH_WORK (scratch directory, default a new temp dir), BENCH_PORT (5571),
# BENCH_PYREF_PORT (5572), BENCH_DURATION (seconds per load, 10), BENCH_REPEATS (repetitions of
# each load, 3; the table shows the median), BENCH_MICRO_FILTER (BenchmarkDotNet filter, '*').
set -euo pipefail
cd "$(dirname "$0")/.."

sections=("$@")
[ ${#sections[@]} -gt 0 ] || sections=(micro load pyref cold budget batching transport)
work=${BENCH_WORK:-$(mktemp -d "${TMPDIR:-/tmp}/gordo-bench.XXXXXX")}
mkdir -p "$work"
port=${BENCH_PORT:-5571}
pyref_port=${BENCH_PYREF_PORT:-5572}
pyref_dir=$(cd "$(dirname "$0")/../.." && pwd)/shared/pyref
duration=${BENCH_DURATION:-10}
repeats=${BENCH_REPEATS:-3}
url=http://127.0.0.1:$port
results=$work/results.jsonl
: > "$results"

echo "Building (Release)..." >&2
dotnet build api/Gordo.Api.csproj -c Release --nologo -v quiet >/dev/null
dotnet build bench/Gordo.Bench.csproj -c Release --nologo -v quiet >/dev/null
root=$(pwd)
bench() { dotnet "$root/bench/bin/Release/net10.0/gordo-bench.dll" "$@"; }

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
  url=http://127.0.0.1:$port
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
# CPU, RSS and threads come from /proc for the server's process tree; allocations from Gordo's /metrics.
load() {
  local label=$1 body=$2
  shift 2
  local metrics=(--metrics /metrics)
  [ "$url" = "http://127.0.0.1:$pyref_port" ] && metrics=()
  # A second line in the .type file is a request header (the V2 binary body's Inference-Header-Content-Length).
  local header=()
  [ "$(wc -l < "$work/$body.type")" -gt 1 ] && header=(--header "$(sed -n 2p "$work/$body.type")")
  for _ in $(seq 1 "${load_repeats:-$repeats}"); do
    bench load --label "$label" --url "$url" --body "$work/$body.body" --content-type "$(sed -n 1p "$work/$body.type")" \
      "${metrics[@]}" "${header[@]}" --pid "$server_pid" --duration "$duration" --json "$results" "$@" >&2 || true # failures are counted in the table
  done
}

# need_pyref_python: the Debian packages the Python reference server and its payload script import.
need_pyref_python() {
  if ! /usr/bin/python3 -c 'import flask, sklearn, pandas, numpy' 2>/dev/null || ! command -v gunicorn >/dev/null; then
    echo "Installing the Python reference server's Debian packages..." >&2
    # A fresh machine has no package lists yet.
    $(command -v sudo || true) apt-get update -qq >&2
    $(command -v sudo || true) apt-get install -y -qq python3-flask gunicorn python3-pandas python3-sklearn python3-numpy >&2
  fi
}

# start_pyref: the Python reference server as its README runs it (gordo's gunicorn argv), on $pyref_port.
start_pyref() {
  stop_server
  need_pyref_python
  local models=$work/pyref-models/1700000000000
  [ -d "$models/pyref-anomaly" ] || (cd "$pyref_dir" && /usr/bin/python3 anomaly_model.py --collection-dir "$models" >&2)
  (cd "$pyref_dir" && exec env MODEL_COLLECTION_DIR="$models" gunicorn --bind "127.0.0.1:$pyref_port" --log-level debug \
    --error-logfile - --access-logfile - --worker-class gthread --worker-tmp-dir /dev/shm --workers 2 --threads 8 server:app \
    >"$work/pyref.log" 2>&1) &
  server_pid=$!
  url=http://127.0.0.1:$pyref_port
  for _ in $(seq 1 300); do
    curl -sf "$url/healthcheck" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  echo "the Python reference server did not start; see $work/pyref.log" >&2
  exit 1
}

# pyref_payload ROWS: the reference's own request file (its 10 tags), for both servers.
pyref_payload() {
  [ -f "$work/pyref-$1.body" ] || need_pyref_python
  [ -f "$work/pyref-$1.body" ] || (cd "$pyref_dir" && /usr/bin/python3 make_payload.py --rows "$1" --out "$work/pyref-$1.body" >&2)
  echo application/json > "$work/pyref-$1.type"
}

anomaly=/gordo/v0/bench/bench-10/anomaly/prediction
for section in "${sections[@]}"; do
  case "$section" in
    micro)
      echo "Micro-benchmarks (BenchmarkDotNet, about 15 minutes)..." >&2
      (cd "$work" && bench micro --filter "${BENCH_MICRO_FILTER:-*}" --exporters github >&2)
      cat "$work"/BenchmarkDotNet.Artifacts/results/*-report-github.md > "$work/micro.md"
      ;;
    load)
      payload json-100-10 bench-10 100 json
      payload json-1000-10 bench-10 1000 json
      payload json-10k-20 bench-20 10000 json
      payload parquet-10k-20 bench-20 10000 parquet
      start_server
      load "anomaly 100x10 JSON" json-100-10 --path "$anomaly" --targets bench-10 --connections 1 --warmup 10
      load "anomaly 100x10 JSON" json-100-10 --path "$anomaly" --targets bench-10 --connections 8
      load "anomaly 100x10 JSON" json-100-10 --path "$anomaly" --targets bench-10 --connections 64
      load "anomaly 1000x10 JSON" json-1000-10 --path "$anomaly" --targets bench-10 --connections 8
      path=/gordo/v0/bench/bench-20/anomaly/prediction
      load "anomaly 10000x20 JSON" json-10k-20 --path "$path" --targets bench-20 --connections 1 --warmup 3
      load "anomaly 10000x20 Parquet in and out" parquet-10k-20 --path "$path?format=parquet" --targets bench-20 --connections 1 --warmup 3
      stop_server
      ;;
    pyref)
      pyref_payload 100
      pyref_payload 1000
      path=/gordo/v0/pyref/pyref-anomaly/anomaly/prediction
      start_server
      # 30 s first: on 2 cores the JIT is still tiering the server up 10 s into this load.
      load "Gordo: pyref anomaly 100x10" pyref-100 --path "$path" --targets pyref-anomaly --connections 64 --warmup 30
      load "Gordo: pyref anomaly 1000x10" pyref-1000 --path "$path" --targets pyref-anomaly --connections 8
      start_pyref
      load "Python reference: pyref anomaly 100x10" pyref-100 --path "$path" --targets pyref-anomaly --connections 64 --warmup 5
      load "Python reference: pyref anomaly 1000x10" pyref-1000 --path "$path" --targets pyref-anomaly --connections 8 --warmup 5
      stop_server
      ;;
    cold)
      payload json-100-10 bench-10 100 json
      payload json-1-10 bench-10 1 json
      start_server
      # Warm the process (JIT, pools) on another target, then one first request per target, one at a time.
      bench load --label warm-up --url "$url" --path "$anomaly" --targets bench-10 --body "$work/json-100-10.body" --duration 10 --warmup 0 >&2
      bench load --label "cold first request, 1000 targets, 1x10" --url "$url" --path "/gordo/v0/bench/{target}/anomaly/prediction" \
        --target-prefix bench-10- --target-count 1000 --requests 1000 --warmup 0 --connections 1 \
        --body "$work/json-1-10.body" --content-type application/json --metrics /metrics --pid "$server_pid" --json "$results" >&2
      stop_server
      ;;
    budget)
      payload json-100-10 bench-10 100 json
      # bench-10 loads as about 300 KB (two copies of its ONNX file and the session): 60 MB hold ~200.
      start_server GORDO_MEMORY_BUDGET=60000000
      load "round robin 1000 targets, budget for ~200, 100x10" json-100-10 --path "/gordo/v0/bench/{target}/anomaly/prediction" \
        --target-prefix bench-10- --target-count 1000 --connections 8 --warmup 5
      curl -s "$url/metrics" | grep -E '^gordo_model_(evictions_total|loads_total|loaded)' >&2 || true
      stop_server
      ;;
    batching)
      payload json-10-10 bench-10 10 json
      start_server
      load "10x10 to one target, batching off" json-10-10 --path "$anomaly" --targets bench-10 --connections 64 --warmup 10
      start_server GORDO_BATCHING=true GORDO_BATCH_MAX_ROWS=4096
      load "10x10 to one target, batching on" json-10-10 --path "$anomaly" --targets bench-10 --connections 64 --warmup 10
      stop_server
      ;;
    v2)
      # The same 100 rows x 10 tags (X and y) through each protocol, the loads alternating run by run.
      payload json-100-10 bench-10 100 json
      payload v2-json-100-10 bench-10 100 v2-json
      payload v2-binary-100-10 bench-10 100 v2-binary
      payload v2-grpc-100-10 bench-10 100 v2-grpc
      grpc_port=$((port + 10))
      start_server GORDO_GRPC_PORT="$grpc_port"
      bench load --label warm-up --url "$url" --path "$anomaly" --targets bench-10 --body "$work/json-100-10.body" --connections 64 --duration 15 --warmup 0 >&2
      for _ in $(seq 1 "$repeats"); do
        load_repeats=1 load "anomaly 100x10, gordo JSON route" json-100-10 --path "$anomaly" --targets bench-10 --connections 64 --warmup 3
        load_repeats=1 load "anomaly 100x10, V2 REST JSON" v2-json-100-10 --path /v2/models/bench-10/infer --targets bench-10 --connections 64 --warmup 3
        load_repeats=1 load "anomaly 100x10, V2 REST binary tensors" v2-binary-100-10 --path /v2/models/bench-10/infer --targets bench-10 --connections 64 --warmup 3
        load_repeats=1 load "anomaly 100x10, V2 gRPC raw tensors" v2-grpc-100-10 --path /v2/models/bench-10/infer --targets bench-10 --connections 64 --warmup 3 \
          --grpc "127.0.0.1:$grpc_port" --grpc-channels 1
      done
      stop_server
      ;;
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
    memory)
      # 550 000 rows x 10 tags as a list of rows: a 48 MB body whose /prediction answer is about 300 MB of JSON.
      big=$work/list-550k-10.body
      [ -f "$big" ] || /usr/bin/python3 -c '
import random, sys
random.seed(7)
rows = ",".join("[" + ",".join("%.6f" % random.random() for _ in range(10)) + "]" for _ in range(550000))
sys.stdout.write("{\"X\": [" + rows + "]}")' > "$big"
      payload json-100-10 bench-10 100 json
      read -r -a extra <<< "${BENCH_SERVER_ENV:-}"
      start_server "${extra[@]}"
      rss() { awk '/^VmRSS/ { print int($2 / 1024) }' "/proc/$server_pid/status"; }
      curl -s -o /dev/null -H 'Content-Type: application/json' --data-binary @"$work/json-100-10.body" "$url$anomaly" 2>/dev/null || true
      sleep 2
      before=$(rss)
      : > "$work/rss.samples"
      (while kill -0 "$server_pid" 2>/dev/null; do rss >> "$work/rss.samples"; sleep 0.2; done) &
      sampler=$!
      started=$(date +%s.%N)
      posts=()
      for i in 1 2 3 4; do
        curl -s -o /dev/null -w '%{http_code} %{time_total}s %{size_download}B\n' -H 'Content-Type: application/json' \
          --data-binary @"$big" "$url/gordo/v0/bench/bench-10/prediction" > "$work/memory.codes.$i" &
        posts+=($!)
      done
      wait "${posts[@]}" || true
      elapsed=$(awk "BEGIN { printf \"%.1f\", $(date +%s.%N) - $started }")
      sleep 60
      after=$(rss)
      kill "$sampler" 2>/dev/null || true
      peak=$(sort -n "$work/rss.samples" | tail -n 1)
      echo "memory, 4 x 48 MB /prediction (${BENCH_SERVER_ENV:-default GC}): RSS before ${before} MiB, peak ${peak} MiB, 60 s after ${after} MiB; all four in ${elapsed} s: $(cat "$work"/memory.codes.* | tr '\n' ';')" | tee -a "$work/memory.txt" >&2
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
[ -f "$work/micro.md" ] && cat "$work/micro.md"
[ -f "$work/memory.txt" ] && cat "$work/memory.txt"
echo "Raw results: $results" >&2
