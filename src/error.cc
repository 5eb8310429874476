// The thread-local error record and its small formatter (see error.h for why it is hand-rolled).
#include "error.h"

#include <cmath>
#include <cstdarg>
#include <cstring>

namespace pnn {
namespace {

// The function name outside every public call (compared by address).
constexpr char kOutsideName[] = "portnn";

struct ErrorRecord {
  const char* function = kOutsideName;
  char message[kMaxErrorMessage] = {0};
};

thread_local ErrorRecord record;

// Appends into a fixed buffer; silently cuts what does not fit, marking the cut with "...".
class Writer {
 public:
  Writer(char* buf, size_t cap) : buf_(buf), cap_(cap) { buf_[0] = '\0'; }

  void put(char c) {
    if (len_ + 1 < cap_) {
      buf_[len_++] = c;
      buf_[len_] = '\0';
    } else {
      truncated_ = true;
    }
  }
  void puts(const char* s) {
    if (s == nullptr) s = "(null)";
    while (*s != '\0') put(*s++);
  }
  void putu(unsigned long long v) {
    char digits[24];
    int n = 0;
    do {
      digits[n++] = static_cast<char>('0' + v % 10);
      v /= 10;
    } while (v != 0);
    while (n > 0) put(digits[--n]);
  }
  void puti(long long v) {
    if (v < 0) {
      put('-');
      putu(0ull - static_cast<unsigned long long>(v));
    } else {
      putu(static_cast<unsigned long long>(v));
    }
  }
  // Plain values only: integers print as integers, others with up to 6 significant digits in
  // positional or e-notation; enough to name a bad parameter.
  void putg(double v) {
    if (std::isnan(v)) return puts(std::signbit(v) ? "-nan" : "nan");
    if (std::isinf(v)) return puts(v < 0 ? "-inf" : "inf");
    if (v < 0 || (v == 0 && std::signbit(v))) {
      put('-');
      v = -v;
    }
    if (v == 0) return put('0');
    if (v == std::floor(v) && v < 1e15) return putu(static_cast<unsigned long long>(v));
    int exponent = 0;
    double m = v;
    while (m >= 10) {
      m /= 10;
      exponent++;
    }
    while (m < 1) {
      m *= 10;
      exponent--;
    }
    // 6 significant digits, rounded.
    unsigned long long digits = static_cast<unsigned long long>(m * 1e5 + 0.5);
    if (digits >= 1000000ull) {
      digits /= 10;
      exponent++;
    }
    char d[7];
    for (int i = 5; i >= 0; i--) {
      d[i] = static_cast<char>('0' + digits % 10);
      digits /= 10;
    }
    int last = 5;
    while (last > 0 && d[last] == '0') last--;
    if (exponent >= -4 && exponent < 6) {
      if (exponent < 0) {
        puts("0.");
        for (int i = -1; i > exponent; i--) put('0');
        for (int i = 0; i <= last; i++) put(d[i]);
      } else {
        for (int i = 0; i <= exponent; i++) put(i <= 5 ? d[i] : '0');
        if (last > exponent) {
          put('.');
          for (int i = exponent + 1; i <= last; i++) put(d[i]);
        }
      }
    } else {
      put(d[0]);
      if (last > 0) {
        put('.');
        for (int i = 1; i <= last; i++) put(d[i]);
      }
      put('e');
      puti(exponent);
    }
  }
  void finish() {
    if (truncated_ && cap_ >= 4) std::memcpy(buf_ + cap_ - 4, "...", 4);
  }

 private:
  char* buf_;
  size_t cap_;
  size_t len_ = 0;
  bool truncated_ = false;
};

void format_into(Writer& w, const char* f, va_list args) {
  while (*f != '\0') {
    if (*f != '%') {
      w.put(*f++);
      continue;
    }
    f++;
    if (*f == 'z' && f[1] == 'u') {
      w.putu(va_arg(args, size_t));
      f += 2;
    } else if (f[0] == 'l' && f[1] == 'l' && f[2] == 'u') {
      w.putu(va_arg(args, unsigned long long));
      f += 3;
    } else if (f[0] == 'l' && f[1] == 'l' && f[2] == 'd') {
      w.puti(va_arg(args, long long));
      f += 3;
    } else if (*f == 'u') {
      w.putu(va_arg(args, unsigned int));
      f++;
    } else if (*f == 'd') {
      w.puti(va_arg(args, int));
      f++;
    } else if (*f == 's') {
      w.puts(va_arg(args, const char*));
      f++;
    } else if (*f == 'g') {
      w.putg(va_arg(args, double));
      f++;
    } else if (*f == '%') {
      w.put('%');
      f++;
    } else {
      w.put('%');  // unknown conversion: keep it visible rather than misread the arguments
    }
  }
}

}  // namespace

ApiScope::ApiScope(const char* function) : previous_(record.function) {
  record.function = function;
  // Only the outermost public call starts with an empty reason: a call made inside another one
  // (the ONNX importer defining a graph, or deleting it after a failure) must not erase the
  // reason the outer call is about to return.
  if (previous_ == kOutsideName) record.message[0] = '\0';
}

ApiScope::~ApiScope() { record.function = previous_; }

void format_reason(char* buf, size_t cap, const char* format, ...) {
  if (cap == 0) return;
  Writer w(buf, cap);
  va_list args;
  va_start(args, format);
  format_into(w, format, args);
  va_end(args);
  w.finish();
}

const char* current_api_function() { return record.function; }

pnn_status fail(pnn_status status, const char* format, ...) {
  Writer w(record.message, sizeof record.message);
  w.puts(record.function);
  w.puts(": ");
  va_list args;
  va_start(args, format);
  format_into(w, format, args);
  va_end(args);
  w.finish();
  return status;
}

}  // namespace pnn

extern "C" const char* pnn_last_error_message(void) { return pnn::record.message; }
