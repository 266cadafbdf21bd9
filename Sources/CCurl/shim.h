#include <curl/curl.h>

/*
 * Non-variadic wrappers for the libcurl calls Swift cannot make itself.
 *
 * curl_easy_setopt, curl_easy_getinfo and curl_multi_setopt are C variadic functions, which Swift
 * does not import, and CURL_GLOBAL_ALL is a macro Swift does not import either. Each wrapper
 * below passes exactly one argument of the type libcurl reads for that kind of option, so the
 * variadic call is made here, in C, with the right type. They are `static inline`: Swift's
 * Clang importer compiles them into the module that calls them, so no C target is needed.
 */

/** curl_global_init(CURL_GLOBAL_ALL). */
static inline CURLcode rehearsal_curl_global_init(void) {
    return curl_global_init(CURL_GLOBAL_ALL);
}

/** An option whose argument is a `long` (CURLOPTTYPE_LONG, CURLOPTTYPE_VALUES). */
static inline CURLcode rehearsal_curl_easy_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

/** An option whose argument is a `curl_off_t` (CURLOPTTYPE_OFF_T). */
static inline CURLcode rehearsal_curl_easy_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}

/** An option whose argument is a pointer: a string, a `struct curl_slist *`, a buffer or user data. */
static inline CURLcode rehearsal_curl_easy_setopt_pointer(CURL *handle, CURLoption option, const void *value) {
    return curl_easy_setopt(handle, option, value);
}

/** CURLOPT_WRITEFUNCTION or CURLOPT_HEADERFUNCTION (both take a `curl_write_callback`). */
static inline CURLcode rehearsal_curl_easy_setopt_write_callback(CURL *handle, CURLoption option, curl_write_callback value) {
    return curl_easy_setopt(handle, option, value);
}

/** An information item that is a `long` (CURLINFO_LONG). */
static inline CURLcode rehearsal_curl_easy_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}

/** A multi-handle option whose argument is a `long`. */
static inline CURLMcode rehearsal_curl_multi_setopt_long(CURLM *multi, CURLMoption option, long value) {
    return curl_multi_setopt(multi, option, value);
}
