// Fuzz family: batched matrix multiplication. The model of the create: only the two transpose
// flags. A reshape takes up to PNN_MAX_DIMS batch dims per operand (0 allowed) that broadcast
// NumPy-style, m, k, n >= 1, and no operand or output whose element count or bytes overflow;
// it reports exactly num_batch_dims output dims. A, B and the output must not overlap.
#include <memory>
#include <vector>

#include "fuzz-families.h"

namespace fuzz {

bool CreateBatchMatmul(Reader& r, Family* family) {
  const uint8_t f = r.u8();
  const uint32_t both = PNN_FLAG_TRANSPOSE_A | PNN_FLAG_TRANSPOSE_B;
  const uint32_t flags = f < 240 ? (f & both) : r.u32();
  pnn_operator_t op = Poison();
  const pnn_status st = pnn_create_batch_matmul_f32(flags, &op);
  ExpectCreate(st, op, (flags & ~both) == 0, pnn_status_invalid_parameter,
               "pnn_create_batch_matmul_f32");
  if (st != pnn_status_success) return false;
  family->Bind(kBatchMatmul, op, PNN_FUZZ_CALL(pnn_setup_batch_matmul_f32));
  const bool transpose_a = (flags & PNN_FLAG_TRANSPOSE_A) != 0;
  family->next_shape = [transpose_a](Reader& rr) {
    Shape s;
    const size_t nd = rr.u8() % 8;
    std::vector<size_t> da(nd), db(nd), dout(nd);
    bool bad = nd > PNN_MAX_DIMS;
    u128 ba = 1, bb = 1, bo = 1;
    for (size_t i = 0; i < nd; i++) {
      // Mostly equal dims or a 1 on one side, sometimes anything.
      const uint8_t mode = rr.u8() % 8;
      da[i] = rr.dim();
      db[i] = mode < 4 ? da[i] : mode == 4 ? 1 : mode == 5 ? (da[i] = 1, rr.dim()) : rr.dim();
      if (da[i] == 0 || db[i] == 0 || (da[i] != db[i] && da[i] != 1 && db[i] != 1)) bad = true;
      dout[i] = da[i] > db[i] ? da[i] : db[i];
      ba = mul(ba, da[i]);
      bb = mul(bb, db[i]);
      bo = mul(bo, dout[i]);
    }
    const size_t m = rr.dim(), k = rr.dim(), n = rr.dim();
    const u128 sa = prod({ba, m, k}), sb = prod({bb, k, n}), so = prod({bo, m, n});
    if (bad || m == 0 || k == 0 || n == 0 || ba > kSizeMax || bb > kSizeMax || bo > kSizeMax ||
        !fits_bytes(sa) || !fits_bytes(sb) || !fits_bytes(so)) {
      s.expect = Expect::kReject;
    } else if (WorkspaceTooLarge(prod({bb, u128{n} + 16, u128{k} + 1})) ||
               (transpose_a && WorkspaceTooLarge(sa))) {
      // Reshape allocates room to pack B (and to transpose A): not affordable on every input.
      s.expect = Expect::kSkip;
    } else {
      s.expect = Budget({sa, sb, so}, mul(so, k));
      s.in0 = Layout::Dense(sa);
      s.in1 = Layout::Dense(sb);
      s.out = Layout::Dense(so);
    }
    auto reported = std::make_shared<std::vector<size_t>>(PNN_MAX_DIMS + 1, 0xABCD);
    s.function = "pnn_reshape_batch_matmul_f32";
    s.reshape = [=](pnn_operator_t o, pnn_threadpool_t p) {
      return pnn_reshape_batch_matmul_f32(o, nd, da.data(), db.data(), m, k, n, reported->data(),
                                          p);
    };
    s.check_reported = [=] {
      for (size_t i = 0; i < nd; i++)
        FUZZ_CHECK((*reported)[i] == dout[i], "batch dim %zu reported %zu, broadcast %zu", i,
                   (*reported)[i], dout[i]);
      FUZZ_CHECK((*reported)[nd] == 0xABCD, "wrote past num_batch_dims output dims");
    };
    s.check_unreported = [=] {
      FUZZ_CHECK((*reported)[0] == 0xABCD, "a rejected reshape wrote output_batch_dims");
    };
    return s;
  };
  return true;
}

int FuzzBatchMatmul(const uint8_t* data, size_t size) {
  return FuzzFamily(CreateBatchMatmul, data, size);
}

}  // namespace fuzz
