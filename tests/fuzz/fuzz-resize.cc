// Fuzz family: 2-D resize (NHWC; nearest or bilinear, every coordinate and nearest mode, raw
// enum values included). The model of pnn_create_resize2d_nhwc_f32: channels >= 1, known enum
// values, no flags; of the reshape: every dim >= 1, input and output bytes within size_t. The
// per-axis tables cost O(output_height + output_width), budgeted like a workspace.
#include <cstring>
#include <vector>

#include "fuzz-families.h"

namespace fuzz {

namespace {

Shape ResizeShape(Reader& r, size_t channels) {
  Shape s;
  const size_t n = r.dim(), h = r.dim(), w = r.dim(), oh = r.dim(), ow = r.dim();
  const u128 in = prod({n, h, w, channels});
  const u128 out = prod({n, oh, ow, channels});
  if (n == 0 || h == 0 || w == 0 || oh == 0 || ow == 0 || !fits_bytes(in) || !fits_bytes(out)) {
    s.expect = Expect::kReject;
  } else if (WorkspaceTooLarge(mul(2, u128{oh} + ow))) {
    s.expect = Expect::kSkip;
  } else {
    s.expect = Budget({in, out}, mul(out, 4));
  }
  s.function = "pnn_reshape_resize2d_nhwc_f32";
  s.reshape = [=](pnn_operator_t op, pnn_threadpool_t p) {
    return pnn_reshape_resize2d_nhwc_f32(op, n, h, w, oh, ow, p);
  };
  s.in0 = Layout::Dense(in);
  s.out = Layout::Dense(out);
  return s;
}

// A raw enum value: mostly a valid one below `count`, sometimes anything.
int RawEnum(Reader& r, int count) {
  const uint8_t b = r.u8();
  return b < 240 ? b % count : static_cast<int>(r.u32());
}

}  // namespace

bool CreateResize(Reader& r, Family* family) {
  pnn_resize2d_params p;
  std::memset(&p, 0, sizeof p);
  p.channels = r.dim();
  const int mode = RawEnum(r, 2), coordinates = RawEnum(r, 4), nearest = RawEnum(r, 4);
  std::memcpy(&p.mode, &mode, sizeof mode);  // a C caller may pass any int
  std::memcpy(&p.coordinate_mode, &coordinates, sizeof coordinates);
  std::memcpy(&p.nearest_mode, &nearest, sizeof nearest);
  p.flags = r.u8() < 240 ? 0 : r.u32();
  const bool ok = p.channels != 0 && (mode == 0 || mode == 1) && coordinates >= 0 &&
                  coordinates <= 3 && nearest >= 0 && nearest <= 3 && p.flags == 0;
  pnn_operator_t op = Poison();
  const pnn_status st = pnn_create_resize2d_nhwc_f32(&p, &op);
  ExpectCreate(st, op, ok, pnn_status_invalid_parameter, "pnn_create_resize2d_nhwc_f32");
  if (st != pnn_status_success) return false;
  const size_t channels = p.channels;
  family->Bind(kResize, op, PNN_FUZZ_CALL(pnn_setup_resize2d_nhwc_f32));
  family->next_shape = [channels](Reader& rr) { return ResizeShape(rr, channels); };
  return true;
}

int FuzzResize(const uint8_t* data, size_t size) { return FuzzFamily(CreateResize, data, size); }

}  // namespace fuzz
