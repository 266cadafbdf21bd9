#include <sqlite3.h>

/// Turns off SQLite's memory statistics, which take a process-wide mutex on every allocation
/// (so threads using separate connections wait on each other). Works only before SQLite is
/// first initialised; returns SQLITE_MISUSE after that.
static inline int rehearsal_sqlite3_disable_memory_statistics(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}
