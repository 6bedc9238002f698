#!/usr/bin/env bash
# Quick start: build Gordo, train the bundled example model collection (examples/collection.yaml) with
# gordo-build, and serve it with the gordo HTTP API on http://localhost:5555 (Ctrl-C stops it).
#
#   deploy/run-example.sh [extra server arguments, e.g. --urls http://127.0.0.1:8080]
#
# Environment: GORDO_EXAMPLE_MODELS (where the models go, default artifacts/models), plus every
# server setting in the README (GORDO_SERVER_PORT, GORDO_IDLE_AGE, GORDO_ORT_INTRA_OP_THREADS, ...).
set -euo pipefail
cd "$(dirname "$0")/.."

echo "Building Gordo (Release)..."
dotnet build builder/Gordo.ModelBuilder.csproj --configuration Release --nologo -v quiet
dotnet build api/Gordo.Api.csproj --configuration Release --nologo -v quiet

models=${GORDO_EXAMPLE_MODELS:-artifacts/models}
echo "Training the example models into $models..."
dotnet builder/bin/Release/net10.0/gordo-build.dll collection --spec examples/collection.yaml --output "$models"

export MODEL_COLLECTION_DIR
MODEL_COLLECTION_DIR=$(cd "$models/1700000100000" && pwd)
export EXPECTED_MODELS=${EXPECTED_MODELS:-'["pump-1","compressor-2","turbine-3","valve-4","fan-5",]'}
echo "Serving $MODEL_COLLECTION_DIR"
exec dotnet api/bin/Release/net10.0/gordo-server.dll "$@"
