#include <sqlite3.h>

// SQLITE_TRANSIENT is a cast of -1 to a function pointer, which Swift cannot import as a macro.
// Wrapped once here: "If the fifth argument has the value SQLITE_TRANSIENT, then SQLite makes its
// own private copy of the data immediately, before the sqlite3_bind_*() routine returns."
static inline sqlite3_destructor_type gonggu_sqlite_transient(void) { return SQLITE_TRANSIENT; }
static inline sqlite3_destructor_type gonggu_sqlite_static(void) { return SQLITE_STATIC; }
