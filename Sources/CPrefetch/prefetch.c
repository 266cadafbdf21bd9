// CPrefetch is header-only (include/prefetch.h); SwiftPM needs one source file to build a target.
