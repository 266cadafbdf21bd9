# The two commands of the README. Both install what they need first (scripts/setup), build in
# release mode, and fetch the data sets (the tweet corpus, the CDNOW purchase log) into the cache
# (outside git) if they are not there yet.
REHEARSE := .build/release/rehearse
# If a test process crashes, its report shows only the crashed thread, without registers or
# images, so the end of a CI log says where it crashed.
CRASH_REPORT := enable=yes,interactive=no,color=no,threads=crashed,registers=none,images=none

.PHONY: run test setup

## make run: the main job: rehearse every scenario in scenarios/ and check it against golden/.
run: setup
	@echo "==> Building Rehearsal (swift build -c release)"
	swift build -c release
	@echo "==> Fetching the tweet corpus (cached after the first time)"
	@$(REHEARSE) data fetch
	@echo "==> Fetching the CDNOW purchase log (cached after the first time)"
	@$(REHEARSE) data fetch cdnow
	@echo "==> Rehearsing every scenario (rehearse run)"
	$(REHEARSE) run

## make test: every test, in release mode (one build serves the tests and the CLI), then every
## scenario in check mode.
test: setup
	@echo "==> Building Rehearsal and its tests (swift build -c release --build-tests)"
	swift build -c release --build-tests
	@echo "==> Fetching the tweet corpus (cached after the first time)"
	@$(REHEARSE) data fetch
	@echo "==> Fetching the CDNOW purchase log (cached after the first time)"
	@$(REHEARSE) data fetch cdnow
	@echo "==> Running the tests (swift test -c release)"
	SWIFT_BACKTRACE=$(CRASH_REPORT) swift test -c release --skip-build
	@echo "==> Rehearsing every scenario in check mode (rehearse run)"
	$(REHEARSE) run

setup:
	@scripts/setup
