#!/usr/bin/env bash
# Prints the statement coverage of a `go test -coverprofile` run: in total, and per package
# for the provider abstraction (pkg/platform/...), which seed 003 wants above 90%. It fails when
# the abstraction or a provider client (each counted from its own package's tests) is at or
# below COVER_FLOOR (default 90). The emulator and platformtest are test tools, exercised
# mostly by other packages' tests, so they are printed but have no floor.
set -euo pipefail
profile=${1:-.data/cover.out}
floor=${COVER_FLOOR:-90}
[ -s "$profile" ] || { echo "coverage: no profile at $profile" >&2; exit 1; }
awk -F'[: ]' -v floor="$floor" 'NR > 1 {
	file = $1; n = $(NF-1); hit = ($NF > 0); key = $1 ":" $2
	sub(/\/[^\/]*$/, "", file); sub(/^github.com\/monadical\/reflector-go\//, "", file)
	if (seen[key]++) next   # a block counted by several test binaries counts once
	total[file] += n; covered[file] += n * hit; T += n; C += n * hit
}
END {
	split("pkg/platform pkg/platform/daily pkg/platform/whereby pkg/platform/internal/httpcall", floored, " ")
	for (p in total) if (p ~ /^pkg\/platform/) printf "coverage %-32s %5.1f%%\n", p, 100 * covered[p] / total[p]
	printf "coverage total %5.1f%% of statements\n", 100 * C / T
	bad = 0
	for (i in floored) {
		p = floored[i]
		if (!(p in total)) { printf "coverage FAIL %s: no statements in the profile\n", p; bad = 1; continue }
		pct = 100 * covered[p] / total[p]
		if (pct <= floor) { printf "coverage FAIL %s: %.1f%% is not above %s%%\n", p, pct, floor; bad = 1 }
	}
	exit bad
}' "$profile" | sort
