#include "hardware-config.h"

#include <atomic>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <mutex>

#if defined(__x86_64__) || defined(__i386__) || defined(__aarch64__) || defined(__arm__)
#include <cpuinfo.h>
#define PNN_HAVE_CPUINFO 1
#endif

namespace pnn {
namespace {

struct Level {
  uint32_t flag;
  const char* name;
};
// Best first.
constexpr Level kLevels[] = {
    {kArchAVX512, "avx512"}, {kArchAVX2, "avx2"},         {kArchSSE2, "sse2"},
    {kArchNEON, "neon"},     {kArchWasmRelaxed, "wasmrelaxed"}, {kArchWasmSIMD, "wasmsimd"},
    {kArchScalar, "scalar"},
};

uint32_t compiled_levels() {
  uint32_t m = kArchScalar;
#ifdef PNN_ENABLE_SSE2
  m |= kArchSSE2;
#endif
#ifdef PNN_ENABLE_AVX2
  m |= kArchAVX2;
#endif
#ifdef PNN_ENABLE_AVX512
  m |= kArchAVX512;
#endif
#ifdef PNN_ENABLE_NEON
  m |= kArchNEON;
#endif
#ifdef __wasm_simd128__
  m |= kArchWasmSIMD | kArchWasmX86Host | kArchWasmArmHost;
#endif
#ifdef __wasm_relaxed_simd__
  // An engine runs a relaxed-SIMD .wasm only after validating every relaxed instruction in it.
  m |= kArchWasmRelaxed;
#endif
  return m;
}

uint32_t cpu_levels() {
  uint32_t m = kArchScalar;
#ifdef __wasm_simd128__
  m |= kArchWasmSIMD | kArchWasmX86Host | kArchWasmArmHost;
#endif
#ifdef __wasm_relaxed_simd__
  // An engine runs a relaxed-SIMD .wasm only after validating every relaxed instruction in it.
  m |= kArchWasmRelaxed;
#endif
  bool cpuinfo_ok = false;
#ifdef PNN_HAVE_CPUINFO
  if (cpuinfo_initialize()) {
    cpuinfo_ok = true;
#if defined(__x86_64__) || defined(__i386__)
    if (cpuinfo_has_x86_sse2()) m |= kArchSSE2;
    if (cpuinfo_has_x86_avx2() && cpuinfo_has_x86_fma3()) m |= kArchAVX2;
    if (cpuinfo_has_x86_avx512f()) m |= kArchAVX512;
#elif defined(__aarch64__)
    if (cpuinfo_has_arm_neon_fma()) m |= kArchNEON;
#endif
  }
#endif
#if defined(__aarch64__)
  // Advanced SIMD with FMA is mandatory in ARMv8-A (the compiler's own baseline code uses it), so
  // a machine cpuinfo cannot read (an emulator, a restricted /proc or /sys) still has it.
  if (!cpuinfo_ok) m |= kArchNEON;
#endif
  (void)cpuinfo_ok;
  return m;
}

// PORTNN_ISA=<level> keeps that level and every level below it on the same architecture (and
// scalar). Sets *known = false for a name that is not a level.
uint32_t override_mask(const char* env, bool* known) {
  *known = true;
  if (env == nullptr || *env == '\0' || std::strcmp(env, "auto") == 0) return ~0u;
  for (const Level& l : kLevels) {
    if (std::strcmp(env, l.name) == 0) {
      switch (l.flag) {
        case kArchAVX512:
          return kArchScalar | kArchSSE2 | kArchAVX2 | kArchAVX512;
        case kArchAVX2:
          return kArchScalar | kArchSSE2 | kArchAVX2;
        case kArchSSE2:
          return kArchScalar | kArchSSE2;
        case kArchWasmRelaxed:
          return kArchScalar | kArchWasmSIMD | kArchWasmX86Host | kArchWasmArmHost |
                 kArchWasmRelaxed;
        case kArchWasmSIMD:
          return kArchScalar | kArchWasmSIMD | kArchWasmX86Host | kArchWasmArmHost;
        default:
          return kArchScalar | l.flag;
      }
    }
  }
  *known = false;
  return 0;
}

HardwareConfig g_config;
std::once_flag g_once;
std::atomic<bool> g_initialized{false};

void init_config() {
  g_config.compiled = compiled_levels();
  g_config.cpu = cpu_levels();
  const char* env = std::getenv("PORTNN_ISA");
  bool known = true;
  const uint32_t mask = override_mask(env, &known);
  g_config.usable = g_config.compiled & g_config.cpu & mask;
  g_config.override_error = pnn_status_success;
  g_config.override_reason = "";
  if (!known) {
    g_config.override_error = pnn_status_invalid_parameter;
    g_config.override_reason =
        "the PORTNN_ISA environment variable names no known level (auto, scalar, sse2, avx2, "
        "avx512, neon, wasmrelaxed, wasmsimd)";
    g_config.usable = 0;
  } else if (mask != ~0u) {
    // A forced level must itself be runnable: forcing what the build or CPU lacks is an error,
    // not a silent fallback.
    uint32_t highest = 0;
    for (const Level& l : kLevels) {
      if (mask & l.flag) {
        highest = l.flag;
        break;
      }
    }
    if ((g_config.compiled & g_config.cpu & highest) == 0) {
      g_config.override_error = pnn_status_unsupported_hardware;
      g_config.override_reason =
          (g_config.compiled & highest) == 0
              ? "the level forced by the PORTNN_ISA environment variable is not compiled into "
                "this build"
              : "the level forced by the PORTNN_ISA environment variable is not supported by "
                "this CPU";
      g_config.usable = 0;
    }
  }
#ifdef __wasm_simd128__
  // The engine's host: IEEE leaves the sign of a NaN made from non-NaN operands open; x86's
  // default NaN has the sign bit set, ARM's does not. inf - inf is computed at run time
  // (volatile) so the engine's own hardware answers.
  static volatile float inf = INFINITY;
  const bool x86_host = std::signbit(inf - inf);
  g_config.usable &= ~static_cast<uint32_t>(x86_host ? kArchWasmArmHost : kArchWasmX86Host);
#endif
  g_config.isa_name = "none";
  for (const Level& l : kLevels) {
    if (g_config.usable & l.flag) {
      g_config.isa_name = l.name;
      break;
    }
  }
}

}  // namespace

const HardwareConfig* get_hardware_config() {
  std::call_once(g_once, init_config);
  return &g_config;
}

bool is_initialized() { return g_initialized.load(std::memory_order_acquire); }
void set_initialized(bool v) { g_initialized.store(v, std::memory_order_release); }

}  // namespace pnn
