// Error reasons: why the last failing public call on this thread failed.
//
// Every public entry point opens an ApiScope (PNN_API_SCOPE at its top), which clears the
// calling thread's reason and names the function; every failure path returns through
// pnn::fail(status, format, ...), which records "<function>: <reason>". pnn_last_error_message()
// reads the record. The record is thread-local and fixed-size, so recording a reason never
// allocates and never fails, and two threads never see each other's reasons.
//
// The formatter is deliberately tiny (%s, %d, %u, %zu, %llu, %lld, %g for plain values, %%): the
// library must never print, and the WebAssembly builds must not pull in the C library's printf
// machinery (tens of KB) for a diagnostic string.
#pragma once

#include <cstddef>
#include <cstdint>

#include "portnn.h"

namespace pnn {

// Largest reason kept, NUL included; longer ones are cut (with "...").
constexpr size_t kMaxErrorMessage = 384;

class ApiScope {
 public:
  explicit ApiScope(const char* function);
  // Restores the enclosing scope's function name (a public call made by another one, as the
  // ONNX importer makes graph definitions, then leaves the outer call's name for its own
  // reasons); the message recorded so far stays.
  ~ApiScope();
  ApiScope(const ApiScope&) = delete;
  ApiScope& operator=(const ApiScope&) = delete;

 private:
  const char* previous_;
};

// Records "<current function>: <formatted reason>" for this thread and returns `status`.
pnn_status fail(pnn_status status, const char* format, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

// Formats like fail() into `buf` (cap bytes, NUL included; cut with "..." when longer) without
// recording anything: for reasons composed in two steps.
void format_reason(char* buf, size_t cap, const char* format, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

// The function named by the innermost ApiScope of this thread ("portnn" outside any).
const char* current_api_function();

}  // namespace pnn

// Returns a failing status from the enclosing function.
#define PNN_TRY(expr)                            \
  do {                                           \
    const pnn_status pnn_try_status_ = (expr);   \
    if (pnn_try_status_ != pnn_status_success) { \
      return pnn_try_status_;                    \
    }                                            \
  } while (0)

// Opens the error scope of a public entry point; put it first in the function body.
#define PNN_API_SCOPE() ::pnn::ApiScope pnn_api_scope_(__func__)
