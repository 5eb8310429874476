// Arena planning for the graph runtime: every tensor the runtime stores itself is a block of
// bytes alive from the step that writes it to the last step that reads it (steps are node
// positions in execution order). Blocks whose lifetimes overlap must not share bytes; the
// others may. plan_arena places the blocks largest first, each at the lowest 64-byte-aligned
// offset that clears every already placed block it lives alongside (first fit, as XNNPACK's
// memory planner and TFLite's greedy-by-size arena do), which keeps the arena close to the
// largest set of simultaneously live tensors on feed-forward models.
//
// Work is O(n log n + sum over blocks of the placed blocks alive at the same time): bounded by
// the graph's size limit (PNN_MAX_GRAPH_VALUES), with no other input-controlled loop.
#pragma once

#include <cstddef>
#include <cstdint>

namespace pnn {
namespace graph {

struct ArenaBlock {
  size_t bytes = 0;
  uint32_t first = 0, last = 0;  // lifetime, inclusive steps
  size_t offset = 0;             // set by plan_arena
};

// Sets every block's offset and *arena_bytes (the end of the highest block). Returns false when
// out of memory for its scratch arrays or when the arena size overflows size_t (nothing is
// meaningful then).
bool plan_arena(ArenaBlock* blocks, size_t count, size_t* arena_bytes);

}  // namespace graph
}  // namespace pnn
