#ifndef REHEARSAL_PREFETCH_H
#define REHEARSAL_PREFETCH_H

/// Asks the CPU to start loading the cache line holding `address`, for a read soon, into every
/// cache level. A hint only: it never faults, whatever the address, and changes no result.
/// Swift has no prefetch of its own; this inline function compiles to one instruction.
static inline void rehearsal_prefetch_for_read(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

#endif
