// Every kernel registry (kernels/*.inc) as vectors of entries, read in one pass when first asked
// for: the kernel testers (tests/kernels/*-test.cc) make one gtest case per entry.
#pragma once

#include <vector>

#include "configs/configs.h"
#include "kernels/kernel-test.h"
#include "ukernels.h"

namespace pnn_test {

// A GEMM line: the GEMM and IGEMM kernels sharing one weight packing; named after the GEMM one.
struct GemmEntry {
  uint32_t arch;
  pnn_f32_gemm_ukernel_fn gemm;
  pnn_f32_igemm_ukernel_fn igemm;
  size_t mr, nr;
  const char* name;
  const char* igemm_name;
  friend void PrintTo(const GemmEntry& e, std::ostream* os) { *os << e.name; }
};

// The single-kernel families (KernelEntry's fields: tile, op, form, taps):
using DwconvEntry = KernelEntry<pnn_f32_dwconv_ukernel_fn>;      // tile: channels; taps (0: any)
using MaxPoolEntry = KernelEntry<pnn_f32_maxpool_ukernel_fn>;    // tile: channels
using ArgmaxPoolEntry = KernelEntry<pnn_f32_argmaxpool_ukernel_fn>;  // tile: channels
using AvgPoolEntry = KernelEntry<pnn_f32_avgpool_ukernel_fn>;    // tile: channels
using GAvgPoolEntry = KernelEntry<pnn_f32_gavgpool_ukernel_fn>;  // tile: channels
using VBinaryEntry = KernelEntry<pnn_f32_vbinary_ukernel_fn>;    // op: pnn_binary_op; form
using VUnaryEntry = KernelEntry<pnn_f32_vunary_ukernel_fn>;      // op: the unary slot
using RmaxEntry = KernelEntry<pnn_f32_rmax_ukernel_fn>;          // tile: elements per loop
using RaddstoreexpminusmaxEntry = KernelEntry<pnn_f32_raddstoreexpminusmax_ukernel_fn>;
using VscaleEntry = KernelEntry<pnn_f32_vscale_ukernel_fn>;

struct Registries {
  std::vector<GemmEntry> gemm;
  std::vector<DwconvEntry> dwconv;
  std::vector<MaxPoolEntry> maxpool;
  std::vector<ArgmaxPoolEntry> argmaxpool;
  std::vector<AvgPoolEntry> avgpool;
  std::vector<GAvgPoolEntry> gavgpool;
  std::vector<VBinaryEntry> vbinary;
  std::vector<VUnaryEntry> vunary;
  std::vector<RmaxEntry> rmax;
  std::vector<RaddstoreexpminusmaxEntry> raddstoreexpminusmax;
  std::vector<VscaleEntry> vscale;
};

inline const Registries& registry() {
  static const Registries r = [] {
    Registries r;
#define PNN_GEMM(arch, g, ig, mr, nr) r.gemm.push_back({arch, g, ig, mr, nr, #g, #ig});
#define PNN_VUNARY(arch, op, fn, tile) r.vunary.push_back({arch, fn, #fn, tile, op, 0, 0});
#include "f32-gemm.inc"
#include "f32-vunary.inc"
#undef PNN_GEMM
#undef PNN_VUNARY
#define PNN_DWCONV(arch, fn, taps, ct) r.dwconv.push_back({arch, fn, #fn, ct, 0, 0, taps});
#define PNN_VBINARY(arch, op, form, fn, tile) \
  r.vbinary.push_back({arch, fn, #fn, tile, op, form, 0});
#include "f32-dwconv.inc"
#include "f32-vbinary.inc"
#undef PNN_DWCONV
#undef PNN_VBINARY
#define PNN_MAXPOOL(arch, fn, tile) r.maxpool.push_back({arch, fn, #fn, tile, 0, 0, 0});
#define PNN_AVGPOOL(arch, fn, tile) r.avgpool.push_back({arch, fn, #fn, tile, 0, 0, 0});
#define PNN_GAVGPOOL(arch, fn, tile) r.gavgpool.push_back({arch, fn, #fn, tile, 0, 0, 0});
#include "f32-avgpool.inc"
#include "f32-gavgpool.inc"
#include "f32-maxpool.inc"
#undef PNN_MAXPOOL
#undef PNN_AVGPOOL
#undef PNN_GAVGPOOL
#define PNN_ARGMAXPOOL(arch, fn, tile) r.argmaxpool.push_back({arch, fn, #fn, tile, 0, 0, 0});
#include "f32-argmaxpool.inc"
#undef PNN_ARGMAXPOOL
#define PNN_RMAX(arch, fn, tile) r.rmax.push_back({arch, fn, #fn, tile, 0, 0, 0});
#define PNN_RADDSTOREEXPMINUSMAX(arch, fn, tile) \
  r.raddstoreexpminusmax.push_back({arch, fn, #fn, tile, 0, 0, 0});
#define PNN_VSCALE(arch, fn, tile) r.vscale.push_back({arch, fn, #fn, tile, 0, 0, 0});
#include "f32-softmax.inc"
#undef PNN_RMAX
#undef PNN_RADDSTOREEXPMINUSMAX
#undef PNN_VSCALE
    return r;
  }();
  return r;
}

}  // namespace pnn_test

// Bilinear interpolation (kernels/f32-ibilinear.inc); tile: channels per register block. A
// registry of its own, read when first asked for.
#include "ukernels-ibilinear.h"

namespace pnn_test {

using IbilinearEntry = KernelEntry<pnn_f32_ibilinear_ukernel_fn>;

inline const std::vector<IbilinearEntry>& ibilinear_registry() {
  static const std::vector<IbilinearEntry> r = [] {
    std::vector<IbilinearEntry> v;
#define PNN_IBILINEAR(arch, fn, tile) v.push_back({arch, fn, #fn, tile, 0, 0, 0});
#include "f32-ibilinear.inc"
#undef PNN_IBILINEAR
    return v;
  }();
  return r;
}

}  // namespace pnn_test

// The reduction and normalization family (kernels/f32-norm.inc): its own lists, read on first use.
#include "ukernels-norm.h"
namespace pnn_test {
using RReduceEntry = KernelEntry<pnn_f32_rreduce_ukernel_fn>;      // op: pnn_rreduce_op
using RSumSqDevEntry = KernelEntry<pnn_f32_rsumsqdev_ukernel_fn>;  // tile: elements per loop
using VNormEntry = KernelEntry<pnn_f32_vnorm_ukernel_fn>;
using VPReluEntry = KernelEntry<pnn_f32_vprelu_ukernel_fn>;
struct NormRegistries {
  std::vector<RReduceEntry> rreduce;  // sum, max and min lines, in registry order
  std::vector<RSumSqDevEntry> rsumsqdev;
  std::vector<VNormEntry> vnorm;  // layer / RMS / batch norm
  std::vector<VPReluEntry> vprelu;
};
inline const NormRegistries& norm_registry() {
  static const NormRegistries lists = [] {
    NormRegistries r;
    // Every line as an entry {arch, fn, name, tile, op, 0, 0} of its list.
    auto add = [](auto& list, uint32_t arch, auto fn, const char* name, size_t tile, int op) {
      list.push_back({arch, fn, name, tile, op, 0, 0});
    };
#define PNN_RREDUCE(arch, op, fn, tile) add(r.rreduce, arch, fn, #fn, tile, op);
#define PNN_RSUMSQDEV(arch, fn, tile) add(r.rsumsqdev, arch, fn, #fn, tile, 0);
#define PNN_VNORM(arch, fn, tile) add(r.vnorm, arch, fn, #fn, tile, 0);
#define PNN_VPRELU(arch, fn, tile) add(r.vprelu, arch, fn, #fn, tile, 0);
#include "f32-norm.inc"
#undef PNN_RREDUCE
#undef PNN_RSUMSQDEV
#undef PNN_VNORM
#undef PNN_VPRELU
    return r;
  }();
  return lists;
}
}  // namespace pnn_test
