#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds the Go interop peer (tests/tlog/go/tlogpeer) offline: GOPATH mode
# against Debian's golang-golang-x-mod-dev, no module proxy, the build cache
# inside the build tree. Exit 77 (ctest: skipped) only when `go` is absent;
# a missing x/mod or a compile error is a failure.
# Usage: build-go-peer.sh SOURCE_DIR OUTPUT_DIR
set -euo pipefail
src=$1
out=$2
if ! command -v go >/dev/null 2>&1; then
    echo "go is not installed: the Go tlog interop tests are skipped"
    exit 77
fi
mkdir -p "$out"
export GO111MODULE=off GOFLAGS= GOPROXY=off GOTOOLCHAIN=local CGO_ENABLED=0
export GOCACHE="$out/gocache" GOPATH=/usr/share/gocode
cd "$src"
go version
go vet .
go build -o "$out/tlogpeer.tmp" .
mv "$out/tlogpeer.tmp" "$out/tlogpeer"
echo "built $out/tlogpeer"
