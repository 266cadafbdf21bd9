# Common tasks. `make test` is what CI runs: the unit tests, then every scenario in check mode.
.PHONY: build test run update bench-batch

build:
	swift build -c release

test: build
	swift test -c release
	.build/release/rehearse run

run: build
	.build/release/rehearse run

update: build
	.build/release/rehearse run --update

bench-batch:
	bench/batch
