#!/usr/bin/env bash
# Fetches the ONNX Runtime native library (Linux x64) from the npm package onnxruntime-node into a
# cache outside the repository and prints its path. The npm package is the only source of a
# prebuilt libonnxruntime.so on this project's machines (NuGet here has no Microsoft.ML.OnnxRuntime).
# `npm pack` downloads the tarball without running any install script.
#
#   eng/fetch-onnxruntime.sh [cache-dir]
set -euo pipefail
version=1.30.0
sha256=ffb75a925ba05e47b235bb66e3e3911714a80b328a9c9425539feb204aa32a23
cache=${1:-${GORDO_ORT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/gordo/onnxruntime-$version}}
lib=$cache/libonnxruntime.so.1

if [ ! -f "$lib" ]; then
  command -v npm >/dev/null || { echo "fetch-onnxruntime: npm is required to fetch onnxruntime-node@$version" >&2; exit 1; }
  mkdir -p "$cache"
  work=$(mktemp -d "$cache/.fetch.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  (cd "$work" && npm pack --silent "onnxruntime-node@$version" >/dev/null)
  tar -xzf "$work/onnxruntime-node-$version.tgz" -C "$work" package/bin/napi-v6/linux/x64/libonnxruntime.so.1
  got=$(sha256sum "$work/package/bin/napi-v6/linux/x64/libonnxruntime.so.1" | cut -d' ' -f1)
  if [ "$got" != "$sha256" ]; then
    echo "fetch-onnxruntime: checksum mismatch for libonnxruntime.so.1: $got (expected $sha256)" >&2
    exit 1
  fi
  # Rename into place so a concurrent build never sees a half-written library.
  mv "$work/package/bin/napi-v6/linux/x64/libonnxruntime.so.1" "$lib.$$"
  mv -f "$lib.$$" "$lib"
fi
echo "$lib"
