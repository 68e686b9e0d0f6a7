#!/usr/bin/env bash
# Prints the statement coverage of a `go test -coverprofile` run: in total, and per package
# for the provider abstraction (pkg/platform/...), which seed 003 wants above 90%.
set -euo pipefail
profile=${1:-.data/cover.out}
[ -s "$profile" ] || { echo "coverage: no profile at $profile" >&2; exit 1; }
awk -F'[: ]' 'NR > 1 {
	file = $1; n = $(NF-1); hit = ($NF > 0); key = $1 ":" $2
	sub(/\/[^\/]*$/, "", file); sub(/^github.com\/monadical\/reflector-go\//, "", file)
	if (seen[key]++) next   # a block counted by several test binaries counts once
	total[file] += n; covered[file] += n * hit; T += n; C += n * hit
}
END {
	for (p in total) if (p ~ /^pkg\/platform/) printf "coverage %-32s %5.1f%%\n", p, 100 * covered[p] / total[p]
	printf "coverage total %5.1f%% of statements\n", 100 * C / T
}' "$profile" | sort
