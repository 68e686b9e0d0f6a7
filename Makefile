# The two commands a newcomer needs: `make dev` runs the whole system locally, `make test`
# runs every test. Both start Postgres and Redis themselves (scripts/).
SHELL := /bin/bash
export PG_PORT ?= 55432
export REDIS_PORT ?= 56379
GO ?= go

.PHONY: dev test race-test fault-test bench services stop build vet lint ctl

build:
	$(GO) build -o bin/ ./cmd/...

services:
	@scripts/pg.sh start >/dev/null
	@scripts/redis.sh start >/dev/null
	@scripts/tools.sh

stop:
	scripts/pg.sh stop; scripts/redis.sh stop

dev: build services
	scripts/dev.sh

# reflectorctl against the stack of `make dev` (which writes .data/dev.env): make ctl ARGS="tasks list default"
ctl: build
	@test -f .data/dev.env || { echo "no .data/dev.env: run make dev first"; exit 1; }
	@. .data/dev.env && bin/reflectorctl $(ARGS)

vet:
	@test -z "$$(gofmt -l cmd pkg db)" || { gofmt -l cmd pkg db; echo "gofmt needed"; exit 1; }
	$(GO) vet ./...

# golangci-lint, pinned and installed into .data/tools on first use (rules: .golangci.yml).
lint:
	scripts/lint.sh

# Every test, unit and integration, with the race detector, against real Postgres and Redis.
# Then the statement coverage: total, and per package of the provider abstraction (it fails
# when pkg/platform, daily, whereby or httpcall is not above 90%: seed 003).
test: services vet lint
	@mkdir -p .data
	TEST_DATABASE_URL=$$(scripts/pg.sh url) TEST_REDIS_URL=$$(scripts/redis.sh url) \
		$(GO) test -race -count=1 -timeout 25m -coverprofile=.data/cover.out ./...
	@scripts/coverage.sh .data/cover.out

# The live concurrent test at full size (200 clients, 2 minutes), safeguards on then off.
race-test: services
	TEST_DATABASE_URL=$$(scripts/pg.sh url) TEST_REDIS_URL=$$(scripts/redis.sh url) RACE_TEST_FULL=1 \
		$(GO) test -count=1 -timeout 20m -run 'TestLiveRace' -v ./pkg/livetest/ | grep -E '^(splits=|--- |ok|FAIL)'

# The fault run (about 5 minutes, not part of `make test`): two API replicas, two workers, the
# scheduler and the emulators on their own Postgres and Redis (ports 17710/17711, started and
# stopped by the test), under the race-test joiners, webhooks and recordings, while it kills
# -9 the api and a worker, restarts Redis empty and stops Postgres for 20 s. Prints one line.
fault-test:
	@scripts/tools.sh
	@scripts/redis.sh install
	set -o pipefail; FAULT_TEST=1 $(GO) test -count=1 -timeout 20m -run 'TestFault' -v ./pkg/faulttest/ | grep -E '^(fault-test |--- |ok|FAIL)|faulttest_test|driver_test|burst_test'

bench: services
	scripts/bench.sh
