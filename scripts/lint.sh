#!/usr/bin/env bash
# Runs golangci-lint (config: .golangci.yml) over the module, first installing the pinned
# version into .data/tools when it is missing or another version. The first build takes a few
# minutes; later runs reuse the binary and golangci-lint's cache.
# Usage: scripts/lint.sh [golangci-lint run arguments]
set -euo pipefail
VERSION=v2.15.0
TOOLS="$PWD/.data/tools"
BIN="$TOOLS/golangci-lint"
if [ "$("$BIN" version --short 2>/dev/null)" != "${VERSION#v}" ]; then
	echo "lint.sh: building golangci-lint $VERSION into $TOOLS (takes a few minutes)" >&2
	mkdir -p "$TOOLS"
	GOBIN="$TOOLS" GOFLAGS= go install "github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$VERSION"
fi
# Several checkouts share one machine: a second run waits for the first instead of failing.
exec "$BIN" run --allow-serial-runners "$@" ./...
