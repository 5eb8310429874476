#include "hardware-config.h"

#include <atomic>
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
    {kArchNEON, "neon"},     {kArchWasmSIMD, "wasmsimd"}, {kArchScalar, "scalar"},
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
  m |= kArchWasmSIMD;
#endif
  return m;
}

uint32_t cpu_levels() {
  uint32_t m = kArchScalar;
#ifdef __wasm_simd128__
  m |= kArchWasmSIMD;
#endif
#ifdef PNN_HAVE_CPUINFO
  if (cpuinfo_initialize()) {
#if defined(__x86_64__) || defined(__i386__)
    if (cpuinfo_has_x86_sse2()) m |= kArchSSE2;
    if (cpuinfo_has_x86_avx2() && cpuinfo_has_x86_fma3()) m |= kArchAVX2;
    if (cpuinfo_has_x86_avx512f()) m |= kArchAVX512;
#elif defined(__aarch64__)
    if (cpuinfo_has_arm_neon_fma()) m |= kArchNEON;
#endif
  }
#endif
  return m;
}

// PORTNN_ISA=<level> keeps that level and every level below it on the same architecture
// (and scalar). An unknown name is ignored.
uint32_t override_mask() {
  const char* env = std::getenv("PORTNN_ISA");
  if (env == nullptr || *env == '\0' || std::strcmp(env, "auto") == 0) return ~0u;
  if (std::strcmp(env, "scalar") == 0) return kArchScalar;
  if (std::strcmp(env, "sse2") == 0) return kArchScalar | kArchSSE2;
  if (std::strcmp(env, "avx2") == 0) return kArchScalar | kArchSSE2 | kArchAVX2;
  if (std::strcmp(env, "avx512") == 0) return kArchScalar | kArchSSE2 | kArchAVX2 | kArchAVX512;
  if (std::strcmp(env, "neon") == 0) return kArchScalar | kArchNEON;
  if (std::strcmp(env, "wasmsimd") == 0) return kArchScalar | kArchWasmSIMD;
  return ~0u;
}

HardwareConfig g_config;
std::once_flag g_once;
std::atomic<bool> g_initialized{false};

void init_config() {
  g_config.compiled = compiled_levels();
  g_config.cpu = cpu_levels();
  g_config.usable = g_config.compiled & g_config.cpu & override_mask();
  g_config.isa_name = "scalar";
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
