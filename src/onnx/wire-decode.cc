// A hand-written protobuf wire decoder of exactly src/onnx/onnx.proto, filling the decoded-model
// structure (src/onnx/model.h) as src/onnx/decode.cc does with Debian's protobuf lite runtime; and,
// when built with PNN_ONNX_WIRE_LOADER=1, pnn_load_onnx on top of it for the WASI programs
// (tests/wasi/run.sh), which have no protobuf.
//
// Why a hand-written decoder rather than Debian's protobuf lite runtime compiled for wasm32 (issue
// 14 allows one "only if neither fits"; protobufjs, the browser's decoder, needs a JS host, which a
// WASI program does not have). Checked here on 2026-12-03:
//   - Source: `apt-get source protobuf` fails on these machines ("You must put some 'deb-src' URIs
//     in your sources.list": their apt sources list binary packages only). deb.debian.org is
//     reachable, and with a private apt configuration holding deb-src entries apt-get fetches
//     protobuf 3.21.12-3+deb12u1 (5.2 MB); scripts/setup.sh would have to do that on every machine.
//   - Build: the lite runtime's sources (cmake/libprotobuf-lite.cmake) do compile with
//     em++ -fno-exceptions (Emscripten 3.1.6). But standalone WASI programs have no exception
//     support there, and without exceptions protobuf's allocations (every string and repeated
//     field of a parse) abort when memory runs out, as do its GOOGLE_LOG(FATAL) checks: the
//     library would abort on a large or hostile file where portnn promises out_of_memory and a
//     reason. decode.cc's pnn_load_onnx catches exactly those exceptions with try/catch, which
//     does not compile with -fno-exceptions, so WASI would need its own entry point anyway.
//   - A decoder of this schema is small (the schema is 100 lines, 12 messages, no recursion), and
//     protobuf stays the oracle: the fuzz target below runs both on every input.
// What the decoder owes, and how it is held to it:
//   - The same answer as protobuf on every input: the same bytes accepted and rejected, and the
//     same fields (proto2 semantics: the last value of a scalar wins, a repeated field appends, a
//     message field that occurs twice is merged, unknown fields are skipped but must be
//     well-formed, both packed and unpacked encodings of repeated numbers, protobuf's 100-level
//     recursion limit counted over messages and groups, the same varint, tag and length rules).
//     tests/fuzz/fuzz-onnx-decoders.cc decodes every input with both and asserts that they agree
//     field by field (libFuzzer, ASan + UBSan, in scripts/fuzz.sh).
//   - No recursion: the schema's nesting is fixed (each message has its own function and none
//     contains itself); unknown groups, whose nesting the file controls, are skipped with an
//     explicit, bounded stack.
//   - Bounds before allocation: every length is checked against the bytes left in its enclosing
//     message before anything is copied, so the decoded model is at most a small multiple of the
//     file. Built without exceptions (WASI), each copy of file bytes is probed with malloc first
//     (as wasm/onnx-glue.cc does) and a shortfall is out_of_memory, not an abort.
// Native builds keep decode.cc (protobuf lite); this file is compiled there only for the fuzz
// target's comparison.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "onnx/decode.h"

namespace pnn {
namespace onnx {
namespace {

// protobuf's io::CodedInputStream::GetDefaultRecursionLimit(): nesting of messages and groups.
constexpr int kRecursionLimit = 100;
// protobuf's ParseContext::kSlopBytes: a length above INT32_MAX - 16 is rejected outright.
constexpr uint32_t kMaxLength = 0x7fffffffu - 16;

enum WireType : uint32_t {
  kVarint = 0,
  kFixed64 = 1,
  kLength = 2,
  kStartGroup = 3,
  kEndGroup = 4,
  kFixed32 = 5,
};

// One message's bytes: [p, end). Sub-messages get readers over their own length.
struct Reader {
  const uint8_t* p;
  const uint8_t* end;
  size_t left() const { return static_cast<size_t>(end - p); }
};

// The decoder's state across the whole file: the recursion budget and whether an allocation
// probe failed.
struct Context {
  int depth = kRecursionLimit;
  bool out_of_memory = false;
};

// Whether `bytes` can be allocated now. With exceptions, allocation failure throws from the
// container itself; without, a failed operator new would abort, so ask malloc first. Emscripten
// always asks: its default (-fignore-exceptions) says exceptions are on, but a throw aborts.
bool room(Context* ctx, size_t bytes) {
#if (defined(__cpp_exceptions) || defined(__EXCEPTIONS)) && !defined(__EMSCRIPTEN__)
  (void)ctx;
  (void)bytes;
  return true;
#else
  if (bytes == 0) return true;
  void* probe = std::malloc(bytes);
  if (probe == nullptr) {
    ctx->out_of_memory = true;
    return false;
  }
  std::free(probe);
  return true;
#endif
}

// A varint of at most 10 bytes; bits beyond 64 are dropped (protobuf's VarintParse).
bool read_varint(Reader* r, uint64_t* out) {
  uint64_t value = 0;
  for (int i = 0; i < 10; i++) {
    if (r->p == r->end) return false;
    const uint8_t byte = *r->p++;
    value |= static_cast<uint64_t>(byte & 0x7f) << (7 * i);
    if (byte < 0x80) {
      *out = value;
      return true;
    }
  }
  return false;
}

// A tag: a varint of at most 5 bytes, bits beyond 32 dropped (protobuf's ReadTag).
bool read_tag(Reader* r, uint32_t* out) {
  uint32_t value = 0;
  for (int i = 0; i < 5; i++) {
    if (r->p == r->end) return false;
    const uint8_t byte = *r->p++;
    value |= static_cast<uint32_t>(byte & 0x7f) << (7 * i);
    if (byte < 0x80) {
      *out = value;
      return true;
    }
  }
  return false;
}

// A length: at most 5 bytes, below 2^31 - 16 (protobuf's ReadSize), and within the message.
bool read_length(Reader* r, size_t* out) {
  uint32_t value = 0;
  for (int i = 0; i < 5; i++) {
    if (r->p == r->end) return false;
    const uint8_t byte = *r->p++;
    if (i == 4 && byte >= 8) return false;
    value |= static_cast<uint32_t>(byte & 0x7f) << (7 * i);
    if (byte < 0x80) {
      if (value > kMaxLength || value > r->left()) return false;
      *out = value;
      return true;
    }
  }
  return false;
}

uint32_t load_le32(const uint8_t* p) {
  return static_cast<uint32_t>(p[0]) | static_cast<uint32_t>(p[1]) << 8 |
         static_cast<uint32_t>(p[2]) << 16 | static_cast<uint32_t>(p[3]) << 24;
}

uint64_t load_le64(const uint8_t* p) {
  return static_cast<uint64_t>(load_le32(p)) | static_cast<uint64_t>(load_le32(p + 4)) << 32;
}

float as_float(uint32_t bits) {
  float f;
  std::memcpy(&f, &bits, sizeof f);
  return f;
}

double as_double(uint64_t bits) {
  double d;
  std::memcpy(&d, &bits, sizeof d);
  return d;
}

// A length-delimited field's contents as a reader (the caller's reader moves past it).
bool read_sub(Reader* r, Reader* sub) {
  size_t length;
  if (!read_length(r, &length)) return false;
  *sub = Reader{r->p, r->p + length};
  r->p += length;
  return true;
}

// A string or bytes field: the last occurrence wins.
bool read_bytes(Context* ctx, Reader* r, std::string* out) {
  Reader sub;
  if (!read_sub(r, &sub)) return false;
  if (!room(ctx, sub.left())) return false;
  out->assign(reinterpret_cast<const char*>(sub.p), sub.left());
  return true;
}

bool append_bytes(Context* ctx, Reader* r, std::vector<std::string>* out) {
  Reader sub;
  if (!read_sub(r, &sub)) return false;
  if (!room(ctx, sub.left() + sizeof(std::string) * (out->size() + 1))) return false;
  out->emplace_back(reinterpret_cast<const char*>(sub.p), sub.left());
  return true;
}

// A length-delimited field kept only as "present" or counted: its bytes are not parsed.
bool skip_bytes(Reader* r) {
  Reader sub;
  return read_sub(r, &sub);
}

// Skips a field of a number or wire type the schema does not list, as protobuf does (it keeps
// them as unknown fields, which must be well-formed): field number 0 and wire types 6 and 7 are
// errors; a group must end with an end-group tag of its own number, at most `ctx->depth` deep.
// The group stack is explicit (no recursion); its depth is bounded by the recursion limit.
bool skip_field(Context* ctx, Reader* r, uint32_t tag) {
  uint32_t open[kRecursionLimit + 1];
  int num_open = 0;
  const int depth_before = ctx->depth;
  for (;;) {
    const uint32_t number = tag >> 3;
    if (number == 0) return false;
    switch (tag & 7) {
      case kVarint: {
        uint64_t ignored;
        if (!read_varint(r, &ignored)) return false;
        break;
      }
      case kFixed64:
        if (r->left() < 8) return false;
        r->p += 8;
        break;
      case kLength:
        if (!skip_bytes(r)) return false;
        break;
      case kStartGroup:
        if (--ctx->depth < 0) return false;
        open[num_open++] = number;
        break;
      case kFixed32:
        if (r->left() < 4) return false;
        r->p += 4;
        break;
      default:  // 6, 7; an end-group tag never gets here
        return false;
    }
    if (num_open == 0) break;
    // Inside a group: the next field, or its end.
    if (!read_tag(r, &tag) || tag == 0) return false;
    while ((tag & 7) == kEndGroup) {
      if (tag >> 3 != open[num_open - 1]) return false;
      num_open--;
      ctx->depth++;
      if (num_open == 0) break;
      if (!read_tag(r, &tag) || tag == 0) return false;
    }
    if (num_open == 0) break;
  }
  ctx->depth = depth_before;
  return true;
}

// Reads the next tag of a message; false at a tag that ends a message (0 or an end-group tag,
// which protobuf rejects inside a length-delimited message and at the top level alike).
bool next_tag(Reader* r, uint32_t* tag) {
  return read_tag(r, tag) && *tag != 0 && (*tag & 7) != kEndGroup;
}

// Repeated numbers: one value, or a packed run of them (protobuf accepts both for any repeated
// number field, whatever the schema's [packed] says).
template <typename T, typename Convert>
bool append_varints(Context* ctx, Reader* r, uint32_t wire, std::vector<T>* out, Convert convert) {
  uint64_t v = 0;
  if (wire == kVarint) {
    if (!read_varint(r, &v)) return false;
    out->push_back(convert(v));
    return true;
  }
  Reader sub;
  if (!read_sub(r, &sub)) return false;
  size_t count = 0;  // an upper bound: bytes that end a varint
  for (const uint8_t* q = sub.p; q != sub.end; q++) count += *q < 0x80;
  if (!room(ctx, (out->size() + count) * sizeof(T))) return false;
  out->reserve(out->size() + count);
  while (sub.p != sub.end) {
    if (!read_varint(&sub, &v)) return false;
    out->push_back(convert(v));
  }
  return true;
}

template <typename T, size_t kBytes, typename Convert>
bool append_fixed(Context* ctx, Reader* r, uint32_t wire, std::vector<T>* out, Convert convert) {
  if (wire != kLength) {
    if (r->left() < kBytes) return false;
    out->push_back(convert(r->p));
    r->p += kBytes;
    return true;
  }
  Reader sub;
  if (!read_sub(r, &sub)) return false;
  if (sub.left() % kBytes != 0) return false;
  const size_t count = sub.left() / kBytes;
  if (!room(ctx, (out->size() + count) * sizeof(T))) return false;
  out->reserve(out->size() + count);
  for (; sub.p != sub.end; sub.p += kBytes) out->push_back(convert(sub.p));
  return true;
}

int64_t to_int64(uint64_t v) { return static_cast<int64_t>(v); }
int32_t to_int32(uint64_t v) { return static_cast<int32_t>(static_cast<uint32_t>(v)); }
float to_float(const uint8_t* p) { return as_float(load_le32(p)); }
double to_double(const uint8_t* p) { return as_double(load_le64(p)); }

// Enters a sub-message: its reader, one level of the recursion budget.
bool enter(Context* ctx, Reader* r, Reader* sub) {
  if (!read_sub(r, sub)) return false;
  return --ctx->depth >= 0;
}

void leave(Context* ctx) { ctx->depth++; }

// Appends a default record to `list` and parses a sub-message into it.
template <typename T, typename Parse>
bool append_message(Context* ctx, Reader* r, std::vector<T>* list, Parse parse) {
  Reader sub;
  bool ok = room(ctx, sizeof(T) * (list->size() + 1)) && enter(ctx, r, &sub);
  if (ok) {
    list->emplace_back();
    ok = parse(ctx, &sub, &list->back());
  }
  leave(ctx);
  return ok;
}

// TensorProto fields that decode.cc reduces to one flag once the message is complete (a message
// field occurring twice is merged first): data_location and the external_data entries.
struct TensorLocation {
  int32_t data_location = 0;
  size_t num_external = 0;
  bool external() const { return data_location == 1 || num_external != 0; }
};

bool parse_segment(Context* ctx, Reader* r) {
  uint32_t tag;
  while (r->p != r->end) {
    if (!next_tag(r, &tag)) return false;
    const uint32_t number = tag >> 3, wire = tag & 7;
    uint64_t ignored;
    if ((number == 1 || number == 2) && wire == kVarint) {
      if (!read_varint(r, &ignored)) return false;
    } else if (!skip_field(ctx, r, tag)) {
      return false;
    }
  }
  return true;
}

bool parse_tensor(Context* ctx, Reader* r, Tensor* t, TensorLocation* location) {
  uint32_t tag;
  while (r->p != r->end) {
    if (!next_tag(r, &tag)) return false;
    const uint32_t number = tag >> 3, wire = tag & 7;
    uint64_t v = 0;
    bool ok;
    if (number == 1 && (wire == kVarint || wire == kLength)) {
      ok = append_varints(ctx, r, wire, &t->dims, to_int64);
    } else if (number == 2 && wire == kVarint) {
      ok = read_varint(r, &v);
      t->data_type = to_int32(v);
    } else if (number == 3 && wire == kLength) {
      Reader sub;
      ok = enter(ctx, r, &sub) && parse_segment(ctx, &sub);
      leave(ctx);
      t->has_segment = true;
    } else if (number == 4 && (wire == kFixed32 || wire == kLength)) {
      ok = append_fixed<float, 4>(ctx, r, wire, &t->float_data, to_float);
    } else if (number == 5 && (wire == kVarint || wire == kLength)) {
      ok = append_varints(ctx, r, wire, &t->int32_data, to_int32);
    } else if (number == 7 && (wire == kVarint || wire == kLength)) {
      ok = append_varints(ctx, r, wire, &t->int64_data, to_int64);
    } else if (number == 8 && wire == kLength) {
      ok = read_bytes(ctx, r, &t->name);
    } else if (number == 9 && wire == kLength) {
      ok = read_bytes(ctx, r, &t->raw_data);
    } else if (number == 10 && (wire == kFixed64 || wire == kLength)) {
      ok = append_fixed<double, 8>(ctx, r, wire, &t->double_data, to_double);
    } else if (number == 13 && wire == kLength) {
      ok = skip_bytes(r);
      location->num_external++;
    } else if (number == 14 && wire == kVarint) {
      ok = read_varint(r, &v);
      location->data_location = to_int32(v);
    } else {
      ok = skip_field(ctx, r, tag);
    }
    if (!ok) return false;
  }
  return true;
}

// A tensor of its own (an initializer, an attribute's tensors entry), in an entered reader.
bool parse_tensor_message(Context* ctx, Reader* r, Tensor* t) {
  TensorLocation location;
  const bool ok = parse_tensor(ctx, r, t, &location);
  t->external_data = location.external();
  return ok;
}

bool parse_attribute(Context* ctx, Reader* r, Attribute* a) {
  TensorLocation t_location;  // of a.t, across merged occurrences
  bool has_g = false;
  size_t num_graphs = 0;
  uint32_t tag;
  bool ok = true;
  while (ok && r->p != r->end) {
    if (!next_tag(r, &tag)) return false;
    const uint32_t number = tag >> 3, wire = tag & 7;
    uint64_t v = 0;
    if (number == 1 && wire == kLength) {
      ok = read_bytes(ctx, r, &a->name);
    } else if (number == 21 && wire == kLength) {
      ok = read_bytes(ctx, r, &a->ref_attr_name);
    } else if (number == 20 && wire == kVarint) {
      ok = read_varint(r, &v);
      a->type = to_int32(v);
    } else if (number == 2 && wire == kFixed32) {
      ok = r->left() >= 4;
      if (ok) a->f = to_float(r->p), r->p += 4;
    } else if (number == 3 && wire == kVarint) {
      ok = read_varint(r, &v);
      a->i = to_int64(v);
    } else if (number == 4 && wire == kLength) {
      ok = read_bytes(ctx, r, &a->s);
    } else if (number == 5 && wire == kLength) {
      Reader sub;
      ok = enter(ctx, r, &sub) && parse_tensor(ctx, &sub, &a->t, &t_location);
      leave(ctx);
      a->has_t = true;
    } else if (number == 6 && wire == kLength) {
      ok = skip_bytes(r);
      has_g = true;
    } else if (number == 7 && (wire == kFixed32 || wire == kLength)) {
      ok = append_fixed<float, 4>(ctx, r, wire, &a->floats, to_float);
    } else if (number == 8 && (wire == kVarint || wire == kLength)) {
      ok = append_varints(ctx, r, wire, &a->ints, to_int64);
    } else if (number == 9 && wire == kLength) {
      ok = append_bytes(ctx, r, &a->strings);
    } else if (number == 10 && wire == kLength) {
      // Parsed (protobuf validates it) and counted: no mapped operator takes tensors.
      Tensor ignored;
      Reader sub;
      ok = enter(ctx, r, &sub) && parse_tensor_message(ctx, &sub, &ignored);
      leave(ctx);
      a->num_tensors++;
    } else if (number == 11 && wire == kLength) {
      ok = skip_bytes(r);
      num_graphs++;
    } else {
      ok = skip_field(ctx, r, tag);
    }
  }
  if (a->has_t) a->t.external_data = t_location.external();
  a->num_graphs = num_graphs + (has_g ? 1 : 0);
  return ok;
}

bool parse_node(Context* ctx, Reader* r, Node* n) {
  uint32_t tag;
  while (r->p != r->end) {
    if (!next_tag(r, &tag)) return false;
    const uint32_t number = tag >> 3, wire = tag & 7;
    bool ok;
    if (number == 1 && wire == kLength) {
      ok = append_bytes(ctx, r, &n->inputs);
    } else if (number == 2 && wire == kLength) {
      ok = append_bytes(ctx, r, &n->outputs);
    } else if (number == 3 && wire == kLength) {
      ok = read_bytes(ctx, r, &n->name);
    } else if (number == 4 && wire == kLength) {
      ok = read_bytes(ctx, r, &n->op_type);
    } else if (number == 7 && wire == kLength) {
      ok = read_bytes(ctx, r, &n->domain);
    } else if (number == 5 && wire == kLength) {
      ok = append_message(ctx, r, &n->attributes, parse_attribute);
    } else {
      ok = skip_field(ctx, r, tag);
    }
    if (!ok) return false;
  }
  return true;
}

bool parse_dimension(Context* ctx, Reader* r, Dimension* d) {
  uint32_t tag;
  while (r->p != r->end) {
    if (!next_tag(r, &tag)) return false;
    const uint32_t number = tag >> 3, wire = tag & 7;
    bool ok;
    if (number == 1 && wire == kVarint) {
      uint64_t v = 0;
      ok = read_varint(r, &v);
      d->has_value = true;
      d->value = to_int64(v);
    } else if (number == 2 && wire == kLength) {
      ok = read_bytes(ctx, r, &d->param);
    } else {
      ok = skip_field(ctx, r, tag);
    }
    if (!ok) return false;
  }
  return true;
}

bool parse_shape(Context* ctx, Reader* r, ValueInfo* vi) {
  uint32_t tag;
  while (r->p != r->end) {
    if (!next_tag(r, &tag)) return false;
    bool ok;
    if (tag == (1u << 3 | kLength)) {
      ok = append_message(ctx, r, &vi->dims, parse_dimension);
    } else {
      ok = skip_field(ctx, r, tag);
    }
    if (!ok) return false;
  }
  return true;
}

// TypeProto.Tensor. Fields are written only when the value is a tensor: decode.cc ignores the
// rest of a type that has no tensor_type.
bool parse_tensor_type(Context* ctx, Reader* r, ValueInfo* vi) {
  uint32_t tag;
  while (r->p != r->end) {
    if (!next_tag(r, &tag)) return false;
    bool ok;
    if (tag == (1u << 3 | kVarint)) {
      uint64_t v = 0;
      ok = read_varint(r, &v);
      vi->elem_type = to_int32(v);
    } else if (tag == (2u << 3 | kLength)) {
      Reader sub;
      ok = enter(ctx, r, &sub) && parse_shape(ctx, &sub, vi);
      leave(ctx);
      vi->has_shape = true;
    } else {
      ok = skip_field(ctx, r, tag);
    }
    if (!ok) return false;
  }
  return true;
}

// TypeProto: sequence_type, map_type and optional_type are bytes in the schema (presence only,
// and decode.cc reads none of them), so they are skipped like unknown fields.
bool parse_type(Context* ctx, Reader* r, ValueInfo* vi) {
  uint32_t tag;
  while (r->p != r->end) {
    if (!next_tag(r, &tag)) return false;
    bool ok;
    if (tag == (1u << 3 | kLength)) {
      Reader sub;
      ok = enter(ctx, r, &sub) && parse_tensor_type(ctx, &sub, vi);
      leave(ctx);
      vi->has_tensor_type = true;
    } else {
      ok = skip_field(ctx, r, tag);
    }
    if (!ok) return false;
  }
  return true;
}

bool parse_value_info(Context* ctx, Reader* r, ValueInfo* vi) {
  // decode.cc copies elem_type, has_shape and dims only when the type has a tensor_type; this
  // parse writes them only inside one, which is the same.
  uint32_t tag;
  while (r->p != r->end) {
    if (!next_tag(r, &tag)) return false;
    bool ok;
    if (tag == (1u << 3 | kLength)) {
      ok = read_bytes(ctx, r, &vi->name);
    } else if (tag == (2u << 3 | kLength)) {
      Reader sub;
      ok = enter(ctx, r, &sub) && parse_type(ctx, &sub, vi);
      leave(ctx);
    } else {
      ok = skip_field(ctx, r, tag);
    }
    if (!ok) return false;
  }
  return true;
}

bool parse_graph(Context* ctx, Reader* r, Model* m) {
  uint32_t tag;
  while (r->p != r->end) {
    if (!next_tag(r, &tag)) return false;
    const uint32_t number = tag >> 3, wire = tag & 7;
    bool ok;
    if (number == 1 && wire == kLength) {
      ok = append_message(ctx, r, &m->nodes, parse_node);
    } else if (number == 2 && wire == kLength) {
      ok = read_bytes(ctx, r, &m->graph_name);
    } else if (number == 5 && wire == kLength) {
      ok = append_message(ctx, r, &m->initializers, parse_tensor_message);
    } else if (number == 15 && wire == kLength) {
      ok = skip_bytes(r);
      m->num_sparse_initializers++;
    } else if (number == 11 && wire == kLength) {
      ok = append_message(ctx, r, &m->inputs, parse_value_info);
    } else if (number == 12 && wire == kLength) {
      ok = append_message(ctx, r, &m->outputs, parse_value_info);
    } else {
      ok = skip_field(ctx, r, tag);
    }
    if (!ok) return false;
  }
  return true;
}

bool parse_opset(Context* ctx, Reader* r, OpsetImport* o) {
  uint32_t tag;
  while (r->p != r->end) {
    if (!next_tag(r, &tag)) return false;
    bool ok;
    if (tag == (1u << 3 | kLength)) {
      ok = read_bytes(ctx, r, &o->domain);
    } else if (tag == (2u << 3 | kVarint)) {
      uint64_t v = 0;
      ok = read_varint(r, &v);
      o->version = to_int64(v);
    } else {
      ok = skip_field(ctx, r, tag);
    }
    if (!ok) return false;
  }
  return true;
}

bool parse_model(Context* ctx, Reader* r, Model* m) {
  uint32_t tag;
  while (r->p != r->end) {
    if (!next_tag(r, &tag)) return false;
    const uint32_t number = tag >> 3, wire = tag & 7;
    bool ok;
    if (number == 1 && wire == kVarint) {
      uint64_t v = 0;
      ok = read_varint(r, &v);
      m->ir_version = to_int64(v);
    } else if (number == 8 && wire == kLength) {
      ok = append_message(ctx, r, &m->opset_imports, parse_opset);
    } else if (number == 7 && wire == kLength) {
      Reader sub;
      ok = enter(ctx, r, &sub) && parse_graph(ctx, &sub, m);
      leave(ctx);
      m->has_graph = true;
    } else if (number == 25 && wire == kLength) {
      ok = skip_bytes(r);
      m->num_functions++;
    } else {
      ok = skip_field(ctx, r, tag);
    }
    if (!ok) return false;
  }
  return true;
}

}  // namespace

WireResult decode_wire(const void* data, size_t size, Model* model) {
  Context ctx;
  Reader r{static_cast<const uint8_t*>(data), static_cast<const uint8_t*>(data) + size};
  if (parse_model(&ctx, &r, model)) return WireResult::kOk;
  return ctx.out_of_memory ? WireResult::kOutOfMemory : WireResult::kMalformed;
}

}  // namespace onnx
}  // namespace pnn

#if PNN_ONNX_WIRE_LOADER
// pnn_load_onnx for builds without protobuf (the WASI programs): the same argument checks, limits
// and reasons as decode.cc's, with decode_wire in place of decode_protobuf, and no exceptions.
#include "error.h"
#include "onnx/import.h"
#include "portnn-onnx.h"

extern "C" pnn_status pnn_load_onnx(const void* data, size_t size, size_t num_input_shapes,
                                    const pnn_onnx_input_shape* input_shapes, uint32_t flags,
                                    pnn_onnx_model_t* model_out) {
  PNN_API_SCOPE();
  using pnn::fail;
  if (data == nullptr || model_out == nullptr) {
    return fail(pnn_status_invalid_parameter, "%s is NULL", data == nullptr ? "data" : "model_out");
  }
  if (size == 0 || size > PNN_ONNX_MAX_MODEL_BYTES) {
    return fail(pnn_status_invalid_parameter,
                "size is %zu bytes; a model has 1 to %zu (PNN_ONNX_MAX_MODEL_BYTES)", size,
                static_cast<size_t>(PNN_ONNX_MAX_MODEL_BYTES));
  }
  if (flags != 0) return fail(pnn_status_invalid_parameter, "flags is %u; must be 0", flags);
  if (num_input_shapes != 0 && input_shapes == nullptr) {
    return fail(pnn_status_invalid_parameter, "input_shapes is NULL with num_input_shapes %zu",
                num_input_shapes);
  }
  pnn::onnx::Model model;
  switch (pnn::onnx::decode_wire(data, size, &model)) {
    case pnn::onnx::WireResult::kOk:
      break;
    case pnn::onnx::WireResult::kOutOfMemory:
      return fail(pnn_status_out_of_memory, "out of memory while loading the model");
    case pnn::onnx::WireResult::kMalformed:
      return fail(pnn_status_invalid_parameter,
                  "the %zu bytes are not an ONNX ModelProto (protobuf decoding failed: truncated, "
                  "a length that lies, or not a model file)",
                  size);
  }
  return pnn::onnx::import_model("pnn_load_onnx", model, num_input_shapes, input_shapes,
                                 model_out);
}
#endif  // PNN_ONNX_WIRE_LOADER
