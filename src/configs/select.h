// The one selection rule of every family config: walking a registry best first, a choice takes
// the first line whose ISA level is usable (compiled in, run by this CPU, not above PORTNN_ISA).
#pragma once

#include <cstddef>
#include <cstdint>

#include "hardware-config.h"

namespace pnn {

// The choice of a family whose lines carry one kernel and one tile: {kernel, or NULL when no
// line is usable; tile; name}.
template <class Fn>
struct KernelChoice {
  Fn fn;
  size_t tile;
  const char* name;
};

// C is a {fn, tile, name} aggregate; it keeps the first usable line offered.
template <class C, class Fn>
void select_first(C* choice, uint32_t arch, Fn fn, size_t tile, const char* name) {
  if (choice->fn == nullptr && arch_usable(arch)) *choice = C{fn, tile, name};
}

}  // namespace pnn
