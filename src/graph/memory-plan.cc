#include "graph/memory-plan.h"

#include <algorithm>

#include "allocator.h"
#include "graph/array.h"

namespace pnn {
namespace graph {

namespace {

bool round_up_to(size_t v, size_t a, size_t* out) {
  if (v > SIZE_MAX - (a - 1)) return false;
  *out = (v + a - 1) / a * a;
  return true;
}

}  // namespace

bool plan_arena(ArenaBlock* blocks, size_t count, size_t* arena_bytes) {
  Array<uint32_t> order, placed, live;
  if (!order.resize(count) || !placed.resize(0)) return false;
  for (size_t i = 0; i < count; i++) order[i] = static_cast<uint32_t>(i);
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    if (blocks[a].bytes != blocks[b].bytes) return blocks[a].bytes > blocks[b].bytes;
    return a < b;
  });
  size_t end = 0;
  for (uint32_t i : order) {
    ArenaBlock& blk = blocks[i];
    size_t bytes;
    if (!round_up_to(blk.bytes == 0 ? 1 : blk.bytes, kBufferAlignment, &bytes)) return false;
    // The placed blocks alive at the same time, by offset.
    if (!live.resize(0)) return false;
    for (uint32_t j : placed) {
      if (blocks[j].first <= blk.last && blk.first <= blocks[j].last && !live.push(j)) return false;
    }
    std::sort(live.begin(), live.end(),
              [&](uint32_t a, uint32_t b) { return blocks[a].offset < blocks[b].offset; });
    size_t offset = 0;
    for (uint32_t j : live) {
      if (blocks[j].offset >= offset && blocks[j].offset - offset >= bytes) break;  // fits below j
      size_t j_end;
      if (!round_up_to(blocks[j].offset + blocks[j].bytes, kBufferAlignment, &j_end)) return false;
      offset = std::max(offset, j_end);
    }
    if (offset > SIZE_MAX - bytes) return false;
    blk.offset = offset;
    end = std::max(end, offset + bytes);
    if (!placed.push(i)) return false;
  }
  *arena_bytes = end;
  return true;
}

}  // namespace graph
}  // namespace pnn
