#!/usr/bin/env python3
"""Writes the seed corpora under tests/fuzz/corpus/<target>/ (committed; rerun after changing a
target's input format). Each seed encodes one readable case in the byte format of
fuzz-common.h's Reader, field by field in the order the target reads them: valid operators of
every type with small shapes, and the hostile corners (zero and overflowing sizes, padding beyond
the input, dilation past it, NaN and inverted clamps, shapes that do not broadcast). Where a target
reads a field only on some paths, a seed may be off by a field; any bytes decode to something, so
the seed is still a useful start.

Usage: tests/fuzz/make-seeds.py   (from anywhere)
"""
import os
import shutil

HERE = os.path.dirname(os.path.abspath(__file__))

# --- encoders mirroring fuzz::Reader --------------------------------------------------------
U32_MAX = 0xFFFFFFFF
SIZE_MAX = 0xFFFFFFFFFFFFFFFF


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
    if v == "-inf":
        return [0]
    if v == "inf":
        return [1]
    if v == "nan":
        return [2]
    if v == 0:
        return [3]
    return [int(round(v * 16)) + 136]


def clamp(bounds=None):
    """Reader::clamp(): None for no clamp, else (min, max)."""
    if bounds is None:
        return [0]
    return [200] + fparam(bounds[0]) + fparam(bounds[1])


def flat(*parts):
    out = []
    for p in parts:
        out.extend(p if isinstance(p, list) else [p])
    return bytes(out)


# --- operator-lifecycle ----------------------------------------------------------------------
# Per reshape round the target reads the shape, then a plan-pool flag, and for an accepted shape
# a seed byte and an in-place flag.
def rounds(*shapes):
    out = [len(shapes) - 1]
    for s in shapes:
        out += s + [1, 5, 1]
    return out


def conv(k=(3, 3), stride=(1, 1), dil=(1, 1), pad=None, groups=1, gic=3, goc=4, bounds=None,
         flags=0, shapes=((1, 5, 6),)):
    b = [0] + u32p(k[0]) + u32p(k[1]) + u32p(stride[0]) + u32p(stride[1]) + u32p(dil[0]) + u32p(dil[1])
    if pad is None:
        b += [200]
    else:
        b += [0] + u32p(pad[0]) + u32p(pad[1]) + u32p(pad[2]) + u32p(pad[3])
    b += [0, groups - 1] if 1 <= groups <= 4 else [220] + u32p(groups)
    b += dim(gic) + dim(goc) + clamp(bounds)
    b += [0] if flags == 0 else [200]  # 200: SAME padding
    b += [1]  # bias
    return flat(b, rounds(*[dim(n) + dim(h) + dim(w) for n, h, w in shapes]))


def fc(ic, oc, bounds=None, transpose=False, batches=(3,)):
    return flat(1, dim(ic), dim(oc), clamp(bounds), 200 if transpose else 0, 1,
                rounds(*[dim(b) for b in batches]))


def bmm(flags, shapes):
    out = [2, flags]
    rs = []
    for da, db, m, k, n in shapes:
        s = [len(da)]
        for a, b in zip(da, db):
            mode = 0 if a == b else 4 if b == 1 else 5 if a == 1 else 6
            s += [mode] + dim(a) + ([] if mode < 5 else dim(b))
        s += dim(m) + dim(k) + dim(n)
        rs.append(s)
    return flat(out, rounds(*rs))


def pool(op, k, stride, pad=None, dil=None, channels=3, bounds=None, flags=0, shapes=((1, 5, 5),)):
    b = [op] + u32p(k[0]) + u32p(k[1]) + u32p(stride[0]) + u32p(stride[1])
    b += [0] if dil is None else [200] + u32p(dil[0]) + u32p(dil[1])
    b += [200] if pad is None else [0] + u32p(pad[0]) + u32p(pad[1]) + u32p(pad[2]) + u32p(pad[3])
    b += dim(channels) + clamp(bounds) + ([0] if flags == 0 else [128 + flags])
    return flat(b, rounds(*[dim(n) + dim(h) + dim(w) for n, h, w in shapes]))


def gavg(c, bounds=None, shapes=((2, 7),)):
    return flat(5, dim(c), clamp(bounds), 0, rounds(*[dim(n) + dim(w) for n, w in shapes]))


def unary(op, params=(-1, 1, 0.125, 1), null=False, flags=0, shapes=((3, 5),)):
    b = [6, op + 1] + fparam(params[0]) + fparam(params[1]) + fparam(params[2]) + fparam(params[3])
    b += [230 if null else 0, 0 if flags == 0 else 200]
    return flat(b, rounds(*[dim(n) + dim(c) for n, c in shapes]))


def binary(op, bounds=None, shapes=(([2, 1, 4], [3, 1]),)):
    rs = []
    for a, b in shapes:
        s = [len(a), len(b)]
        for d in a:
            s += [0] if d == 1 else [200] + dim(d)
        for d in b:
            s += [0] if d == 1 else [200] + dim(d)
        rs.append(s)
    return flat(7, op + 1, clamp(bounds), 0, rounds(*rs))


def softmax(c, batches=(3,)):
    return flat(8, dim(c), 0, rounds(*[dim(b) for b in batches]))


H = U32_MAX
LIFECYCLE = {
    "conv-3x3-pad1": conv(pad=(1, 1, 1, 1), shapes=((1, 5, 6), (2, 7, 3))),
    "conv-1x1-gemm": conv(k=(1, 1), gic=5, goc=3, shapes=((2, 4, 4),)),
    "conv-depthwise": conv(pad=(1, 1, 1, 1), groups=4, gic=1, goc=1, shapes=((1, 6, 6),)),
    "conv-same-stride2": conv(stride=(2, 2), flags=1, shapes=((1, 7, 9),)),
    "conv-dilation-past-input": conv(dil=(4, 4), pad=(1, 1, 1, 1), shapes=((1, 9, 9), (1, 6, 9))),
    "conv-padding-beyond-input": conv(pad=(8, 8, 8, 8), gic=1, goc=2, shapes=((1, 1, 1),)),
    "conv-huge-kernel": conv(k=(H, H), gic=1, goc=1),
    "conv-huge-dims": conv(shapes=((H, H, H), (1, SIZE_MAX, 1))),
    "conv-nan-clamp": conv(bounds=("nan", 1)),
    "conv-inverted-clamp": conv(bounds=(1, -1)),
    "conv-finite-clamp": conv(bounds=(-0.5, 0.5)),
    "fc": fc(7, 5, batches=(3, 1, 9)),
    "fc-transposed": fc(4, 9, transpose=True),
    "fc-overflow": fc(H, H),
    "fc-zero": fc(0, 4),
    "fc-batch-overflow": fc(5, 7, batches=(SIZE_MAX // 4 + 1, 2)),
    "bmm": bmm(0, [([2, 1], [1, 3], 3, 4, 5)]),
    "bmm-transposed": bmm(0x0C, [([3], [3], 2, 5, 4), ([], [], 4, 4, 4)]),
    "bmm-mismatch": bmm(0, [([2, 3], [3, 2], 2, 2, 2)]),
    "bmm-overflow": bmm(0, [([H, H], [1, 1], 1, 1, 1)]),
    "maxpool": pool(3, (3, 3), (2, 2), pad=(1, 1, 1, 1), shapes=((2, 5, 5), (1, 9, 4))),
    "maxpool-dilated": pool(3, (2, 2), (1, 1), pad=(1, 1, 1, 1), dil=(3, 3), shapes=((1, 3, 3), (1, 2, 3))),
    "maxpool-pad-beyond-window": pool(3, (2, 2), (1, 1), pad=(2, 0, 0, 0)),
    "avgpool": pool(4, (3, 3), (1, 1), pad=(1, 1, 1, 1)),
    "avgpool-include-pad": pool(4, (2, 3), (2, 1), pad=(1, 1, 1, 1), flags=0x10),
    "avgpool-dilated-unsupported": pool(4, (2, 2), (1, 1), dil=(2, 2)),
    "avgpool-same": pool(4, (3, 3), (2, 2), flags=0x01, shapes=((1, 7, 8),)),
    "gavg": gavg(6, shapes=((2, 5), (1, 9))),
    "gavg-overflow": gavg(3, shapes=((H, H),)),
    "softmax": softmax(7, batches=(3, 1)),
    "softmax-overflow": softmax(SIZE_MAX // 4 + 1),
    "binary-broadcast": binary(0),
    "binary-mismatch": binary(2, shapes=(([2, 3], [3, 2]),)),
    "binary-overflow": binary(3, shapes=(([H, 1], [1, H]),)),
    "binary-clamped": binary(4, bounds=(-0.5, 0.5), shapes=(([3, 4], [4]),)),
    "binary-nan-clamp": binary(1, bounds=(0, "nan")),
}
for op in range(13):
    LIFECYCLE["unary-%02d" % op] = unary(op, shapes=((3, 5), (1, 17)))
LIFECYCLE["unary-bad-op"] = unary(13)
LIFECYCLE["unary-clamp-nan"] = unary(0, params=("nan", 1, 0, 0))
LIFECYCLE["unary-lrelu-inf-slope"] = unary(1, params=(0, 0, "inf", 0))
LIFECYCLE["unary-elu-null"] = unary(2, null=True)
LIFECYCLE["unary-gelu-tanh"] = unary(6, flags=1)
LIFECYCLE["unary-overflow"] = unary(4, shapes=((H, H),))


# --- binary-broadcast ------------------------------------------------------------------------
def bcast(op, out_shape, a_drop, b_drop, a_modes, b_modes, bounds=None, extra=None):
    """Output shape; leading dims A and B drop; per operand dim: 0 = the output's, 4 = 1,
    7 = read a dim (then give it in `extra`)."""
    b = [op + 1] + clamp(bounds) + [0, 0]  # flags 0, one round
    b += [len(out_shape)]
    for d in out_shape:
        b += [0] if d == 1 else [200] + dim(d)
    b += [a_drop, b_drop]
    extra = list(extra or [])
    for m in a_modes + b_modes:
        b += [m]
        if m == 7:
            b += dim(extra.pop(0))
    return flat(b, 3, 1)  # seed, in place


BROADCAST = {
    "same-shape": bcast(0, [3, 4], 0, 0, [0, 0], [0, 0]),
    "scalar-b": bcast(2, [2, 3, 4], 0, 2, [0, 0, 0], [4]),
    "scalar-a": bcast(1, [5, 6], 1, 0, [4], [0, 0]),
    "both-broadcast": bcast(3, [2, 3, 4], 0, 0, [0, 4, 0], [4, 0, 0]),
    "six-dims": bcast(5, [2, 1, 3, 2, 1, 2], 0, 3, [0, 4, 0, 0, 4, 0], [0, 4, 0]),
    "seven-dims": bcast(0, [1, 1, 1, 1, 1, 1, 2], 0, 0, [0] * 7, [0] * 7),
    "mismatch": bcast(4, [3, 4], 0, 0, [0, 0], [7, 0], extra=[2]),
    "zero-dim": bcast(6, [3, 4], 0, 0, [0, 0], [7, 0], extra=[0]),
    "overflow": bcast(0, [H, H], 0, 0, [0, 4], [4, 0]),
    "clamped": bcast(0, [4, 5], 0, 1, [0, 0], [0], bounds=(-1, 1)),
    "nan-clamp": bcast(0, [4], 0, 0, [0], [0], bounds=("nan", "nan")),
    "bad-op": bcast(7, [4], 0, 0, [0], [0]),
}


# --- output-shape ----------------------------------------------------------------------------
def geometry(kind, k, stride, dil=None, pad=None, channels=2, include_pad=False, shapes=((1, 7, 7),)):
    """kind: 0 max, 1 average, 2 depthwise conv, 3 conv; pad None means SAME."""
    conv_kind = kind >= 2
    b = [kind]
    for v in k:
        b += [v - 1] if conv_kind else u32p(v)
    b += u32p(stride[0]) + u32p(stride[1])
    if kind != 1:
        b += [0] if dil is None else [200] + u32p(dil[0]) + u32p(dil[1])
    b += [255] if pad is None else [0] + u32p(pad[0]) + u32p(pad[1]) + u32p(pad[2]) + u32p(pad[3])
    b += [channels - 1]
    if kind == 1:
        b += [1 if include_pad else 0]
    b += [len(shapes) - 1]
    for n, h, w in shapes:
        b += ([0] if n == 1 else [220] + dim(n)) + dim(h) + dim(w) + [9]
    return flat(b)


SHAPES = {
    "max-3x3-s2": geometry(0, (3, 3), (2, 2), pad=(1, 1, 1, 1), shapes=((1, 7, 7), (2, 4, 5))),
    "max-same": geometry(0, (3, 2), (2, 3), shapes=((1, 9, 10),)),
    "max-dilation-past-input": geometry(0, (2, 2), (1, 1), dil=(3, 3), pad=(1, 1, 1, 1),
                                        shapes=((1, 3, 3), (1, 2, 3), (1, 1, 1))),
    "max-huge-stride": geometry(0, (2, 2), (H, H), shapes=((1, 1 << 40, 5),)),
    "max-huge-kernel": geometry(0, (H, 1), (1, 1), pad=(H - 1, 0, H - 1, 0), shapes=((1, 1, 4),)),
    "max-huge-input": geometry(0, (3, 3), (1, 1), shapes=((1, SIZE_MAX, 2), (H, H, H))),
    "avg-include-pad": geometry(1, (3, 3), (1, 1), pad=(2, 2, 2, 2), include_pad=True),
    "avg-same": geometry(1, (4, 4), (3, 3), shapes=((1, 10, 11),)),
    "avg-huge-padding": geometry(1, (5, 5), (7, 7), pad=(4, 4, 4, 4), shapes=((1, 1, 1),)),
    "conv-dw-dilated": geometry(2, (3, 3), (2, 2), dil=(5, 5), pad=(3, 3, 3, 3), shapes=((1, 9, 9),)),
    "conv-dw-padding-beyond": geometry(2, (2, 2), (1, 1), pad=(9, 9, 9, 9), shapes=((1, 1, 1),)),
    "conv-igemm-same": geometry(3, (3, 5), (2, 1), shapes=((2, 6, 7),)),
    "conv-huge-dilation": geometry(3, (2, 2), (1, 1), dil=(H, H), shapes=((1, 5, 5), (1, 1 << 33, 1))),
    "conv-huge-padding": geometry(3, (1, 1), (H, H), pad=(H, H, H, H), shapes=((1, 3, 3),)),
}


def write(target, seeds):
    d = os.path.join(HERE, "corpus", target)
    if os.path.isdir(d):
        shutil.rmtree(d)
    os.makedirs(d)
    for name, data in sorted(seeds.items()):
        with open(os.path.join(d, name), "wb") as f:
            f.write(data)
    print("%s: %d seeds" % (target, len(seeds)))


write("operator-lifecycle", LIFECYCLE)
write("binary-broadcast", BROADCAST)
write("output-shape", SHAPES)
