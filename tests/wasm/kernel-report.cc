// Linked into each wasm kernel tester: before the tests run, lists the registry entries its
// tester covers (the families named by PNN_REPORT_<FAMILY>) with their ISA and whether they
// are runnable here, i.e. in compiled & cpu, the same condition the testers use to test an entry
// rather than print "skipping". scripts/test-wasm-kernels.sh checks these lines: every wasmsimd
// entry, both host variants included, must be runnable, and none may be skipped.
#include <cstdio>

#include "hardware-config.h"

namespace {

const char* ArchName(uint32_t arch) {
  switch (arch) {
    case pnn::kArchScalar: return "scalar";
    case pnn::kArchWasmSIMD: return "wasmsimd";
    case pnn::kArchWasmX86Host: return "wasmsimd-x86-host";
    case pnn::kArchWasmArmHost: return "wasmsimd-arm-host";
    case pnn::kArchWasmRelaxed: return "wasmrelaxed";
    default: return "other";
  }
}

struct Counts {
  int entries = 0;
  int runnable = 0;
  int wasm = 0;
  int wasm_runnable = 0;
};

void Entry(Counts* c, const char* registry, uint32_t arch, const char* name) {
  const pnn::HardwareConfig* hw = pnn::get_hardware_config();
  const bool runnable = (hw->compiled & hw->cpu & arch) != 0;
  const bool wasm = (arch & (pnn::kArchWasmSIMD | pnn::kArchWasmX86Host | pnn::kArchWasmArmHost |
                             pnn::kArchWasmRelaxed)) != 0;
  c->entries++;
  c->runnable += runnable;
  c->wasm += wasm;
  c->wasm_runnable += wasm && runnable;
  std::printf("wasm-kernel-report: %s %s [%s] %s\n", registry, name, ArchName(arch),
              runnable ? "runnable" : "NOT-RUNNABLE");
}

void Summary(const Counts& c) {
  std::printf("wasm-kernel-report: total %d registry entries, %d runnable; wasm %d, %d runnable\n",
              c.entries, c.runnable, c.wasm, c.wasm_runnable);
  std::fflush(stdout);
}

struct Report {
  Report() {
    Counts c;
#if defined(PNN_REPORT_GEMM)
#define PNN_GEMM(arch, gemm_fn, igemm_fn, mr, nr) Entry(&c, "f32-gemm", arch, #gemm_fn "+" #igemm_fn);
#include "f32-gemm.inc"
#undef PNN_GEMM
#endif
#if defined(PNN_REPORT_WINOGRAD)
#define PNN_WINOGRAD(arch, input_fn, output_fn) \
  Entry(&c, "f32-winograd", arch, #input_fn "+" #output_fn);
#include "f32-winograd.inc"
#undef PNN_WINOGRAD
#endif
#if defined(PNN_REPORT_DWCONV)
#define PNN_DWCONV(arch, fn, taps, channel_tile) Entry(&c, "f32-dwconv", arch, #fn);
#include "f32-dwconv.inc"
#undef PNN_DWCONV
#endif
#if defined(PNN_REPORT_MAXPOOL)
#define PNN_MAXPOOL(arch, fn, channel_tile) Entry(&c, "f32-maxpool", arch, #fn);
#include "f32-maxpool.inc"
#undef PNN_MAXPOOL
#endif
#if defined(PNN_REPORT_ARGMAXPOOL)
#define PNN_ARGMAXPOOL(arch, fn, channel_tile) Entry(&c, "f32-argmaxpool", arch, #fn);
#include "f32-argmaxpool.inc"
#undef PNN_ARGMAXPOOL
#endif
#if defined(PNN_REPORT_AVGPOOL)
#define PNN_AVGPOOL(arch, fn, channel_tile) Entry(&c, "f32-avgpool", arch, #fn);
#include "f32-avgpool.inc"
#undef PNN_AVGPOOL
#endif
#if defined(PNN_REPORT_GAVGPOOL)
#define PNN_GAVGPOOL(arch, fn, channel_tile) Entry(&c, "f32-gavgpool", arch, #fn);
#include "f32-gavgpool.inc"
#undef PNN_GAVGPOOL
#endif
#if defined(PNN_REPORT_VBINARY)
#define PNN_VBINARY(arch, op, form, fn, tile) Entry(&c, "f32-vbinary", arch, #fn);
#include "f32-vbinary.inc"
#undef PNN_VBINARY
#endif
#if defined(PNN_REPORT_VUNARY)
#define PNN_VUNARY(arch, op, fn, tile) Entry(&c, "f32-vunary", arch, #fn);
#include "f32-vunary.inc"
#undef PNN_VUNARY
#endif
#if defined(PNN_REPORT_SOFTMAX)
#define PNN_RMAX(arch, fn, tile) Entry(&c, "f32-softmax", arch, #fn);
#define PNN_RADDSTOREEXPMINUSMAX(arch, fn, tile) Entry(&c, "f32-softmax", arch, #fn);
#define PNN_VSCALE(arch, fn, tile) Entry(&c, "f32-softmax", arch, #fn);
#include "f32-softmax.inc"
#undef PNN_RMAX
#undef PNN_RADDSTOREEXPMINUSMAX
#undef PNN_VSCALE
#endif
#if defined(PNN_REPORT_NORM)
#define PNN_RREDUCE(arch, op, fn, tile) Entry(&c, "f32-norm", arch, #fn);
#define PNN_RSUMSQDEV(arch, fn, tile) Entry(&c, "f32-norm", arch, #fn);
#define PNN_VNORM(arch, fn, tile) Entry(&c, "f32-norm", arch, #fn);
#define PNN_VPRELU(arch, fn, tile) Entry(&c, "f32-norm", arch, #fn);
#include "f32-norm.inc"
#undef PNN_RREDUCE
#undef PNN_RSUMSQDEV
#undef PNN_VNORM
#undef PNN_VPRELU
#endif
#if defined(PNN_REPORT_X32_TRANSPOSE)
#define PNN_X32_TRANSPOSE(arch, fn, tile) Entry(&c, "x32-transpose", arch, #fn);
#include "x32-transpose.inc"
#undef PNN_X32_TRANSPOSE
#endif
#if defined(PNN_REPORT_X32_COPY)
#define PNN_X32_COPY(arch, fn, tile) Entry(&c, "x32-copy", arch, #fn);
#include "x32-copy.inc"
#undef PNN_X32_COPY
#endif
#if defined(PNN_REPORT_X32_FILL)
#define PNN_X32_FILL(arch, fn, tile) Entry(&c, "x32-fill", arch, #fn);
#include "x32-fill.inc"
#undef PNN_X32_FILL
#endif
#if defined(PNN_REPORT_X32_PAD)
#define PNN_X32_PAD(arch, fn, tile) Entry(&c, "x32-pad", arch, #fn);
#include "x32-pad.inc"
#undef PNN_X32_PAD
#endif
    Summary(c);
  }
} report;

}  // namespace
