#!/usr/bin/env python3
"""Writes the seed corpus of every fuzz target into OUTDIR/<target>/ (the fuzz build runs it;
nothing is committed). Each seed encodes one readable case in the byte format of fuzz::Reader
(fuzz-driver.h), field by field in the order the target reads them: valid operators of every
family with small shapes (plain and strided, in place and not), and the hostile corners (zero and
overflowing sizes, padding beyond the input, dilation past it, NaN and inverted clamps, unknown
ops and flags, shapes that do not broadcast). Where a target reads a field only on some paths a
seed may be off by a field; any bytes decode to something, so it is still a useful start.

Usage: tests/fuzz/make-seeds.py OUTDIR
"""
import os
import shutil
import sys

U32_MAX = 0xFFFFFFFF
SIZE_MAX = 0xFFFFFFFFFFFFFFFF
H = U32_MAX


# --- encoders mirroring fuzz::Reader ----------------------------------------------------------
def dim(v):
    """Reader::dim()."""
    if 1 <= v <= 16:
        return [v - 1]
    special = {0: 0xF0, U32_MAX: 0xF1, SIZE_MAX: 0xF2, SIZE_MAX // 4 + 1: 0xF3}
    if v in special:
        return [special[v]]
    if v & (v - 1) == 0:
        return [0xF4, v.bit_length() - 1]
    if v <= 256:
        return [0xF8, v - 1]
    if v <= 65536:
        return [0xF9, (v - 1) & 0xFF, (v - 1) >> 8]
    return [0xF6] + list(v.to_bytes(8, "little"))


def u32p(v):
    """Reader::u32param()."""
    if 0 <= v <= 15:
        return [v]
    if v == U32_MAX:
        return [0xF0]
    if v & (v - 1) == 0:
        return [0xF2, v.bit_length() - 1]
    if v <= 256:
        return [0xF4, v - 1]
    return [0xF3] + list(v.to_bytes(4, "little"))


def fparam(v):
    """Reader::fparam(): 'inf', '-inf', 'nan' or a multiple of 1/16 in [-8.5, 7.4]."""
    special = {"-inf": 0, "inf": 1, "nan": 2}
    if v in special:
        return [special[v]]
    return [3] if v == 0 else [int(round(v * 16)) + 136]


def clamp(bounds=None):
    """Reader::clamp(): None for no clamp, else (min, max)."""
    return [0] if bounds is None else [200] + fparam(bounds[0]) + fparam(bounds[1])


def stride(extra):
    """Reader::stride(): None for the row length, k > 0 for row + k, -1 for row - 1."""
    if extra is None:
        return [0]
    return [239] if extra < 0 else [127 + extra]


def flat(*parts):
    out = []
    for p in parts:
        out.extend(p if isinstance(p, list) else [p])
    return bytes(out)


# --- the lifecycle of one operator (fuzz::Subject::Cycle) ---------------------------------------
def cycle(shape, alias=0):
    """shape bytes, the reshape's pool, setup (data seed, aliasing: 0 none, 1 partial overlap,
    2 output == first input, 3 output == second input), the runs (192: two threads too)."""
    return shape + [1, 5, alias] + ([1] if alias == 1 else []) + [192]


def family(create, *cycles):
    return flat(create, max(len(cycles) - 1, 0), *cycles)


def nhwc(n, h, w):
    return dim(n) + dim(h) + dim(w)


def rows(batch, strides=None):
    """A batch and, when `strides` is (input extra, output extra), the strided reshape."""
    if strides is None:
        return dim(batch) + [0]
    return dim(batch) + [200] + stride(strides[0]) + stride(strides[1])


# --- convolution --------------------------------------------------------------------------------
def conv(k=(3, 3), s=(1, 1), d=(1, 1), pad=None, groups=1, gic=3, goc=4, bounds=None, same=0):
    b = u32p(k[0]) + u32p(k[1]) + u32p(s[0]) + u32p(s[1]) + u32p(d[0]) + u32p(d[1])
    b += [200] if pad is None else [0] + u32p(pad[0]) + u32p(pad[1]) + u32p(pad[2]) + u32p(pad[3])
    b += [0, groups - 1] if 1 <= groups <= 4 else [220] + u32p(groups)
    b += dim(gic) + dim(goc) + clamp(bounds) + [[0, 160, 200][same]] + [1]
    return b


CONVOLUTION = {
    "3x3-pad1": family(conv(pad=(1, 1, 1, 1)), cycle(nhwc(1, 5, 6)), cycle(nhwc(2, 7, 3), 2)),
    "1x1-gemm": family(conv(k=(1, 1), gic=5, goc=3), cycle(nhwc(2, 4, 4), 1)),
    "depthwise": family(conv(pad=(1, 1, 1, 1), groups=4, gic=1, goc=1), cycle(nhwc(1, 6, 6))),
    "same-stride2": family(conv(s=(2, 2), same=1), cycle(nhwc(1, 7, 9))),
    "same-lower": family(conv(k=(2, 4), s=(3, 2), same=2), cycle(nhwc(1, 8, 5))),
    "dilation-past-input": family(conv(d=(4, 4), pad=(1, 1, 1, 1)),
                                  cycle(nhwc(1, 9, 9)), cycle(nhwc(1, 6, 9))),
    "padding-beyond-input": family(conv(pad=(8, 8, 8, 8), gic=1, goc=2), cycle(nhwc(1, 1, 1))),
    "huge-kernel": family(conv(k=(H, H), gic=1, goc=1), cycle(nhwc(1, 5, 6))),
    "huge-dims": family(conv(), cycle(nhwc(H, H, H)), cycle(nhwc(1, SIZE_MAX, 1))),
    "huge-batch": family(conv(k=(1, 1), gic=1, goc=1), cycle(nhwc(1 << 40, 1, 1))),
    "nan-clamp": family(conv(bounds=("nan", 1)), cycle(nhwc(1, 5, 6))),
    "inverted-clamp": family(conv(bounds=(1, -1)), cycle(nhwc(1, 5, 6))),
    "finite-clamp": family(conv(bounds=(-0.5, 0.5)), cycle(nhwc(1, 5, 6))),
    "same-with-padding": family(conv(pad=(1, 0, 0, 0), same=1), cycle(nhwc(1, 5, 6))),
}


# --- deconvolution ------------------------------------------------------------------------------
def deconv(k=(2, 2), s=(2, 2), d=(1, 1), pad=None, adj=None, groups=1, gic=3, goc=4, bounds=None,
           flags=None):
    b = u32p(k[0]) + u32p(k[1]) + u32p(s[0]) + u32p(s[1]) + u32p(d[0]) + u32p(d[1])
    b += [200] if pad is None else [0] + u32p(pad[0]) + u32p(pad[1]) + u32p(pad[2]) + u32p(pad[3])
    b += [0, groups - 1] if 1 <= groups <= 4 else [220] + u32p(groups)
    b += dim(gic) + dim(goc) + clamp(bounds)
    b += [200] if adj is None else [0] + u32p(adj[0]) + u32p(adj[1])
    b += [0] if flags is None else [250] + list(flags.to_bytes(4, "little"))
    return b + [1]


DECONVOLUTION = {
    "upsample-2x2": family(deconv(), cycle(nhwc(1, 5, 6)), cycle(nhwc(2, 3, 7), 2)),
    "3x3-s2-pad1-adj1": family(deconv(k=(3, 3), pad=(1, 1, 1, 1), adj=(1, 1)),
                               cycle(nhwc(1, 4, 5))),
    "4x4-s2-grouped": family(deconv(k=(4, 4), pad=(1, 1, 1, 1), groups=3, gic=2, goc=2),
                             cycle(nhwc(2, 3, 3))),
    "stride-past-kernel": family(deconv(k=(2, 1), s=(3, 4), adj=(2, 3)), cycle(nhwc(1, 3, 2))),
    "dilated-adj": family(deconv(k=(3, 2), s=(1, 1), d=(3, 2), adj=(2, 1)), cycle(nhwc(1, 4, 4))),
    "crop-to-empty": family(deconv(pad=(5, 0, 5, 0)), cycle(nhwc(1, 2, 2)), cycle(nhwc(1, 4, 2))),
    "bad-adjustment": family(deconv(adj=(2, 0)), cycle(nhwc(1, 2, 2))),
    "huge-dims": family(deconv(), cycle(nhwc(H, H, H)), cycle(nhwc(1, SIZE_MAX, 1))),
    "huge-stride": family(deconv(k=(1, 1), s=(H, H), gic=1, goc=1), cycle(nhwc(1, 1 << 33, 2))),
    "nan-clamp": family(deconv(bounds=("nan", 1)), cycle(nhwc(1, 5, 6))),
    "finite-clamp": family(deconv(bounds=(-0.5, 0.5)), cycle(nhwc(1, 5, 6))),
    "flags": family(deconv(flags=1), cycle(nhwc(1, 5, 6))),
}


# --- resize -------------------------------------------------------------------------------------
def resize(channels=3, mode=1, coordinates=0, nearest=0, flags=None):
    b = dim(channels) + [mode, coordinates, nearest]
    return b + ([0] if flags is None else [250] + list(flags.to_bytes(4, "little")))


def resize_shape(n, h, w, oh, ow):
    return dim(n) + dim(h) + dim(w) + dim(oh) + dim(ow)


RESIZE = {
    "bilinear-x4": family(resize(), cycle(resize_shape(1, 3, 4, 12, 16))),
    "bilinear-down": family(resize(channels=5, coordinates=1), cycle(resize_shape(2, 9, 7, 4, 3))),
    "bilinear-align": family(resize(coordinates=2), cycle(resize_shape(1, 1, 5, 6, 1))),
    "nearest-floor": family(resize(mode=0, coordinates=3, nearest=2),
                            cycle(resize_shape(1, 4, 4, 7, 9))),
    "nearest-ceil": family(resize(mode=0, nearest=3), cycle(resize_shape(1, 6, 6, 3, 3), 1)),
    "zero-output": family(resize(), cycle(resize_shape(1, 3, 3, 0, 3))),
    "huge-output": family(resize(channels=1), cycle(resize_shape(1, 1, 1, SIZE_MAX, 2)),
                          cycle(resize_shape(1, 2, 2, 1 << 33, 1 << 33))),
    "bad-mode": family([2, 0xF5, 0, 0, 0, 0, 0]),
    "flags": family(resize(flags=1), cycle(resize_shape(1, 2, 2, 2, 2))),
}


# --- fully connected ------------------------------------------------------------------------------
def fc(ic, oc, bounds=None, transpose=False):
    return dim(ic) + dim(oc) + clamp(bounds) + [200 if transpose else 0, 1]


FULLY_CONNECTED = {
    "plain": family(fc(7, 5), cycle(rows(3)), cycle(rows(1)), cycle(rows(9), 1)),
    "transposed": family(fc(4, 9, transpose=True), cycle(rows(2))),
    "strided": family(fc(6, 3), cycle(rows(4, (2, 5))), cycle(rows(1, (9, 1)))),
    "stride-too-short": family(fc(6, 3), cycle(rows(4, (-1, None)))),
    "overflow": family(fc(H, H), cycle(rows(1))),
    "zero": family(fc(0, 4), cycle(rows(1))),
    "batch-overflow": family(fc(5, 7), cycle(rows(SIZE_MAX // 4 + 1)), cycle(rows(2))),
    "clamped": family(fc(3, 3, bounds=(-0.25, 0.25)), cycle(rows(5), 2)),
}


# --- batch matmul ---------------------------------------------------------------------------------
def bmm_shape(da, db, m, k, n):
    s = [len(da)]
    for a, b in zip(da, db):
        mode = 0 if a == b else 4 if b == 1 else 5 if a == 1 else 6
        s += [mode] + dim(a) + ([] if mode < 5 else dim(b))
    return s + dim(m) + dim(k) + dim(n)


BATCH_MATMUL = {
    "broadcast": family([0], cycle(bmm_shape([2, 1], [1, 3], 3, 4, 5))),
    "transposed": family([0x0C], cycle(bmm_shape([3], [3], 2, 5, 4)),
                         cycle(bmm_shape([], [], 4, 4, 4), 2)),
    "transpose-a": family([0x04], cycle(bmm_shape([2], [1], 3, 2, 7), 1)),
    "mismatch": family([0], cycle(bmm_shape([2, 3], [3, 2], 2, 2, 2))),
    "overflow": family([0], cycle(bmm_shape([H, H], [1, 1], 1, 1, 1))),
    "seven-dims": family([0], cycle(bmm_shape([1] * 7, [1] * 7, 1, 1, 1))),
    "unknown-flags": family([250, 0, 1, 0, 0]),
}


# --- pooling ----------------------------------------------------------------------------------------
def pool(k, s, pad=None, d=None, channels=3, bounds=None, flags=0):
    """flags: a set of 'same', 'lower', 'ceil', 'include'."""
    b = u32p(k[0]) + u32p(k[1]) + u32p(s[0]) + u32p(s[1])
    b += [0] if d is None else [200] + u32p(d[0]) + u32p(d[1])
    b += [200] if pad is None else [0] + u32p(pad[0]) + u32p(pad[1]) + u32p(pad[2]) + u32p(pad[3])
    bits = sum(v for f, v in (("same", 1), ("lower", 2), ("ceil", 4), ("include", 8)) if f in (flags or ()))
    return b + dim(channels) + clamp(bounds) + [96 + bits if bits else 0]


def maxp(*a, **kw):
    return [1] + pool(*a, **kw)


def avgp(*a, **kw):
    return [0] + pool(*a, **kw)


def argmaxp(*a, **kw):
    return [4] + pool(*a, **kw)


POOLING = {
    "max-3x3-s2": family(maxp((3, 3), (2, 2), pad=(1, 1, 1, 1)), cycle(nhwc(2, 5, 5)),
                         cycle(nhwc(1, 9, 4), 1)),
    "max-dilated": family(maxp((2, 2), (1, 1), pad=(1, 1, 1, 1), d=(3, 3)),
                          cycle(nhwc(1, 3, 3)), cycle(nhwc(1, 2, 3))),
    "max-pad-beyond-window": family(maxp((2, 2), (1, 1), pad=(2, 0, 0, 0)), cycle(nhwc(1, 5, 5))),
    "max-same-lower": family(maxp((3, 2), (2, 3), flags={"lower"}), cycle(nhwc(1, 9, 10))),
    "max-ceil": family(maxp((3, 3), (2, 2), pad=(1, 0, 1, 0), flags={"ceil"}), cycle(nhwc(1, 6, 8))),
    "max-ceil-same": family(maxp((2, 2), (2, 2), flags={"ceil", "same"}), cycle(nhwc(1, 4, 4))),
    "max-huge-window": family(maxp((H, 1), (1, 1), pad=(H - 1, 0, H - 1, 0)), cycle(nhwc(1, 1, 4))),
    "argmax-3x3-s2": family(argmaxp((3, 3), (2, 2), pad=(1, 1, 1, 1), bounds=(-1, 1)),
                            cycle(nhwc(2, 5, 5)), cycle(nhwc(1, 9, 4), 1), cycle(nhwc(1, 3, 3))),
    "argmax-dilated-ceil": family(argmaxp((2, 3), (2, 1), pad=(1, 0, 1, 2), d=(2, 1), flags={"ceil"}),
                                  cycle(nhwc(1, 7, 6)), cycle(nhwc(3, 4, 9))),
    "argmax-same-lower": family(argmaxp((3, 3), (2, 2), flags={"lower"}), cycle(nhwc(1, 8, 9))),
    "argmax-include-pad-rejected": family(argmaxp((2, 2), (2, 2), flags={"include"}),
                                          cycle(nhwc(1, 4, 4))),
    "avg": family(avgp((3, 3), (1, 1), pad=(1, 1, 1, 1)), cycle(nhwc(1, 5, 5))),
    "avg-include-pad": family(avgp((2, 3), (2, 1), pad=(1, 1, 1, 1), flags={"include"}),
                              cycle(nhwc(2, 4, 4))),
    "avg-ceil-include-pad": family(avgp((3, 3), (2, 2), pad=(1, 1, 1, 1), flags={"include", "ceil"}),
                                   cycle(nhwc(1, 6, 6))),
    "avg-dilated-unsupported": family(avgp((2, 2), (1, 1), d=(2, 2)), cycle(nhwc(1, 5, 5))),
    "avg-same": family(avgp((3, 3), (2, 2), flags={"same"}), cycle(nhwc(1, 7, 8))),
    "avg-both-same": family(avgp((3, 3), (2, 2), flags={"same", "lower"}), cycle(nhwc(1, 7, 8))),
}


# --- global average pooling, unary, softmax (NC rows) ---------------------------------------------
def gap_shape(n, w, strides=None):
    return dim(n) + dim(w) + ([0] if strides is None else [200] + stride(strides[0]) + stride(strides[1]))


GLOBAL_AVERAGE_POOLING = {
    "plain": family(dim(6) + clamp() + [0], cycle(gap_shape(2, 5)), cycle(gap_shape(1, 9), 1)),
    "strided": family(dim(4) + clamp() + [0], cycle(gap_shape(3, 2, (3, 1)))),
    "clamped": family(dim(3) + clamp((-0.5, 0.5)) + [0], cycle(gap_shape(2, 3), 2)),
    "overflow": family(dim(3) + clamp() + [0], cycle(gap_shape(H, H))),
    "zero-width": family(dim(3) + clamp() + [0], cycle(gap_shape(2, 0))),
    "bad-flags": family(dim(3) + clamp() + [250, 1, 0, 0, 0]),
}


def unary(op, params=(-1, 1, 0.125, 1, 0.5), null=False, gelu_tanh=False):
    b = [op + 1] + [x for p in params for x in fparam(p)]
    return b + [230 if null else 0, 200 if gelu_tanh else 0]


def nc_shape(b, c, strides=None):
    return dim(b) + dim(c) + ([0] if strides is None else [200] + stride(strides[0]) + stride(strides[1]))


UNARY = {"op-%02d" % op: family(unary(op), cycle(nc_shape(3, 5), 2), cycle(nc_shape(1, 17)))
         for op in range(24)}
UNARY.update({
    "bad-op": family(unary(24), cycle(nc_shape(3, 5))),
    "hard-sigmoid-nan-beta": family(unary(13, params=(0, 0, 0, 0.25, "nan")), cycle(nc_shape(3, 5))),
    "clamp-nan": family(unary(0, params=("nan", 1, 0, 0, 0)), cycle(nc_shape(3, 5))),
    "leaky-relu-inf-slope": family(unary(1, params=(0, 0, "inf", 0, 0)), cycle(nc_shape(3, 5))),
    "elu-null-params": family(unary(2, null=True), cycle(nc_shape(3, 5))),
    "gelu-tanh": family(unary(6, gelu_tanh=True), cycle(nc_shape(3, 5))),
    "strided-in-place": family(unary(4), cycle(nc_shape(3, 5, (3, 3)), 2)),
    "strided-unequal": family(unary(7), cycle(nc_shape(3, 5, (1, 4)), 2), cycle(nc_shape(1, 4, (2, 7)), 2)),
    "overflow": family(unary(4), cycle(nc_shape(H, H))),
})


def smx_rows(batch, strides=None):
    """A softmax NC shape: mode byte < 160, then rows()."""
    return [0] + rows(batch, strides)


def smx_axis(dims, axis, set_channels=True):
    """A softmax N-D shape: mode byte >= 160, the dims (as DrawDims), the axis, whether the dim
    at the axis is made `channels`."""
    b = [200, len(dims)]
    for d in dims:
        b += [0] if d == 1 else [200] + dim(d)
    return b + [axis + 8, 0 if set_channels else 250]


SOFTMAX = {
    "plain": family(dim(7) + [0], cycle(smx_rows(3), 2), cycle(smx_rows(1))),
    "strided": family(dim(5) + [0], cycle(smx_rows(4, (2, 2)), 2), cycle(smx_rows(2, (0 or 1, 3)), 1)),
    "overflow": family(dim(SIZE_MAX // 4 + 1) + [0], cycle(smx_rows(1))),
    "batch-overflow": family(dim(4) + [0], cycle(smx_rows(SIZE_MAX // 8 + 1))),
    "bad-flags": family(dim(4) + [250, 1, 0, 0, 0], cycle(smx_rows(1))),
    "log": family(dim(6) + [200], cycle(smx_rows(3), 2), cycle(smx_axis([2, 6, 3], 1), 2)),
    "axis-middle": family(dim(5) + [0], cycle(smx_axis([3, 5, 4], -2), 2)),
    "axis-last": family(dim(4) + [0], cycle(smx_axis([2, 3, 4], 2))),
    "axis-mismatch": family(dim(4) + [0], cycle(smx_axis([2, 3, 4], 0, set_channels=False))),
    "axis-out-of-range": family(dim(4) + [0], cycle(smx_axis([2, 4], 5))),
}


# --- norm: reduce, layer / RMS norm, batch norm, prelu (fuzz-norm.cc; first byte picks) --------
def reduce_op(op, axes, keep=False, null_axes=False):
    b = [op + 1, len(axes)] + [a + 8 for a in axes]
    if axes:
        b += [250 if null_axes else 0]
    return b + [200 if keep else 0]


def nd_shape(dims):
    """DrawDims: a rank byte, then each dim (1 through the 1-byte, others via dim())."""
    out = [len(dims)]
    for d in dims:
        out += [0] if d == 1 else [200] + dim(d)
    return out


def row_norm(n, eps=0.0, null_gamma=False, null_beta=False):
    return dim(n) + [250 if null_gamma else 0, 1 if null_beta else 0] + fparam(eps) + [0]


def norm_shape(lead, mode=0, axis=None, rank=None):
    """mode 0: lead dims + norm_size, axis -1; 1: axis rank - 1; 2: axis given; 3: `lead` alone."""
    b = [mode] + nd_shape(lead)
    if mode == 2:
        b += [axis + 8]
    return b


def norm_seed(which, create, *cycles):
    """The first byte picks the family (reduce, layer norm, RMS norm, batch norm, prelu)."""
    return bytes([which]) + family(create, *cycles)


NORM = {
    "reduce-inner": norm_seed(0, reduce_op(0, [-1]), cycle(nd_shape([3, 5])), cycle(nd_shape([2, 3, 9]), 0)),
    "reduce-outer-keep": norm_seed(0, reduce_op(1, [0], keep=True), cycle(nd_shape([7, 4]))),
    "reduce-max-middle": norm_seed(0, reduce_op(2, [1, 3]), cycle(nd_shape([2, 3, 2, 5]))),
    "reduce-min-all": norm_seed(0, reduce_op(3, [0, 1, 2]), cycle(nd_shape([2, 3, 4]))),
    "reduce-no-axes": norm_seed(0, reduce_op(0, []), cycle(nd_shape([])), cycle(nd_shape([4, 2]))),
    "reduce-repeated-axis": norm_seed(0, reduce_op(0, [1, -2]), cycle(nd_shape([3, 4, 5]))),
    "reduce-bad-axis": norm_seed(0, reduce_op(0, [6])),
    "reduce-null-axes": norm_seed(0, reduce_op(0, [0], null_axes=True)),
    "reduce-overflow": norm_seed(0, reduce_op(0, [0]), cycle(nd_shape([H, H, H]))),
    "layer-norm": norm_seed(1, row_norm(8, 0.0625), cycle(norm_shape([3])), cycle(norm_shape([2, 2], 1), 2)),
    "layer-norm-axis": norm_seed(1, row_norm(12), cycle(norm_shape([2, 3, 4], 3))),
    "layer-norm-nan-eps": norm_seed(1, row_norm(4, "nan")),
    "layer-norm-null-beta": norm_seed(1, row_norm(5, null_beta=True), cycle(norm_shape([2]))),
    "rms-norm": norm_seed(2, row_norm(6, 0.5), cycle(norm_shape([4]), 2)),
    "rms-norm-mismatch": norm_seed(2, row_norm(6), cycle(norm_shape([2, 3], 2, axis=0))),
    "rms-norm-null-gamma": norm_seed(2, row_norm(6, null_gamma=True)),
    "batch-norm": norm_seed(3, dim(5) + [0] + fparam(0.0625) + [0], cycle(rows(3), 2), cycle(rows(2, (1, 2)))),
    "batch-norm-neg-eps": norm_seed(3, dim(5) + [0] + fparam(-1) + [0]),
    "batch-norm-null-var": norm_seed(3, dim(5) + [241] + fparam(0) + [0]),
    "prelu": norm_seed(4, dim(7) + [0, 0], cycle(rows(4), 2), cycle(rows(3, (2, 2)), 2)),
    "prelu-overflow": norm_seed(4, dim(SIZE_MAX // 4 + 1) + [0, 0]),
    "prelu-batch-overflow": norm_seed(4, dim(4) + [0, 0], cycle(rows(SIZE_MAX // 8 + 1))),
}


# --- binary -----------------------------------------------------------------------------------------
def bshape(out, a_drop, b_drop, a_modes, b_modes, extra=()):
    """The output shape; leading dims A and B drop; per operand dim: 0 = the output's, 4 = 1,
    7 = read a dim (taken from `extra`)."""
    s = [len(out)]
    for d in out:
        s += [0] if d == 1 else [200] + dim(d)
    s += [a_drop, b_drop]
    extra = list(extra)
    for m in a_modes + b_modes:
        s += [m] + (dim(extra.pop(0)) if m == 7 else [])
    return s


def binary(op, bounds=None):
    return [op + 1] + clamp(bounds) + [0]


BINARY = {
    "same-shape": family(binary(0), cycle(bshape([3, 4], 0, 0, [0, 0], [0, 0]), 2)),
    "scalar-b": family(binary(2), cycle(bshape([2, 3, 4], 0, 2, [0, 0, 0], [4]), 2)),
    "scalar-a": family(binary(1), cycle(bshape([5, 6], 1, 0, [4], [0, 0]), 3)),
    "both-broadcast": family(binary(3), cycle(bshape([2, 3, 4], 0, 0, [0, 4, 0], [4, 0, 0]), 2)),
    "six-dims": family(binary(5), cycle(bshape([2, 1, 3, 2, 1, 2], 0, 3, [0, 4, 0, 0, 4, 0], [0, 4, 0]))),
    "seven-dims": family(binary(0), cycle(bshape([1] * 6 + [2], 0, 0, [0] * 7, [0] * 7))),
    "mismatch": family(binary(4), cycle(bshape([3, 4], 0, 0, [0, 0], [7, 0], [2]))),
    "zero-dim": family(binary(6), cycle(bshape([3, 4], 0, 0, [0, 0], [7, 0], [0]))),
    "overflow": family(binary(0), cycle(bshape([H, H], 0, 0, [0, 4], [4, 0]))),
    "clamped": family(binary(0, (-1, 1)), cycle(bshape([4, 5], 0, 1, [0, 0], [0]), 1)),
    "divide": family(binary(3, (-0.5, 0.5)), cycle(bshape([4, 4], 0, 0, [0, 0], [0, 0]))),
    "nan-clamp": family(binary(0, ("nan", "nan")), cycle(bshape([4], 0, 0, [0], [0]))),
    "pow": family(binary(7), cycle(bshape([3, 4], 0, 1, [0, 0], [0]), 2)),
    "pow-clamped": family(binary(7, (-1, 1)), cycle(bshape([2, 5], 1, 0, [0], [0, 0]), 2)),
    "bad-op": family(binary(8), cycle(bshape([4], 0, 0, [0], [0]))),
}


# --- operator lifecycle: programs of steps (fuzz-operator-lifecycle.cc) ---------------------------
FAMILY_SEEDS = [  # (kind, create bytes, a shape) per fuzz::Kind
    (0, conv(pad=(1, 1, 1, 1)), nhwc(1, 5, 6)),
    (1, fc(7, 5), rows(3, (1, 2))),
    (2, [0], bmm_shape([2], [1], 3, 4, 5)),
    (3, pool((3, 3), (2, 2), pad=(1, 1, 1, 1)), nhwc(2, 5, 5)),
    (4, pool((2, 2), (1, 1), flags={"include"}), nhwc(1, 4, 4)),
    (5, dim(6) + clamp() + [0], gap_shape(2, 5)),
    (6, unary(3), nc_shape(3, 5)),
    (7, binary(0), bshape([2, 3], 0, 1, [0, 0], [0])),
    (8, dim(7) + [0], smx_rows(3)),
    (11, reduce_op(0, [-1]), nd_shape([3, 5])),
    (12, row_norm(8), norm_shape([3])),
    (13, row_norm(6), norm_shape([2])),
    (14, dim(5) + [0] + fparam(0.0625) + [0], rows(3)),
    (15, dim(7) + [0, 0], rows(4)),
]


def create(i):
    kind, b, _ = FAMILY_SEEDS[i]
    return [0, 0, kind] + b


def step(action, pick=0, *rest):
    return [action, pick] + list(rest)


def program(*steps):
    return flat(len(steps) - 1, *steps)


LIFECYCLE = {}
for i, (kind, _, shape) in enumerate(FAMILY_SEEDS):
    LIFECYCLE["cycle-%d" % kind] = program(create(i), step(5, 0, *cycle(shape)),
                                           step(7, 0, 2 * ((kind + 3) % 9)), step(10, 0, 2))
LIFECYCLE.update({
    "two-ops-interleaved": program(create(0), create(8), step(2, 0, *FAMILY_SEEDS[0][2], 1),
                                   step(2, 1, *FAMILY_SEEDS[8][2], 2), step(3, 1, 5, 0),
                                   step(4, 0, 1), step(3, 0, 5, 0), step(10, 0, 2)),
    "deinit-reinit": program(create(6), step(5, 0, *cycle(FAMILY_SEEDS[6][2])), step(8),
                             create(1), step(4, 0, 2), step(5, 0, *cycle(FAMILY_SEEDS[6][2])),
                             step(8), create(1)),
    "pool-swap": program(create(1), step(2, 0, *FAMILY_SEEDS[1][2], 2), step(3, 0, 5, 0),
                         step(4, 0, 2), step(9, 0, 1, 3), step(4, 0, 2), step(9, 0, 0, 0),
                         step(10, 0, 1)),
    "delete-and-null": program(create(7), step(6), step(11), step(7, 0, 5), step(4, 0, 0)),
    "run-before-setup": program(create(4), step(4, 0, 0), step(3, 0), step(2, 0, *FAMILY_SEEDS[4][2], 0),
                                step(4, 0, 1), step(3, 0, 5, 0), step(4, 0, 1)),
})


# --- output shape -----------------------------------------------------------------------------------
def geometry(op, k, s, d=None, pad=None, mode=0, channels=2, include_pad=False, shapes=((1, 7, 7),)):
    """op: 0 max, 1 average, 2 depthwise conv, 3 grouped conv; mode: 0 explicit, 150 ceil,
    200 SAME, 232 SAME_LOWER; pad: (top, right, bottom, left)."""
    conv_op = op >= 2
    b = [op]
    for v in k:
        b += [v - 1] if conv_op else u32p(v)
    b += u32p(s[0]) + u32p(s[1])
    if op != 1:
        b += [0] if d is None else [200] + u32p(d[0]) + u32p(d[1])
    b += [mode]
    if mode < 200:
        t, r, bo, lf = pad or (0, 0, 0, 0)
        b += u32p(t) + u32p(r) + u32p(bo) + u32p(lf)
    if op == 1:
        b += [1 if include_pad else 0]
    b += [channels - 1, len(shapes) - 1]
    for n, h, w in shapes:
        b += ([0] if n == 1 else [220] + dim(n)) + dim(h) + dim(w) + [9]
    return flat(b)


OUTPUT_SHAPE = {
    "max-3x3-s2": geometry(0, (3, 3), (2, 2), pad=(1, 1, 1, 1), shapes=((1, 7, 7), (2, 4, 5))),
    "max-same": geometry(0, (3, 2), (2, 3), mode=200, shapes=((1, 9, 10),)),
    "max-same-lower": geometry(0, (4, 2), (3, 3), mode=232, shapes=((1, 9, 10),)),
    "max-ceil": geometry(0, (3, 3), (2, 2), pad=(1, 0, 0, 1), mode=150, shapes=((1, 6, 8),)),
    "max-dilation-past-input": geometry(0, (2, 2), (1, 1), d=(3, 3), pad=(1, 1, 1, 1),
                                        shapes=((1, 3, 3), (1, 2, 3), (1, 1, 1))),
    "max-huge-stride": geometry(0, (2, 2), (H, H), mode=200, shapes=((1, 1 << 40, 5),)),
    "max-huge-kernel": geometry(0, (H, 1), (1, 1), pad=(H - 1, 0, H - 1, 0), shapes=((1, 1, 4),)),
    "max-huge-input": geometry(0, (3, 3), (1, 1), mode=200, shapes=((1, SIZE_MAX, 2), (H, H, H))),
    "max-huge-dilation-padding": geometry(0, (2, 1), (1, 1), d=(H, 1), pad=(H - 1, 0, H, 0),
                                          shapes=((1, 1 << 30, 1),)),
    "avg-include-pad": geometry(1, (3, 3), (1, 1), pad=(2, 2, 2, 2), include_pad=True),
    "avg-ceil-include-pad": geometry(1, (3, 3), (2, 2), pad=(1, 1, 1, 1), mode=150,
                                     include_pad=True, shapes=((1, 6, 6),)),
    "avg-same": geometry(1, (4, 4), (3, 3), mode=200, shapes=((1, 10, 11),)),
    "avg-huge-padding": geometry(1, (5, 5), (7, 7), pad=(4, 4, 4, 4), shapes=((1, 1, 1),)),
    "conv-dw-dilated": geometry(2, (3, 3), (2, 2), d=(5, 5), pad=(3, 3, 3, 3), shapes=((1, 9, 9),)),
    "conv-dw-padding-beyond": geometry(2, (2, 2), (1, 1), pad=(9, 9, 9, 9), shapes=((1, 1, 1),)),
    "conv-grouped-same": geometry(3, (3, 5), (2, 1), mode=200, shapes=((2, 6, 7),)),
    "conv-grouped-same-lower": geometry(3, (2, 4), (2, 3), mode=232, shapes=((1, 7, 8),)),
    "conv-huge-dilation": geometry(3, (2, 2), (1, 1), d=(H, H), shapes=((1, 5, 5), (1, 1 << 33, 1))),
    "conv-huge-padding": geometry(3, (1, 1), (H, H), pad=(H, H, H, H), shapes=((1, 3, 3),)),
}

# --- data movement (fuzz-data-movement.cc: the first byte picks the operator) -------------------
def shape(*dims):
    return [len(dims)] + sum((dim(d) for d in dims), [])


DATA_MOVEMENT = {
    # transpose: flags, shape, one swap byte per dim, the corruption byte, pool, seed
    "transpose-3d": bytes([0, 0] + shape(2, 3, 4) + [2, 1, 0, 0, 1, 5]),
    "transpose-bad-perm": bytes([0, 0] + shape(2, 3, 4) + [0, 0, 0, 250, 1, 1, 1]),
    "transpose-rank0": bytes([0, 0, 0]),
    # depth-to-space: block, mode, flags, N H W C, pool, seed
    "depth-to-space-dcr": bytes([1] + u32p(2) + [0, 0] + dim(1) + dim(3) + dim(2) + dim(8) + [2, 3]),
    "depth-to-space-crd": bytes([1] + u32p(2) + [1, 0] + dim(2) + dim(2) + dim(3) + dim(12) + [1, 4]),
    "depth-to-space-bad-channels": bytes([1] + u32p(2) + [0, 0] + dim(1) + dim(3) + dim(2) + dim(6)),
    "space-to-depth": bytes([2] + u32p(2) + [0, 0] + dim(1) + dim(4) + dim(6) + dim(3) + [2, 5]),
    # pad: mode, value, flags, shape, (pre flag, pre, post flag, post) per dim
    "pad-constant": bytes([3, 0, 3, 0] + shape(3, 4) + [200, 1, 0, 200, 2, 200, 0] + [0, 1]),
    "pad-reflect": bytes([3, 1, 3, 0] + shape(3, 4) + [200, 1, 200, 1, 200, 2, 0] + [2, 1]),
    "pad-edge-overflow": bytes([3, 2, 3, 0] + shape(3) + [200] + dim(SIZE_MAX) + [0]),
    # concatenate / split: parts, axis, flags, shape, part sizes
    "concatenate": bytes([4, 1, 1, 0] + shape(2, 3, 2) + [0, 1, 0, 2, 0, 3]),
    "concatenate-axis-past-rank": bytes([4, 0, 3, 0] + shape(2, 3) + [0, 1, 0, 2]),
    "split": bytes([5, 2, 0, 0] + shape(4, 5) + [0, 1, 0, 2, 0, 0, 0, 1, 1]),
    # slice: flags, shape, with-steps flag, (begin, end, step) per dim
    "slice": bytes([6, 0] + shape(5, 6) + [1, 21, 255, 1, 19, 24, 0, 1, 3]),
    "slice-empty": bytes([6, 0] + shape(5) + [0, 23, 22]),
}


# Graphs (fuzz-graph.cc reads: value count, then per value kind/rank/dims/flags, node count, then
# per node clamp/kind/parameters/ids, then the runtime flag): an external input [1, 4, 4, 2]
# through abs (or a relu clamp with its params) into softmax, an external output.
_GRAPH_VALUES = [2, 2, 4, 0, 0, 0, 3, 0, 3, 0, 1, 0, 0, 0, 0, 0, 3, 0, 0, 0, 2]
GRAPH = {
    "abs-softmax": bytes(_GRAPH_VALUES + [0, 6, 3, 3, 8, 0, 1, 0, 0, 8, 1, 2, 0, 0]),
    "relu-softmax-unfused": bytes(_GRAPH_VALUES + [160, 3, 1, 6, 3, 3, 0, 0, 1, 1,
                                                   0, 8, 1, 2, 0, 1]),
    "cycle": bytes([2, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 6, 3, 3, 8, 0, 1, 0, 0, 6, 3, 3, 8, 1, 0, 0]),
    "empty": b"",
}


TARGETS = {
    "convolution": CONVOLUTION,
    "fully-connected": FULLY_CONNECTED,
    "batch-matmul": BATCH_MATMUL,
    "pooling": POOLING,
    "global-average-pooling": GLOBAL_AVERAGE_POOLING,
    "unary": UNARY,
    "binary": BINARY,
    "softmax": SOFTMAX,
    "norm": NORM,
    "operator-lifecycle": LIFECYCLE,
    "output-shape": OUTPUT_SHAPE,
    "graph": GRAPH,
    "deconvolution": DECONVOLUTION,
    "resize": RESIZE,
    "data-movement": DATA_MOVEMENT,
}


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    root = sys.argv[1]
    for target, seeds in TARGETS.items():
        d = os.path.join(root, target)
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
        for name, data in seeds.items():
            with open(os.path.join(d, name), "wb") as f:
                f.write(data)


if __name__ == "__main__":
    main()
