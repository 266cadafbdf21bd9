# The two commands of the README. Both install what they need first (scripts/setup), build in
# release mode, and fetch the tweet corpus into the cache (outside git) if it is not there yet.
REHEARSE := .build/release/rehearse

.PHONY: run test setup

## make run: the main job.
run: setup
	@echo "==> Building Rehearsal (swift build -c release)"
	swift build -c release
	@echo "==> Fetching the tweet corpus (cached after the first time)"
	@$(REHEARSE) data fetch
	@echo "==> Training the sentiment model on the corpus's train split and evaluating it on the test split"
	$(REHEARSE) train --algorithm logreg --out .build/sentiment.rmodel

## make test: every test, in release mode (one build serves the tests and the CLI).
test: setup
	@echo "==> Building Rehearsal and its tests (swift build -c release --build-tests)"
	swift build -c release --build-tests
	@echo "==> Fetching the tweet corpus (cached after the first time)"
	@$(REHEARSE) data fetch
	@echo "==> Running the tests (swift test -c release)"
	swift test -c release --skip-build

setup:
	@scripts/setup
