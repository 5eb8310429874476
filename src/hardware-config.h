// The one piece of global state: which ISA levels were compiled in and which the CPU runs.
#pragma once

#include <cstdint>

#include "portnn.h"

namespace pnn {

// ISA levels, one bit each. A kernel registry line names the one it needs.
enum ArchFlag : uint32_t {
  kArchScalar = 1u << 0,
  kArchSSE2 = 1u << 1,
  kArchAVX2 = 1u << 2,    // AVX2 + FMA3
  kArchAVX512 = 1u << 3,  // AVX-512F
  kArchNEON = 1u << 4,    // AArch64 Advanced SIMD with FMA
  kArchWasmSIMD = 1u << 5,
  // WebAssembly SIMD kernels that prefer one kind of host CPU (e.g. f32x4.pmin/pmax, which are
  // one instruction on x86, versus f32x4.min/max, which are one instruction on ARM). Both are
  // runnable everywhere (kernel testers test both); `usable` holds only the bit of the host the
  // engine runs on, so the configs pick the host's variant.
  kArchWasmX86Host = 1u << 6,
  kArchWasmArmHost = 1u << 7,
  // WebAssembly relaxed SIMD (the relaxed-simd .wasm variants, -mrelaxed-simd): kernels whose
  // multiply-add is f32x4.relaxed_madd (kernels/simd/vec-wasm128.h). A level above wasmsimd.
  kArchWasmRelaxed = 1u << 8,
};

struct HardwareConfig {
  uint32_t compiled;  // levels compiled into this binary
  uint32_t cpu;       // levels the CPU supports
  uint32_t usable;    // compiled & cpu & (levels at or below the PORTNN_ISA override)
  const char* isa_name;  // best usable level
  // Set when PORTNN_ISA names an unknown level (invalid_parameter) or a level this build or CPU
  // cannot run (unsupported_hardware); usable is 0 then.
  pnn_status override_error;
  const char* override_reason;  // static text for override_error; "" when it is success
};

// Initialized once (thread-safe) on first call; never NULL.
const HardwareConfig* get_hardware_config();

inline bool arch_usable(uint32_t arch) { return (get_hardware_config()->usable & arch) != 0; }

// Library initialization state (pnn_initialize / pnn_deinitialize).
bool is_initialized();

}  // namespace pnn
