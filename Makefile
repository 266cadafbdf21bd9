# The two commands of the README. Both install what they need first (scripts/setup), build in
# release mode, and fetch the tweet corpus into the cache (outside git) if it is not there yet.
REHEARSE := .build/release/rehearse

.PHONY: run test setup build data

## make run: the main job.
run: data
	@echo "==> Training the sentiment model on the corpus's train split and evaluating it on the test split"
	$(REHEARSE) train --algorithm logreg --out .build/sentiment.rmodel

## make test: the unit and integration tests, in release mode.
test: data
	@echo "==> Running the tests (swift test -c release)"
	swift test -c release

setup:
	@scripts/setup

build: setup
	@echo "==> Building Rehearsal (swift build -c release)"
	swift build -c release

data: build
	@echo "==> Fetching the tweet corpus (cached after the first time)"
	@$(REHEARSE) data fetch
