#!/usr/bin/env python3
"""Turns the ONNX backend tests (Debian's libonnx-testdata) into portnn conformance cases.

This file owns the one mapping of ONNX operators onto portnn calls. The two runners
(tests/onnx/onnx-conformance.cc through the C API, tests/onnx/conformance.mjs through the JS API)
read its output and dispatch by portnn operator only: every ONNX attribute is resolved here into
portnn parameters, and every layout conversion is done here, so the runners hold no ONNX
knowledge and the two can never disagree on what a test means.

It reads the test directories given: the node tests (one ONNX node each) and the single-node
models of the pytorch-converted and pytorch-operator tests (older opsets, weights stored as
initializers). For each test directory (model.onnx + test_data_set_*/{input,output}_*.pb) it
writes one case:
  - `tensors`: every float32 array a step reads (inputs, weights, folded constants), stored
    little-endian in OUT/cases.bin at `offset`, with its `shape`;
  - `steps`: portnn operators in order, each `{op, params, inputs, outputs, shapes}`: op is one
    of convolution2d, deconvolution2d, fully_connected, batch_matmul, max_pooling2d,
    argmax_pooling2d, average_pooling2d, global_average_pooling, resize2d, unary, binary,
    softmax, transpose, pad, slice, concatenate, split, depth_to_space, space_to_depth, reduce,
    layer_norm, batch_norm, prelu; `inputs` name tensors or earlier outputs (null for an absent
    bias); `shapes` are the output shapes ONNX implies (one per output: a split and argmax
    pooling have several), which the runner checks against what portnn reports;
  - `outputs`: the ONNX outputs with their expected values (offset in cases.bin) and the
    tolerance |y - e| <= atol + rtol * |e| (NaN must give NaN, an infinity the same infinity),
    with the reason the bound holds.
A case this mapping cannot express is written with status "unsupported" and the reason (a dtype
other than float32, a 3-D window, an output portnn does not compute, a model of several nodes
such as the expanded-function tests, an attribute the mapping does not read). Tests of ONNX
operators with no mapping entry are only counted.

Layout: ONNX images are NCHW and weights OIHW; portnn takes NHWC images and [O][KH][KW][I]
weights. For the image operators (convolutions, pools, resize, depth/space) inputs and weights
are transposed here and the expected outputs too, so the runner compares NHWC with NHWC. 1-D
convolutions and pools become 2-D ones of height 1. The N-D operators (data movement,
reductions, layer norm, softmax along its axis) run in ONNX's layout; batch norm runs channels
last. Constants are folded as an importer would (Gemm's alpha into B, beta into C), and integer
inputs (pads, axes, starts, sizes) are read as constants.

Tolerances come from the documented error bounds: the transcendental kernels' bounds are read
from kernels/math-constants.h, the reduction and averaging bounds are those of
tests/reference/*.h. The expected values are float32 results of a reference (NumPy for the
node tests, PyTorch for the pytorch-* ones), not exact ones, so each bound also allows for the
reference's own error (stated per family below): the two results are each within their bound of
the exact value, so within the sum of each other.

To map another ONNX operator, add one entry to MAPPINGS: a function of the node that stores the
tensors (n.tensor), appends the portnn steps (n.step) and declares each output with its expected
value and tolerance (n.output), or raises Unsupported. A new portnn operator also needs its
dispatch entry in both runners.

Usage: convert.py --data /usr/share/libonnx-testdata/data/{node,pytorch-converted,pytorch-operator}
                  --constants kernels/math-constants.h --out build/.../onnx
"""
import argparse
import json
import math
import os
import re
import sys

import numpy as np
import onnx
from onnx import numpy_helper

U = 2.0 ** -24                # unit roundoff of float32: half an ulp, relative
ULP = 2.0 ** -23              # one ulp, relative
DENORMAL_STEP = 2.0 ** -149
# The references' float32 exp, tanh... are within a few ulp (the expected values of the node
# tests' exp, sigmoid and tanh measure within 1.1 ulp of exact); the expected values are short
# formulas around them. Allowance for the expected value: 8 ulp relative.
REFERENCE_TRANSCENDENTAL = 8 * ULP


class Unsupported(Exception):
    """The node cannot be expressed with portnn calls; the message says why."""


def read_bounds(path):
    """{ 'kExpError': (rel, abs), ... } from kernels/math-constants.h."""
    text = open(path, encoding='utf-8').read()
    bounds = {}

    def term(t):
        t = t.strip()
        if t == 'kDenormalStep':
            return DENORMAL_STEP
        m = re.fullmatch(r'([0-9.eE+-]+)\s*\*\s*kDenormalStep', t)
        if m:
            return float(m.group(1)) * DENORMAL_STEP
        return float(t)

    pattern = r'constexpr\s+ErrorBound\s+(k\w+Error)\s*=\s*\{([^,}]+),([^}]+)\}\s*;'
    for m in re.finditer(pattern, text):
        bounds[m.group(1)] = (term(m.group(2)), term(m.group(3)))
    m = re.search(r'constexpr\s+double\s+kPowLogRel\s*=\s*([0-9.eE+-]+)\s*;', text)
    if m:
        bounds['kPowLogRel'] = float(m.group(1))
    for name in ('kExpError', 'kExpm1Error', 'kSigmoidError', 'kTanhError', 'kErfError',
                 'kLogError', 'kSinError', 'kCosError', 'kSoftplusError', 'kPowError',
                 'kPowLogRel'):
        if name not in bounds:
            sys.exit(f'convert.py: {name} not found in {path}')
    return bounds


def gamma(n):
    """Higham's gamma(n) = n u / (1 - n u): the error factor of n float roundings."""
    return n * U / (1 - n * U)


def tolerance(rtol, atol, why):
    return {'rtol': rtol, 'atol': atol, 'why': why}


EXACT = tolerance(0.0, 0.0,
                  'exact: a selection or one correctly rounded operation, as the reference\'s')


class Node:
    """One ONNX node with its test inputs, and the case being built from it."""

    def __init__(self, node, inputs, outputs, bounds, case):
        self.node = node
        self.inputs = inputs          # list of np.ndarray or None (absent optional input)
        self.expected = outputs       # list of np.ndarray
        self.bounds = bounds
        self.case = case
        self.attrs = {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}
        self.read = set()  # the attributes the mapping looked at; any other makes it unsupported

    def attr(self, name, default):
        self.read.add(name)
        v = self.attrs.get(name, default)
        return v.decode() if isinstance(v, bytes) else v

    def unread_attributes(self):
        return sorted(set(self.attrs) - self.read)

    def input(self, i):
        return self.inputs[i] if i < len(self.inputs) else None

    def tensor(self, array):
        """Stores a float32 array; returns its name."""
        return self.case.tensor(np.asarray(array, dtype=np.float32))

    def step(self, op, params, inputs, shape):
        """Appends a portnn call; returns the name of its output."""
        return self.case.step(op, params, inputs, [list(shape)])[0]

    def step_outputs(self, op, params, inputs, shapes):
        """Appends a portnn call of several outputs (split); returns their names."""
        return self.case.step(op, params, inputs, [list(s) for s in shapes])

    def index_input(self, i, attribute=None, opset=None):
        """An integer list given as input i (pads, axes, starts, sizes...) or, before `opset`,
        as the attribute: None when absent. Like an importer, the harness takes these as
        constants (the test feeds them as data)."""
        if attribute is not None and self.case.opset < opset:
            v = self.attr(attribute, None)
        else:
            v = self.input(i)
        return None if v is None else [int(a) for a in np.asarray(v).reshape(-1)]

    def output(self, name, expected, tol):
        self.case.output(name, np.asarray(expected, dtype=np.float32), tol)


# --- layout ---------------------------------------------------------------------------------
def image_nhwc(x):
    """ONNX [N, C, H, W] (or [N, C, W], a 1-D image of height 1) -> NHWC."""
    if x.ndim == 3:
        x = x[:, :, None, :]
    if x.ndim != 4:
        raise Unsupported(f'{x.ndim - 2}-D image; portnn convolutions and pools are 2-D')
    return np.ascontiguousarray(x.transpose(0, 2, 3, 1))


def window_2d(n, rank):
    """Kernel, strides, dilations and paddings as 2-D portnn parameters, or Unsupported."""
    kernel = list(n.attr('kernel_shape', []))
    if not kernel:
        kernel = list(n.input(1).shape[2:])
    if len(kernel) not in (1, 2) or rank - 2 != len(kernel):
        raise Unsupported(f'{rank - 2}-D window; portnn convolutions and pools are 2-D')
    one = [1] * len(kernel)
    strides = list(n.attr('strides', one))
    dilations = list(n.attr('dilations', one))
    pads = list(n.attr('pads', [0] * 2 * len(kernel)))  # begin per axis, then end per axis
    if len(kernel) == 1:                                 # height 1
        kernel, strides, dilations = [1] + kernel, [1] + strides, [1] + dilations
        pads = [0, pads[0], 0, pads[1]]
    auto_pad = n.attr('auto_pad', 'NOTSET')
    params = {
        'padding': [pads[0], pads[3], pads[2], pads[1]],  # top, right, bottom, left
        'kernel': kernel, 'stride': strides, 'dilation': dilations, 'same': None,
    }
    if auto_pad == 'SAME_UPPER':
        params['same'] = 'upper'
    elif auto_pad == 'SAME_LOWER':
        params['same'] = 'lower'
    elif auto_pad == 'VALID':
        params['padding'] = [0, 0, 0, 0]
    elif auto_pad != 'NOTSET':
        raise Unsupported(f'auto_pad {auto_pad}')
    if params['same']:
        params['padding'] = [0, 0, 0, 0]
    return params


def require_f32(n, index_inputs=(), index_outputs=()):
    """Every input and output float32, except the node inputs at `index_inputs` (integer
    parameters such as pads, axes or sizes, read as constants) and the outputs at
    `index_outputs` (MaxPool's Indices) when they are integers."""
    graph = n.case.model.graph
    integers = (onnx.TensorProto.INT64, onnx.TensorProto.INT32)
    indices = {n.node.input[i] for i in index_inputs if i < len(n.node.input)}
    indices |= {n.node.output[i] for i in index_outputs if i < len(n.node.output)}
    for v in list(graph.input) + list(graph.output):
        t = v.type
        if not t.HasField('tensor_type'):
            raise Unsupported(f'{v.name} is not a tensor; portnn takes float32 tensors')
        elem = t.tensor_type.elem_type
        if v.name in indices and elem in integers:
            continue
        if elem != onnx.TensorProto.FLOAT:
            dtype = onnx.TensorProto.DataType.Name(elem).lower()
            raise Unsupported(f'{v.name} is {dtype}; portnn is float32 only')


# --- the mapping: ONNX op -> portnn steps ---------------------------------------------------
def unary_entry(op, **fixed):
    """An ONNX op that is one portnn unary op; `fixed` maps unary params to constants or
    to (attribute, default) pairs."""
    def tol_for(n, params):
        b = n.bounds
        if op in ('clamp', 'abs', 'negate', 'sqrt', 'floor', 'ceil', 'round'):
            return EXACT
        if op == 'hard_sigmoid':
            return tolerance(3 * U, 2 * DENORMAL_STEP,
                             'alpha * x + beta: a product and a sum rounded (or one fused '
                             'rounding), clamped to [0, 1]; the reference rounds the same two')
        if op == 'leaky_relu':
            return tolerance(2 * U, 2 * DENORMAL_STEP,
                             'one rounded product on each side (half an ulp, a denormal step)')
        if op == 'elu':
            rel, ab = b['kExpm1Error']
            alpha = abs(params['alpha'])
            return tolerance(rel + U + REFERENCE_TRANSCENDENTAL,
                             ab + DENORMAL_STEP + alpha * 4 * U,
                             'kExpm1Error + the product\'s rounding; the reference: '
                             'alpha * (exp(x) - 1) '
                             'carries exp\'s absolute error (8 ulp of a value < 1) times alpha')
        if op == 'hardswish':
            return tolerance(4 * U + 3 * U, DENORMAL_STEP + 3 * U,
                             'four roundings (portnn) and three (the reference); its gate '
                             'x/6 + 1/2 is off by 2^-24 absolutely, times |x| <= 3')
        rel, ab = b[{'sigmoid': 'kSigmoidError', 'tanh': 'kTanhError', 'exp': 'kExpError',
                     'erf': 'kErfError', 'log': 'kLogError', 'sin': 'kSinError',
                     'cos': 'kCosError', 'softplus': 'kSoftplusError'}[op]]
        return tolerance(rel + REFERENCE_TRANSCENDENTAL, ab + DENORMAL_STEP,
                         'the kernel\'s documented bound + the reference\'s float32 result '
                         '(8 ulp)')

    def entry(n):
        require_f32(n)
        params = {'unary': op}
        for key, v in fixed.items():
            params[key] = float(n.attr(*v)) if isinstance(v, tuple) else v
        if op == 'clamp':  # Clip: min and max are optional inputs (opset >= 11) or attributes
            for i, key in ((1, 'min'), (2, 'max')):
                bound = n.input(i) if n.input(i) is not None else n.attr(key, None)
                if bound is not None:
                    params[key] = float(bound)
        x = n.tensor(n.input(0))
        y = n.step('unary', params, [x], n.input(0).shape)
        n.output(y, n.expected[0], tol_for(n, params))
    return entry


def binary_chain(n, op):
    """inputs[0] op inputs[1] op ... with NumPy broadcasting (Add, Max, Sum...). A scalar (rank
    0) is the one-element vector portnn takes."""
    require_f32(n)
    first = n.input(0).reshape(-1) if n.input(0).ndim == 0 else n.input(0)
    acc, shape = n.tensor(first), first.shape
    if len(n.inputs) == 1:  # Max/Min/Sum of one input: the identity
        acc = n.step('unary', {'unary': 'clamp'}, [acc], shape)
    n.attr('broadcast', 0)  # opset < 7: B broadcasts to A; NumPy rules cover it, but for:
    axis = n.attr('axis', None)  # B's dims aligned at A's dim `axis`: trailing 1s make it NumPy's
    for x in n.inputs[1:]:
        x = x.reshape(-1) if x.ndim == 0 else x
        if axis is not None:
            x = x.reshape(x.shape + (1,) * (len(shape) - int(axis) % len(shape) - x.ndim))
        shape = np.broadcast_shapes(shape, x.shape)
        acc = n.step('binary', {'binary': op}, [acc, n.tensor(x)], shape)
    return acc, shape


def binary_entry(op):
    def entry(n):
        y, _ = binary_chain(n, op)
        n.output(y, n.expected[0], EXACT)
    return entry


def mean(n):
    y, shape = binary_chain(n, 'add')
    if len(n.inputs) > 1:
        y = n.step('binary', {'binary': 'divide'}, [y, n.tensor([len(n.inputs)])], shape)
    n.output(y, n.expected[0], EXACT)


def dot_tolerance(k, magnitude, expected, what):
    """A float dot product of length k plus a bias is within gamma(k + 1) * magnitude of the
    exact value, magnitude = |bias| + sum |x * w| (tests/reference/gemm-reference.h), in any
    order, with or without FMA; the reference's expected value is held to the same bound, so the
    two differ by twice it. One more rounding (gamma(k + 2)) covers a folded alpha or a bias
    added by a second step. magnitude: per output element, in double. The 1e-6 covers subnormal
    terms, as there. As |sum| <= sum of |terms|, an expected value above its magnitude means the
    magnitude was computed wrong: that stops the conversion."""
    magnitude = np.asarray(magnitude, dtype=np.float64)
    if np.any(np.abs(expected) > magnitude * (1 + 2 * gamma(k + 2)) + 1e-6):
        sys.exit(f'convert.py: the magnitude of a {what} is below its expected value (a bug here)')
    atol = 2 * gamma(k + 2) * magnitude + 1e-6
    return dict(tolerance(0.0, float(atol.max()),
                          f'2 gamma(K+2) (|bias| + sum|x*w|) + 1e-6 per element, K = {k} ({what})'),
                atol_elements=atol)


def conv_magnitude(x, w, b, params, out_shape):
    """|bias| + sum |x * w| of every output of an NHWC convolution (the same sum with absolute
    values), in double."""
    x, w = np.abs(x.astype(np.float64)), np.abs(w.astype(np.float64))
    n, ih, iw, _ = x.shape
    oh, ow = out_shape[1], out_shape[2]
    (kh, kw), (sh, sw), (dh, dw) = params['kernel'], params['stride'], params['dilation']
    top, left = params['padding'][0], params['padding'][3]
    if params['same']:  # total padding as the library splits it (include/portnn.h)
        total_h = max((oh - 1) * sh + dh * (kh - 1) + 1 - ih, 0)
        total_w = max((ow - 1) * sw + dw * (kw - 1) + 1 - iw, 0)
        lower = params['same'] == 'lower'
        top = total_h - total_h // 2 if lower else total_h // 2
        left = total_w - total_w // 2 if lower else total_w // 2
    rows, cols = (oh - 1) * sh + dh * (kh - 1) + 1, (ow - 1) * sw + dw * (kw - 1) + 1
    xp = np.zeros((n, max(rows, top + ih), max(cols, left + iw), x.shape[3]))
    xp[:, top:top + ih, left:left + iw, :] = x
    groups = params['groups']
    gic, goc = params['group_input_channels'], params['group_output_channels']
    m = np.zeros((n, oh, ow, groups * goc)) + (np.abs(b) if b is not None else 0)
    for ky in range(kh):
        for kx in range(kw):
            y0, x0 = ky * dh, kx * dw  # the taps of all outputs at (ky, kx)
            taps = xp[:, y0:y0 + (oh - 1) * sh + 1:sh, x0:x0 + (ow - 1) * sw + 1:sw]
            for g in range(groups):
                m[..., g * goc:(g + 1) * goc] += (taps[..., g * gic:(g + 1) * gic] @
                                                  w[g * goc:(g + 1) * goc, ky, kx, :].T)
    return m


def conv(n):
    require_f32(n)
    x, w, b = n.input(0), n.input(1), n.input(2)
    win = window_2d(n, x.ndim)
    groups = int(n.attr('group', 1))
    xh = image_nhwc(x)
    if w.ndim == 3:
        w = w[:, :, None, :]
    goc, gic = w.shape[0] // groups, w.shape[1]
    params = dict(win, groups=groups, group_input_channels=gic, group_output_channels=goc)
    wh = np.ascontiguousarray(w.transpose(0, 2, 3, 1))  # OIHW -> [O][KH][KW][I]
    bias = n.tensor(b) if b is not None else None
    expected = image_nhwc(n.expected[0])
    y = n.step('convolution2d', params, [n.tensor(xh), n.tensor(wh), bias], expected.shape)
    magnitude = conv_magnitude(xh, wh, b, params, expected.shape)
    n.output(y, expected, dot_tolerance(gic * w.shape[2] * w.shape[3], magnitude, expected,
                                              'convolution'))


def gemm(n):
    require_f32(n)
    a, b, c = n.input(0), n.input(1), n.input(2)
    alpha, beta = float(n.attr('alpha', 1.0)), float(n.attr('beta', 1.0))
    trans_a, trans_b = bool(n.attr('transA', 0)), bool(n.attr('transB', 0))
    n.attr('broadcast', 0)  # opset < 7: C broadcasts (or is [M, N]); both handled below
    m, k = (a.shape[1], a.shape[0]) if trans_a else a.shape
    cols = b.shape[0] if trans_b else b.shape[1]
    wb = n.tensor(np.float32(alpha) * b)  # alpha folded into the weights
    cb = None if c is None else np.float32(beta) * c
    row_bias = cb is not None and cb.size in (1, cols) and (cb.ndim < 2 or cb.shape[0] == 1)
    if not trans_a:
        # Y = A B: a fully connected layer with weights [K][N] (B) or [N][K] (B transposed).
        bias = n.tensor(np.broadcast_to(cb.reshape(-1), (cols,))) if row_bias else None
        y = n.step('fully_connected', {'transpose_weights': not trans_b},
                   [n.tensor(a), wb, bias], (m, cols))
    else:
        y = n.step('batch_matmul', {'transpose_a': True, 'transpose_b': trans_b},
                   [n.tensor(a), wb], (m, cols))
    if cb is not None and (trans_a or not row_bias):
        y = n.step('binary', {'binary': 'add'}, [y, n.tensor(cb)], (m, cols))
    a64, b64 = np.abs(a.astype(np.float64)), np.abs(b.astype(np.float64))
    magnitude = abs(alpha) * ((a64.T if trans_a else a64) @ (b64.T if trans_b else b64))
    if cb is not None:
        magnitude = magnitude + np.abs(cb)
    n.output(y, n.expected[0],
             dot_tolerance(k, magnitude, n.expected[0], 'Gemm, alpha B rounded once'))


def matmul(n):
    require_f32(n)
    a, b = n.input(0), n.input(1)
    if a.ndim < 2 or b.ndim < 2:
        raise Unsupported('a 1-D operand; portnn batch matmul takes [..., M, K] x [..., K, N]')
    rank = max(a.ndim, b.ndim)
    a = a.reshape((1,) * (rank - a.ndim) + a.shape)
    b = b.reshape((1,) * (rank - b.ndim) + b.shape)
    shape = np.broadcast_shapes(a.shape[:-2], b.shape[:-2]) + (a.shape[-2], b.shape[-1])
    y = n.step('batch_matmul', {'transpose_a': False, 'transpose_b': False},
               [n.tensor(a), n.tensor(b)], shape)
    magnitude = np.abs(a.astype(np.float64)) @ np.abs(b.astype(np.float64))
    n.output(y, n.expected[0], dot_tolerance(a.shape[-1], magnitude, n.expected[0], 'batch matmul'))


def argmax_indices(n, x, indices):
    """ONNX MaxPool's Indices ([N][C][OH][OW], int64: (n C + c) H W plus iy W + ix, or with
    storage_order 1 ix H + iy) as portnn's argmax pooling reports them: iy W + ix in the plane,
    NHWC. The runners compare them as float32, exact below 2^24."""
    shape = (x.shape[0], x.shape[1], 1 if x.ndim == 3 else x.shape[2], x.shape[-1])
    nb, c, h, w = shape
    if h * w > 2 ** 24:
        raise Unsupported(f'an {h}x{w} plane: indices past 2^24, which the harness compares '
                          f'as float32')
    e = indices.astype(np.int64).reshape(nb, c, -1, indices.shape[-1])
    plane = e - ((np.arange(nb)[:, None] * c + np.arange(c)[None, :]) * h * w)[:, :, None, None]
    if int(n.attr('storage_order', 0)) == 1:  # column-major: ix H + iy
        plane = (plane % h) * w + plane // h
    return image_nhwc(plane.astype(np.float32))


def pooling_entry(kind):
    def entry(n):
        argmax = len(n.node.output) > 1 and n.node.output[1] != ''
        if argmax and kind != 'max_pooling2d':
            raise Unsupported('a second output')
        require_f32(n, index_outputs=(1,))
        x = n.input(0)
        params = window_2d(n, x.ndim)
        params['ceil_mode'] = bool(n.attr('ceil_mode', 0))
        n.attr('storage_order', 0)  # the layout of Indices (argmax_indices)
        params['count_include_pad'] = bool(n.attr('count_include_pad', 0))
        expected = image_nhwc(n.expected[0])
        if argmax:  # values and indices: portnn's argmax pooling
            indices = argmax_indices(n, x, n.expected[1])
            y, i = n.step_outputs('argmax_pooling2d', params, [n.tensor(image_nhwc(x))],
                                  [expected.shape, expected.shape])
            n.output(y, expected, EXACT)
            n.output(i, indices, tolerance(0.0, 0.0, 'exact: the index of the first maximum'))
            return
        y = n.step(kind, params, [n.tensor(image_nhwc(x))], expected.shape)
        if kind == 'max_pooling2d':
            tol = EXACT
        else:
            count = params['kernel'][0] * params['kernel'][1]
            max_abs = float(np.abs(x).max())
            tol = tolerance(0.0, 2e-6 * (1 + max_abs) * (math.log2(count) + 1),
                            f'twice the average bound of tests/reference/pooling-reference.h, '
                            f'1e-6 (1 + max|x|) (log2({count}) + 1): portnn\'s and the '
                            f'reference\'s')
        n.output(y, expected, tol)
    return entry


def global_average_pool(n):
    require_f32(n)
    x = image_nhwc(n.input(0))
    nb, h, w, c = x.shape
    y = n.step('global_average_pooling', {}, [n.tensor(x.reshape(nb, h * w, c))], (nb, c))
    count = h * w
    tol = tolerance(0.0, 2e-6 * (1 + float(np.abs(x).max())) * (math.log2(count) + 1),
                    f'twice the average bound of tests/reference/pooling-reference.h '
                    f'(count {count}): portnn\'s and the reference\'s')
    n.output(y, n.expected[0].reshape(nb, c), tol)


def global_max_pool(n):
    """A max pooling whose window is the whole image."""
    require_f32(n)
    x = image_nhwc(n.input(0))
    params = {'padding': [0, 0, 0, 0], 'kernel': list(x.shape[1:3]), 'stride': [1, 1],
              'dilation': [1, 1], 'same': None, 'ceil_mode': False, 'count_include_pad': False}
    y = n.step('max_pooling2d', params, [n.tensor(x)], (x.shape[0], 1, 1, x.shape[3]))
    n.output(y, image_nhwc(n.expected[0]), EXACT)


def softmax_entry(log):
    """Softmax or LogSoftmax: before opset 13 over the dims from `axis` on as one (the input
    coerced to 2-D, the softmax over its rows); from 13 over the one dim `axis`, which portnn's
    N-D form (pnn_reshape_softmax_nd_f32) takes as it is."""
    def entry(n):
        require_f32(n)
        x = n.input(0)
        if n.case.opset < 13:
            axis = int(n.attr('axis', 1)) % x.ndim
            xt = x.reshape(int(np.prod(x.shape[:axis])), -1)
            axis = 1
        else:
            axis = int(n.attr('axis', -1)) % x.ndim
            xt = x
        y = n.step('softmax', {'axis': axis, 'log': log}, [n.tensor(xt)], xt.shape)
        expected = n.expected[0].reshape(xt.shape)
        # Per line of the axis (d = x - max, s = sum exp(d)), the bounds of
        # tests/operators/softmax-axis-test.cc for portnn, and the same with the reference's exp
        # (8 ulp) for the expected value: the exponentials' error E + |d| u each, their sum's
        # (C - 1) u.
        d = np.moveaxis(xt.astype(np.float64), axis, -1)
        d = d - d.max(axis=-1, keepdims=True)
        c = d.shape[-1]
        e_rel = n.bounds['kExpError'][0]
        s = np.exp(d).sum(axis=-1, keepdims=True)
        shares = lambda e: (np.exp(d) * (e + np.abs(d) * U)).sum(axis=-1, keepdims=True) / s
        sum_rel = 2 * (c - 1) * U + shares(e_rel) + shares(REFERENCE_TRANSCENDENTAL)
        if log:
            # y = (d - log s~): u |d| + the sum's relative error, log's 2u |log s|, u |y|; each
            # side.
            want = d - np.log(s)
            atol = (2 * U * np.abs(d) + sum_rel + 4 * U * np.abs(np.log(s)) + 2 * U * np.abs(want)
                    + 2 * DENORMAL_STEP)
            why = (f'per element: 2 (u|d| + 2u|log s| + u|y|) + 2 (C - 1) u + the exponentials\' '
                   f'errors weighted by their shares (kExpError; 8 ulp for the reference), C = {c}')
        else:
            want = np.exp(d) / s
            atol = ((e_rel + REFERENCE_TRANSCENDENTAL + 2 * np.abs(d) * U + sum_rel + 4 * U) * want
                    + 4 * DENORMAL_STEP)
            why = (f'per element, relative: kExpError + 8 ulp (reference) + 2 |d| u + 2 (C - 1) u '
                   f'+ the exponentials\' errors weighted by their shares + 4u, C = {c}')
        atol = np.moveaxis(atol, -1, axis)
        n.output(y, expected, dict(tolerance(0.0, float(atol.max()), why), atol_elements=atol))
    return entry


def reciprocal(n):
    require_f32(n)
    x = n.input(0)
    y = n.step('unary', {'unary': 'reciprocal'}, [n.tensor(x)], x.shape)
    n.output(y, n.expected[0], EXACT)


def power(n):
    """Pow: portnn's binary pow, within kPowError (grows with |ln pow|), plus the reference's
    float32 result (8 ulp)."""
    y, _ = binary_chain(n, 'pow')
    e = np.abs(n.expected[0].astype(np.float64))
    rel, ab = n.bounds['kPowError']
    with np.errstate(divide='ignore', invalid='ignore'):
        log_rel = np.where(e > 0, n.bounds['kPowLogRel'] * np.abs(np.log(e)), 0.0)
    atol = np.where(np.isfinite(e), (rel + log_rel + REFERENCE_TRANSCENDENTAL) * e, 0.0) + ab
    n.output(y, n.expected[0], dict(tolerance(
        0.0, float(atol.max()), '(kPowError.rel + kPowLogRel |ln pow| + 8 ulp (reference)) |pow| '
                                '+ kPowError.abs, per element'), atol_elements=atol))


# --- data movement: bit copies in ONNX's own layout (they are N-D), except the NHWC image ones -
def axis_of(n, name, rank, default):
    a = int(n.attr(name, default))
    if not -rank <= a < rank:
        raise Unsupported(f'{name} {a} out of range for rank {rank}')
    return a % rank


def transpose(n):
    require_f32(n)
    x = n.input(0)
    perm = [int(p) for p in n.attr('perm', list(range(x.ndim))[::-1])]
    y = n.step('transpose', {'perm': perm}, [n.tensor(x)], [x.shape[p] for p in perm])
    n.output(y, n.expected[0], EXACT)


def pad(n):
    """Pad: pads (input from opset 11, attribute before) as pre/post per dim; negative pads of the
    constant mode crop, as a slice after the pad."""
    require_f32(n, index_inputs=(1, 3))
    x = n.input(0)
    mode = n.attr('mode', 'constant')
    if mode not in ('constant', 'reflect', 'edge'):
        raise Unsupported(f'mode {mode}')
    pads = n.index_input(1, 'pads', 11)
    if n.case.opset < 11:
        value = float(n.attr('value', 0.0))
    else:
        value = 0.0 if n.input(2) is None else float(n.input(2))
    r = x.ndim
    axes = n.index_input(3) if len(n.node.input) > 3 else None
    axes = list(range(r)) if axes is None else [a % r for a in axes]
    pre, post = [0] * r, [0] * r
    for i, a in enumerate(axes):
        pre[a], post[a] = pads[i], pads[i + len(axes)]
    if mode == 'reflect' and any(max(p, q) >= d for p, q, d in zip(pre, post, x.shape)):
        raise Unsupported(f'reflect pads {pads} not below the dims {list(x.shape)} '
                          f'(portnn mirrors once, as ONNX defines it)')
    if mode != 'constant' and min(pre + post) < 0:
        raise Unsupported(f'negative pads {pads} in {mode} mode')
    grow_pre, grow_post = [max(p, 0) for p in pre], [max(p, 0) for p in post]
    shape = [p + d + q for p, d, q in zip(grow_pre, x.shape, grow_post)]
    y = n.step('pad', {'mode': mode, 'value': value, 'pre': grow_pre, 'post': grow_post},
               [n.tensor(x)], shape)
    if min(pre + post) < 0:
        begins = [max(-p, 0) for p in pre]
        ends = [d - max(-q, 0) for d, q in zip(shape, post)]
        y = n.step('slice', {'begins': begins, 'ends': ends, 'steps': [1] * r}, [y],
                   n.expected[0].shape)
    n.output(y, n.expected[0], EXACT)


def concat(n):
    require_f32(n)
    xs = n.inputs
    axis = axis_of(n, 'axis', xs[0].ndim, 1)
    if not 2 <= len(xs) <= 64:
        raise Unsupported(f'{len(xs)} inputs; portnn concatenates 2 to 64')
    y = n.step('concatenate', {'axis': axis}, [n.tensor(x) for x in xs], n.expected[0].shape)
    n.output(y, n.expected[0], EXACT)


def split(n):
    """Split: the sizes as input (opset 13) or attribute `split` (before), else equal parts."""
    require_f32(n, index_inputs=(1,))
    x = n.input(0)
    axis = axis_of(n, 'axis', x.ndim, 0)
    parts = len(n.node.output)
    sizes = n.index_input(1, 'split', 13)
    dim = x.shape[axis]
    if not sizes:
        count = int(n.attr('num_outputs', parts))  # opset 18: the last part may be smaller
        size = -(-dim // count)
        sizes = [min(size, dim - k * size) for k in range(count)]
    if min(sizes) < 1:
        raise Unsupported(f'split sizes {sizes}: a part of size 0 (portnn has no empty tensors)')
    if len(sizes) < 2:
        raise Unsupported('one output; portnn splits into 2 to 64')
    shapes = [x.shape[:axis] + (s,) + x.shape[axis + 1:] for s in sizes]
    names = n.step_outputs('split', {'axis': axis, 'sizes': sizes}, [n.tensor(x)], shapes)
    for name, e in zip(names, n.expected):
        n.output(name, e, EXACT)


def slice_(n):
    """Slice: starts, ends, axes, steps (inputs from opset 10, attributes before) expanded to
    every dim; the bounds are passed as they are (portnn clamps them as ONNX does)."""
    require_f32(n, index_inputs=(1, 2, 3, 4))
    x = n.input(0)
    r = x.ndim
    starts = n.index_input(1, 'starts', 10)
    ends = n.index_input(2, 'ends', 10)
    axes = n.index_input(3, 'axes', 10) or list(range(len(starts)))
    steps = (n.index_input(4) if n.case.opset >= 10 else None) or [1] * len(starts)
    begins, stops, strides = [0] * r, [2 ** 63 - 1] * r, [1] * r
    for a, b, e, s in zip(axes, starts, ends, steps):
        if s < 1:
            raise Unsupported(f'step {s} on axis {a}; portnn slices with steps >= 1')
        begins[a % r], stops[a % r], strides[a % r] = b, e, s
    if n.expected[0].size == 0:
        raise Unsupported(f'an empty result {list(n.expected[0].shape)} (portnn has no empty '
                          f'tensors)')
    y = n.step('slice', {'begins': begins, 'ends': stops, 'steps': strides}, [n.tensor(x)],
               n.expected[0].shape)
    n.output(y, n.expected[0], EXACT)


def depth_to_space(n):
    require_f32(n)
    x = image_nhwc(n.input(0))
    mode = n.attr('mode', 'DCR')
    if mode not in ('DCR', 'CRD'):
        raise Unsupported(f'mode {mode}')
    expected = image_nhwc(n.expected[0])
    y = n.step('depth_to_space', {'block': int(n.attr('blocksize', 0)), 'mode': mode.lower()},
               [n.tensor(x)], expected.shape)
    n.output(y, expected, EXACT)


def space_to_depth(n):
    require_f32(n)
    x = image_nhwc(n.input(0))
    expected = image_nhwc(n.expected[0])
    y = n.step('space_to_depth', {'block': int(n.attr('blocksize', 0))}, [n.tensor(x)],
               expected.shape)
    n.output(y, expected, EXACT)


# --- resampling --------------------------------------------------------------------------------
RESIZE_COORDINATES = ('half_pixel', 'pytorch_half_pixel', 'align_corners', 'asymmetric')
RESIZE_NEAREST = ('round_prefer_floor', 'round_prefer_ceil', 'floor', 'ceil')


def resize_source(mode, o, size_in, size_out):
    """portnn's input coordinate of output index o (include/portnn.h), in double."""
    scale = size_out / size_in
    if mode == 'half_pixel':
        return (o + 0.5) / scale - 0.5
    if mode == 'pytorch_half_pixel':
        return (o + 0.5) / scale - 0.5 if size_out > 1 else 0.0
    if mode == 'align_corners':
        return o * (size_in - 1) / (size_out - 1) if size_out > 1 else 0.0
    return o / scale


def resize(n):
    """Resize (opset 10-13) and Upsample on 4-D NCHW, over H and W: nearest and linear. Opset 10
    and Upsample are asymmetric with floor rounding. The output size is `sizes`, else
    floor(in * scale); portnn maps coordinates by the size ratio out / in, so a `scales` value
    that differs from it is unsupported."""
    legacy = n.node.op_type == 'Upsample' or n.case.opset < 11
    require_f32(n, index_inputs=() if legacy else (3,))
    x = n.input(0)
    mode = n.attr('mode', 'nearest')
    if legacy:
        scales = n.attr('scales', None) if n.case.opset < 9 else n.input(1)
        sizes, coordinates, nearest = None, 'asymmetric', 'floor'
    else:
        coordinates = n.attr('coordinate_transformation_mode', 'half_pixel')
        nearest = n.attr('nearest_mode', 'round_prefer_floor')
        cubic_a, exclude = n.attr('cubic_coeff_a', -0.75), n.attr('exclude_outside', 0)
        n.attr('extrapolation_value', 0.0)  # read by tf_crop_and_resize only, unsupported below
        scales, sizes = n.input(2), n.index_input(3)
    if mode not in ('nearest', 'linear'):
        raise Unsupported(f'mode {mode}; portnn resizes nearest and linear')
    if coordinates not in RESIZE_COORDINATES:
        raise Unsupported(f'coordinate_transformation_mode {coordinates}')
    if nearest not in RESIZE_NEAREST:
        raise Unsupported(f'nearest_mode {nearest}')
    if x.ndim != 4:
        raise Unsupported(f'a {x.ndim}-D input; portnn resizes 4-D images over H and W')
    if sizes:
        out = list(sizes)
    else:
        scales = [float(s) for s in np.asarray(scales, dtype=np.float32)]
        out = list(n.expected[0].shape)
        for axis in (2, 3):
            if scales[axis] != out[axis] / x.shape[axis]:
                raise Unsupported(f'scale {scales[axis]:.9g} of axis {axis} is not output / '
                                  f'input size {out[axis]}/{x.shape[axis]} (portnn maps '
                                  f'coordinates by that ratio)')
    if out[:2] != list(x.shape[:2]):
        raise Unsupported(f'output size {out} resizes N or C; portnn resizes H and W')
    xh = image_nhwc(x)
    expected = image_nhwc(n.expected[0])
    params = {'mode': 'bilinear' if mode == 'linear' else 'nearest',
              'coordinate_mode': coordinates, 'nearest_mode': nearest, 'size': out[2:]}
    y = n.step('resize2d', params, [n.tensor(xh)], expected.shape)
    if mode == 'nearest':
        n.output(y, expected, EXACT)
        return
    # Bilinear: tests/reference/resize-reference.h's bound for portnn, 10 u times the sum of the
    # four corners' magnitudes; the reference (computed in double, rounded once) u |y| more.
    def corners(axis):
        size_in, size_out = x.shape[axis], out[axis]
        c = np.clip([resize_source(coordinates, o, size_in, size_out) for o in range(size_out)],
                    0, size_in - 1)
        i0 = np.floor(c).astype(int)
        return i0, np.minimum(i0 + 1, size_in - 1)
    (y0, y1), (x0, x1) = corners(2), corners(3)
    a = np.abs(xh.astype(np.float64))
    magnitude = (a[:, y0][:, :, x0] + a[:, y0][:, :, x1] + a[:, y1][:, :, x0] +
                 a[:, y1][:, :, x1])
    atol = 11 * U * magnitude + DENORMAL_STEP
    n.output(y, expected, dict(tolerance(
        0.0, float(atol.max()), '11 u (|corners| summed): resize-reference.h\'s 10 u (portnn) + '
                                'the reference\'s one rounding'), atol_elements=atol))


def conv_transpose(n):
    """ConvTranspose: weights [C_in][C_out / group][kh][kw] to portnn's [group * GOC][kh][kw][GIC];
    the paddings from pads, auto_pad or output_shape (ONNX's total padding split as its
    specification says), a negative total padding or output_padding as portnn's adjustment."""
    require_f32(n)
    x, w, b = n.input(0), n.input(1), n.input(2)
    rank = x.ndim
    win = window_2d(n, rank)
    groups = int(n.attr('group', 1))
    xh = image_nhwc(x)
    if w.ndim == 3:
        w = w[:, :, None, :]
    cin, goc, kh, kw = w.shape
    gic = cin // groups
    wh = np.ascontiguousarray(w.reshape(groups, gic, goc, kh, kw).transpose(0, 2, 3, 4, 1)
                              .reshape(groups * goc, kh, kw, gic))
    one_d = rank == 3
    lift = (lambda v: [0] + list(v)) if one_d else list
    output_padding = lift(n.attr('output_padding', [0] * (rank - 2)))
    output_shape = n.attr('output_shape', None)
    auto_pad = n.attr('auto_pad', 'NOTSET')
    top, right, bottom, left = win['padding']
    pads = [[top, bottom], [left, right]]
    adjust = list(output_padding)
    if output_shape is not None or win['same']:
        target = (lift(output_shape[-(rank - 2):]) if output_shape is not None
                  else [d * s for d, s in zip(xh.shape[1:3], win['stride'])])
        if one_d:
            target[0] = 1
        for i in range(2):
            extent = win['dilation'][i] * (win['kernel'][i] - 1) + 1
            total = (win['stride'][i] * (xh.shape[1 + i] - 1) + output_padding[i] + extent -
                     target[i])
            if total < 0:
                pads[i], adjust[i] = [0, 0], output_padding[i] - total
            elif auto_pad == 'SAME_UPPER':
                pads[i] = [total // 2, total - total // 2]
            else:
                pads[i] = [total - total // 2, total // 2]
    params = {'padding': [pads[0][0], pads[1][1], pads[0][1], pads[1][0]], 'same': None,
              'adjustment': adjust, 'kernel': win['kernel'], 'stride': win['stride'],
              'dilation': win['dilation'], 'groups': groups, 'group_input_channels': gic,
              'group_output_channels': goc}
    expected = image_nhwc(n.expected[0])
    bias = n.tensor(b) if b is not None else None
    y = n.step('deconvolution2d', params, [n.tensor(xh), n.tensor(wh), bias], expected.shape)
    # |bias| + sum |x * w| per output: the deconvolution of |x| with |w|, in double.
    (sh, sw), (dh, dw) = win['stride'], win['dilation']
    nb, ih, iw, _ = xh.shape
    full = [sh * (ih - 1) + dh * (kh - 1) + 1 + adjust[0],
            sw * (iw - 1) + dw * (kw - 1) + 1 + adjust[1]]
    m = np.zeros((nb, full[0], full[1], groups * goc))
    ax, aw = np.abs(xh.astype(np.float64)), np.abs(wh.astype(np.float64))
    for ky in range(kh):
        for kx in range(kw):
            for g in range(groups):
                m[:, ky * dh:ky * dh + (ih - 1) * sh + 1:sh, kx * dw:kx * dw + (iw - 1) * sw + 1:sw,
                  g * goc:(g + 1) * goc] += (ax[..., g * gic:(g + 1) * gic] @
                                             aw[g * goc:(g + 1) * goc, ky, kx, :].T)
    oh, ow = expected.shape[1:3]
    m = m[:, pads[0][0]:pads[0][0] + oh, pads[1][0]:pads[1][0] + ow]
    if m.shape[1:3] != (oh, ow):
        raise Unsupported(f'output {oh}x{ow} beyond the padded full output {m.shape[1:3]}')
    m = m + (np.abs(b.astype(np.float64)) if b is not None else 0)
    n.output(y, expected, dot_tolerance(gic * kh * kw, m, expected, 'deconvolution'))


# --- reductions and normalizations ------------------------------------------------------------
def reduce_tolerance(kind, x, axes, keep, expected):
    """Per output element gathering k inputs (tests/operators/reduce-test.cc), for portnn and
    for the reference alike: sum gamma(k - 1) sum|x|, mean that / k + 2u |mean|, max and min
    exact."""
    if kind in ('max', 'min'):
        return EXACT
    k = int(np.prod([x.shape[a] for a in axes])) if axes else 1
    a = np.abs(x.astype(np.float64))
    total = np.sum(a, axis=tuple(axes), keepdims=keep) if axes else a
    if kind == 'sum':
        atol = 2 * gamma(max(k - 1, 0)) * total + 2 * DENORMAL_STEP
        why = f'2 gamma(k - 1) sum|x|, k = {k}: the float sum\'s bound, portnn\'s and the reference\'s'
    else:
        atol = (2 * gamma(max(k - 1, 0)) * total / k + 4 * U * np.abs(expected) +
                2 * DENORMAL_STEP)
        why = (f'2 (gamma(k - 1) sum|x| / k + 2u |mean|), k = {k}: the sum\'s bound and the '
               f'division\'s, portnn\'s and the reference\'s')
    atol = np.broadcast_to(atol, expected.shape)
    return dict(tolerance(0.0, float(atol.max()), why), atol_elements=atol)


def reduce_entry(kind):
    """ReduceSum/Mean/Max/Min: axes as attribute, or as input (ReduceSum from opset 13, the
    others from 18) with noop_with_empty_axes; no axes reduce every dim unless that says noop."""
    def entry(n):
        from_input = n.case.opset >= (13 if kind == 'sum' else 18)
        require_f32(n, index_inputs=(1,) if from_input else ())
        x = n.input(0)
        keep = bool(n.attr('keepdims', 1))
        axes = reduce_axes(n, x, from_input)
        y = n.step('reduce', {'reduce': kind, 'axes': axes, 'keep_dims': keep}, [n.tensor(x)],
                   n.expected[0].shape)
        n.output(y, n.expected[0], reduce_tolerance(kind, x, axes, keep, n.expected[0]))
    return entry


def norm_tolerance(rows, epsilon, g, b):
    """The bound of tests/operators/normalization-test.cc per row of `rows` ([rows][n]), held by
    portnn and by the reference (the same float32 formula), so twice it: the mean is off by
    dm <= gamma(n) sum|x| / n + 2u |mean|, 1 / sqrt(var + eps) by the relative
    rs <= (gamma(n + 3) + dm^2 / (var + eps)) / 2 + 3u, t = (x - mean) s by |t| (rs + 2u) + dm s,
    y = t g + b by 2u (|t g| + |b|) more. g and b broadcast against rows. Returns the per-element
    atol and, per row, the mean, dm, s = 1 / sqrt(var + eps) and rs."""
    x2 = rows.astype(np.float64)
    size = x2.shape[1]
    mean = x2.mean(axis=1, keepdims=True)
    var = ((x2 - mean) ** 2).mean(axis=1, keepdims=True)
    dm = gamma(size) * np.abs(x2).sum(axis=1, keepdims=True) / size + 2 * U * np.abs(mean)
    inv = 1 / np.sqrt(var + epsilon)
    rs = (gamma(size + 3) + dm ** 2 / (var + epsilon)) / 2 + 3 * U
    t = (x2 - mean) * inv
    g, b = np.abs(np.asarray(g, dtype=np.float64)), np.abs(np.asarray(b, dtype=np.float64))
    atol = 2 * ((np.abs(t) * (rs + 2 * U) + dm * inv) * g + 2 * U * (np.abs(t) * g + b))
    return atol + 2 * DENORMAL_STEP, mean, dm, inv, rs


def layer_norm(n):
    """LayerNormalization (opset 17) over the dims from `axis` on; the optional outputs Mean
    and InvStdDev as portnn computes them too: a keepdims mean, then 1 / sqrt(mean((x - mean)^2)
    + epsilon) from a squared difference, a mean, an add and an rsqrt."""
    require_f32(n)
    x, scale, bias = n.input(0), n.input(1), n.input(2)
    axis = axis_of(n, 'axis', x.ndim, -1)
    epsilon = float(n.attr('epsilon', 1e-5))
    if int(n.attr('stash_type', 1)) != 1:
        raise Unsupported('stash_type other than float32')
    rows, size = int(np.prod(x.shape[:axis])), int(np.prod(x.shape[axis:]))
    beta = n.tensor(np.broadcast_to(bias, x.shape[axis:])) if bias is not None else None
    gamma_t = n.tensor(np.broadcast_to(scale, x.shape[axis:]))
    xt = n.tensor(x)
    y = n.step('layer_norm', {'axis': axis, 'epsilon': epsilon}, [xt, gamma_t, beta], x.shape)
    g = np.broadcast_to(scale, x.shape[axis:]).reshape(1, size)
    b = np.broadcast_to(bias, x.shape[axis:]).reshape(1, size) if bias is not None else 0.0
    atol, mean, dm, inv, rs = norm_tolerance(x.reshape(rows, size), epsilon, g, b)
    n.output(y, n.expected[0], dict(tolerance(
        0.0, float(atol.max()), f'twice normalization-test.cc\'s row bound, n = {size}: '
                                f'(|t| (rs + 2u) + dm s) |g| + 2u (|t g| + |b|)'),
        atol_elements=atol.reshape(x.shape)))
    outputs = [o for o in n.node.output[1:] if o]
    if not outputs:
        return
    stats = x.shape[:axis] + (1,) * (x.ndim - axis)
    axes = list(range(axis, x.ndim))
    m = n.step('reduce', {'reduce': 'mean', 'axes': axes, 'keep_dims': True}, [xt], stats)
    if n.node.output[1]:
        atol = (2 * dm).reshape(stats) + 2 * DENORMAL_STEP
        n.output(m, n.expected[1], dict(tolerance(
            0.0, float(atol.max()), 'twice the mean\'s bound dm = gamma(n) sum|x| / n + 2u '
                                    '|mean|: portnn\'s reduce and the reference\'s'),
            atol_elements=atol))
    if len(n.node.output) > 2 and n.node.output[2]:
        sq = n.step('binary', {'binary': 'squared_difference'}, [xt, m], x.shape)
        v = n.step('reduce', {'reduce': 'mean', 'axes': axes, 'keep_dims': True}, [sq], stats)
        v = n.step('binary', {'binary': 'add'}, [v, n.tensor(np.float32([epsilon]))], stats)
        s = n.step('unary', {'unary': 'rsqrt'}, [v], stats)
        atol = (2 * rs * inv).reshape(stats) + 2 * DENORMAL_STEP
        n.output(s, n.expected[2], dict(tolerance(
            0.0, float(atol.max()), 'twice the relative rs of 1 / sqrt(var + eps) '
                                    '(normalization-test.cc)'), atol_elements=atol))


def channels_last(x):
    """[N][C][...] -> [N][...][C] (any rank >= 2)."""
    return np.ascontiguousarray(np.moveaxis(x, 1, -1)) if x.ndim > 2 else x


def batch_norm(n):
    """BatchNormalization in inference form over axis 1, run channels last."""
    require_f32(n)
    x, s, b, mean, var = n.inputs[:5]
    epsilon = float(n.attr('epsilon', 1e-5))
    n.attr('momentum', 0.9)  # used by training only
    if int(n.attr('training_mode', 0)) or not int(n.attr('is_test', 1)):
        raise Unsupported('training mode; portnn batch norm is the inference form')
    if not int(n.attr('spatial', 1)):
        raise Unsupported('spatial 0 (statistics per element); portnn normalizes per channel')
    if len([o for o in n.node.output if o]) > 1:
        raise Unsupported('the running statistics outputs of training')
    xt = channels_last(x)
    y = n.step('batch_norm', {'epsilon': epsilon},
               [n.tensor(xt)] + [n.tensor(v) for v in (mean, var, s, b)], xt.shape)
    # portnn (normalization-test.cc): 3u |x scale| + 2u |shift|, scale and shift folded in
    # double; the reference's float32 formula (x - mean) / sqrt(var + eps) * s + b: gamma(5)
    # on the normalized term and u |y|.
    x64 = xt.astype(np.float64)
    scale = s.astype(np.float64) / np.sqrt(var.astype(np.float64) + epsilon)
    shift = b - mean.astype(np.float64) * scale
    term = np.abs((x64 - mean) * scale)
    expected = channels_last(n.expected[0])
    atol = (3 * U * np.abs(x64 * scale) + 2 * U * np.abs(shift) + gamma(5) * term +
            U * np.abs(expected) + 2 * DENORMAL_STEP)
    n.output(y, expected, dict(tolerance(
        0.0, float(atol.max()), '3u |x scale| + 2u |shift| (portnn) + gamma(5) |(x - mean) '
                                'scale| + u |y| (the reference)'), atol_elements=atol))


def prelu(n):
    """PRelu: the slope, broadcast to X (NumPy-style from opset 7, per channel of axis 1
    before), is constant along the leading dims before some k; the dims from k on are portnn's
    channels, the slope expanded to them, and X is its rows."""
    require_f32(n)
    x, slope = n.input(0), n.input(1)
    if n.case.opset < 7 and slope.size > 1:
        slope = slope.reshape((-1,) + (1,) * (x.ndim - 2))
    s = slope.reshape((1,) * (x.ndim - slope.ndim) + slope.shape)
    k = next((i for i, d in enumerate(s.shape) if d != 1), x.ndim - 1)
    k = min(k, x.ndim - 1)
    channels = np.broadcast_to(s[(0,) * k], x.shape[k:]).reshape(-1)
    rows = x.reshape(-1, channels.size)  # [batch][channels], as portnn takes it
    y = n.step('prelu', {}, [n.tensor(rows), n.tensor(channels)], rows.shape)
    n.output(y, n.expected[0].reshape(rows.shape), EXACT)


def reduce_axes(n, x, from_input):
    """The axes of a Reduce* node (attribute, or input from opset 13 for ReduceSum and 18 for
    the others, with noop_with_empty_axes), sorted and non-negative; no axes reduce every dim
    unless noop_with_empty_axes says noop."""
    axes = n.index_input(1) if from_input else n.attr('axes', None)
    noop = bool(n.attr('noop_with_empty_axes', 0)) if from_input else False
    axes = sorted(int(a) % max(x.ndim, 1) for a in axes) if axes else []
    return list(range(x.ndim)) if not axes and not noop else axes


def reduce_chain_entry(kind):
    """ReduceL1 (|x| summed), ReduceSumSquare (x^2 summed), ReduceL2 (its sqrt), ReduceLogSum
    (log of the sum) and ReduceLogSumExp (m + log sum exp(x - m), m the max: the form that does
    not overflow) as the portnn steps an importer would chain. Tolerances per output element of
    k inputs, each the portnn chain's bound plus the reference's (NumPy's float32 formula):
      L1: the float sum of |x|, 2 gamma(k - 1) sum|x|;
      SumSquare: k squares and the sum, 2 gamma(k) sum x^2; L2: its square root, relative
        2 (gamma(k) / 2 + u);
      LogSum: log turns the sum's relative error gamma(k - 1) sum|x| / |sum| into an absolute
        one, plus log's kLogError (8 ulp for the reference) relative;
      LogSumExp: the exponentials' kExpError + |x - m| u (8 ulp for the reference's exp), the
        sum's (k - 1) u, log's 2u |log s| and the add's u |y|."""
    def entry(n):
        require_f32(n, index_inputs=(1,) if n.case.opset >= 18 else ())
        x = n.input(0)
        keep = bool(n.attr('keepdims', 1))
        axes = reduce_axes(n, x, n.case.opset >= 18)
        k = int(np.prod([x.shape[a] for a in axes])) if axes else 1
        kept = tuple(1 if i in axes else d for i, d in enumerate(x.shape))
        out = kept if keep else tuple(d for i, d in enumerate(x.shape) if i not in axes)
        expected = n.expected[0]
        x64 = x.astype(np.float64)
        total = lambda v: np.sum(v, axis=tuple(axes), keepdims=keep)
        sum_params = {'reduce': 'sum', 'axes': axes, 'keep_dims': keep}
        xt = n.tensor(x)
        if kind in ('l1', 'sum_square', 'l2'):
            v = n.step('unary', {'unary': 'abs' if kind == 'l1' else 'square'}, [xt], x.shape)
            y = n.step('reduce', sum_params, [v], out)
            if kind == 'l1':
                atol = 2 * gamma(max(k - 1, 0)) * total(np.abs(x64))
                why = f'2 gamma(k - 1) sum|x|, k = {k}'
            else:
                atol = 2 * gamma(k) * total(x64 ** 2)
                why = f'2 gamma(k) sum x^2, k = {k}'
            if kind == 'l2':
                y = n.step('unary', {'unary': 'sqrt'}, [y], out)
                atol = 2 * (gamma(k) / 2 + U) * np.sqrt(total(x64 ** 2))
                why = f'2 (gamma(k) / 2 + u) |y|, k = {k}'
        elif kind == 'log_sum':
            y = n.step('reduce', sum_params, [xt], out)
            y = n.step('unary', {'unary': 'log'}, [y], out)
            s = total(x64)
            with np.errstate(divide='ignore'):
                atol = (2 * gamma(max(k - 1, 0)) * total(np.abs(x64)) / np.abs(s) +
                        (n.bounds['kLogError'][0] + REFERENCE_TRANSCENDENTAL) * np.abs(np.log(s)))
            why = f'2 gamma(k - 1) sum|x| / |sum| + (kLogError + 8 ulp) |log sum|, k = {k}'
        else:  # log_sum_exp
            m = n.step('reduce', {'reduce': 'max', 'axes': axes, 'keep_dims': True}, [xt], kept)
            d = n.step('binary', {'binary': 'subtract'}, [xt, m], x.shape)
            e = n.step('unary', {'unary': 'exp'}, [d], x.shape)
            s = n.step('reduce', dict(sum_params, keep_dims=True), [e], kept)
            y = n.step('unary', {'unary': 'log'}, [s], kept)
            y = n.step('binary', {'binary': 'add'}, [y, m], kept)
            mx = np.max(x64, axis=tuple(axes), keepdims=True)
            dx = x64 - mx
            sk = np.sum(np.exp(dx), axis=tuple(axes), keepdims=True)
            shares = np.sum(np.exp(dx) * (n.bounds['kExpError'][0] + REFERENCE_TRANSCENDENTAL +
                                          2 * np.abs(dx) * U), axis=tuple(axes), keepdims=True)
            atol = (2 * (k - 1) * U + shares / sk + 4 * U * np.abs(np.log(sk)) +
                    2 * U * np.abs(mx + np.log(sk)) + REFERENCE_TRANSCENDENTAL * np.abs(mx +
                                                                                      np.log(sk)))
            expected = expected.reshape(kept)
            why = (f'2 (k - 1) u + the exponentials\' kExpError + 8 ulp + 2 |x - max| u weighted '
                   f'by their shares + 4u |log s| + (2u + 8 ulp) |y|, k = {k}')
        atol = np.broadcast_to(atol, expected.shape) + 2 * DENORMAL_STEP
        n.output(y, expected, dict(tolerance(0.0, float(atol.max()), why), atol_elements=atol))
    return entry


def instance_norm(n):
    """InstanceNormalization: per image and channel over the spatial dims, a layer norm of
    [N][C][spatial...] from axis 2 (gamma 1, no beta), then scale and bias per channel."""
    require_f32(n)
    x, scale, bias = n.input(0), n.input(1), n.input(2)
    epsilon = float(n.attr('epsilon', 1e-5))
    size = int(np.prod(x.shape[2:]))
    per_channel = (-1,) + (1,) * (x.ndim - 2)
    y = n.step('layer_norm', {'axis': 2, 'epsilon': epsilon},
               [n.tensor(x), n.tensor(np.ones(x.shape[2:])), None], x.shape)
    y = n.step('binary', {'binary': 'multiply'}, [y, n.tensor(scale.reshape(per_channel))],
               x.shape)
    y = n.step('binary', {'binary': 'add'}, [y, n.tensor(bias.reshape(per_channel))], x.shape)
    rows = x.reshape(-1, size)
    g = np.tile(scale, x.shape[0]).reshape(-1, 1)
    b = np.tile(bias, x.shape[0]).reshape(-1, 1)
    atol = norm_tolerance(rows, epsilon, g, b)[0]
    n.output(y, n.expected[0], dict(tolerance(
        0.0, float(atol.max()), f'twice normalization-test.cc\'s row bound with the scale and '
                                f'bias as g and b (a product and a sum rounded), n = {size}'),
        atol_elements=atol.reshape(x.shape)))


def softsign(n):
    """Softsign x / (1 + |x|): abs, add, divide; two roundings each side."""
    require_f32(n)
    x = n.input(0)
    xt = n.tensor(x)
    d = n.step('unary', {'unary': 'abs'}, [xt], x.shape)
    d = n.step('binary', {'binary': 'add'}, [d, n.tensor([1.0])], x.shape)
    y = n.step('binary', {'binary': 'divide'}, [xt, d], x.shape)
    n.output(y, n.expected[0], tolerance(4 * U, 2 * DENORMAL_STEP,
                                         'two roundings (1 + |x|, the division) portnn\'s and '
                                         'the reference\'s'))


def selu(n):
    """Selu: gamma * elu(x, alpha), an elu and a multiply; Elu's tolerance scaled by gamma, plus
    the product's rounding each side."""
    require_f32(n)
    x = n.input(0)
    alpha, g = float(n.attr('alpha', 1.67326319217681884765625)), float(
        n.attr('gamma', 1.05070102214813232421875))
    y = n.step('unary', {'unary': 'elu', 'alpha': alpha}, [n.tensor(x)], x.shape)
    y = n.step('binary', {'binary': 'multiply'}, [y, n.tensor([g])], x.shape)
    rel, ab = n.bounds['kExpm1Error']
    n.output(y, n.expected[0], tolerance(
        rel + 3 * U + REFERENCE_TRANSCENDENTAL, g * (ab + DENORMAL_STEP + alpha * 4 * U) +
        2 * DENORMAL_STEP, 'Elu\'s bound (kExpm1Error, 8 ulp of exp for the reference) times '
                           'gamma, + the product\'s rounding each side'))


MAPPINGS = {
    'Relu': unary_entry('clamp', min=0.0),
    'Clip': unary_entry('clamp'),
    'LeakyRelu': unary_entry('leaky_relu', negative_slope=('alpha', 0.01)),
    'Elu': unary_entry('elu', alpha=('alpha', 1.0)),
    'Sigmoid': unary_entry('sigmoid'),
    'Tanh': unary_entry('tanh'),
    'HardSwish': unary_entry('hardswish'),
    'Abs': unary_entry('abs'),
    'Neg': unary_entry('negate'),
    'Sqrt': unary_entry('sqrt'),
    'Exp': unary_entry('exp'),
    'Erf': unary_entry('erf'),
    'Log': unary_entry('log'),
    'Sin': unary_entry('sin'),
    'Cos': unary_entry('cos'),
    'Softplus': unary_entry('softplus'),
    'Floor': unary_entry('floor'),
    'Ceil': unary_entry('ceil'),
    'Round': unary_entry('round'),
    'HardSigmoid': unary_entry('hard_sigmoid', alpha=('alpha', 0.2), beta=('beta', 0.5)),
    'Add': binary_entry('add'),
    'Sub': binary_entry('subtract'),
    'Mul': binary_entry('multiply'),
    'Div': binary_entry('divide'),
    'Min': binary_entry('minimum'),
    'Max': binary_entry('maximum'),
    'Sum': binary_entry('add'),
    'Mean': mean,
    'Reciprocal': reciprocal,
    'Conv': conv,
    'Gemm': gemm,
    'MatMul': matmul,
    'MaxPool': pooling_entry('max_pooling2d'),
    'AveragePool': pooling_entry('average_pooling2d'),
    'GlobalAveragePool': global_average_pool,
    'GlobalMaxPool': global_max_pool,
    'Softmax': softmax_entry(log=False),
    'LogSoftmax': softmax_entry(log=True),
    'Pow': power,
    'Transpose': transpose,
    'Pad': pad,
    'Concat': concat,
    'Split': split,
    'Slice': slice_,
    'DepthToSpace': depth_to_space,
    'SpaceToDepth': space_to_depth,
    'Resize': resize,
    'Upsample': resize,
    'ConvTranspose': conv_transpose,
    'ReduceSum': reduce_entry('sum'),
    'ReduceMean': reduce_entry('mean'),
    'ReduceMax': reduce_entry('max'),
    'ReduceMin': reduce_entry('min'),
    'LayerNormalization': layer_norm,
    'BatchNormalization': batch_norm,
    'PRelu': prelu,
    'ReduceL1': reduce_chain_entry('l1'),
    'ReduceL2': reduce_chain_entry('l2'),
    'ReduceSumSquare': reduce_chain_entry('sum_square'),
    'ReduceLogSum': reduce_chain_entry('log_sum'),
    'ReduceLogSumExp': reduce_chain_entry('log_sum_exp'),
    'InstanceNormalization': instance_norm,
    'Softsign': softsign,
    'Selu': selu,
}


# --- cases and the output files --------------------------------------------------------------
class Case:
    def __init__(self, name, op, model, blob):
        self.name, self.op, self.model, self.blob = name, op, model, blob
        self.opset = max((o.version for o in model.opset_import if o.domain in ('', 'ai.onnx')),
                         default=0)
        self.tensors, self.steps, self.outputs = {}, [], []

    def _store(self, array):
        offset = len(self.blob)
        self.blob += np.ascontiguousarray(array, dtype='<f4').tobytes()
        return offset

    def tensor(self, array):
        name = f't{len(self.tensors)}'
        self.tensors[name] = {'shape': list(array.shape), 'offset': self._store(array)}
        return name

    def step(self, op, params, inputs, shapes):
        names = [f's{len(self.steps)}' + (f'.{k}' if len(shapes) > 1 else '')
                 for k in range(len(shapes))]
        self.steps.append({'op': op, 'params': params, 'inputs': inputs, 'outputs': names,
                           'shapes': [[int(d) for d in shape] for shape in shapes]})
        return names

    def output(self, name, expected, tol):
        record = dict(tol, name=name, shape=list(expected.shape), expected=self._store(expected))
        if 'atol_elements' in tol:  # per-element atol, stored as floats rounded up
            atol = np.broadcast_to(tol['atol_elements'], expected.shape).astype(np.float32)
            atol = np.nextafter(atol, np.float32(np.inf))
            record['atol_elements'] = self._store(atol)
        self.outputs.append(record)


def load_arrays(directory, prefix):
    files = sorted((f for f in os.listdir(directory) if f.startswith(prefix)),
                   key=lambda f: int(re.search(r'(\d+)', f).group(1)))
    arrays = []
    for f in files:
        t = onnx.TensorProto()
        with open(os.path.join(directory, f), 'rb') as fh:
            t.ParseFromString(fh.read())
        arrays.append(numpy_helper.to_array(t))
    return arrays


def convert_test(path, name, op, model, bounds, blob):
    """The case records of one test directory: one per test data set."""
    records = []
    sets = sorted(d for d in os.listdir(path) if d.startswith('test_data_set_'))
    graph = model.graph
    for s in sets:
        case = Case(name if len(sets) == 1 else f'{name}/{s}', op, model, blob)
        record = {'name': case.name, 'op': op}
        try:
            if len(graph.node) != 1:
                ops = ', '.join(nd.op_type for nd in graph.node)
                raise Unsupported(f'a graph of {len(graph.node)} nodes ({ops}); the harness runs '
                                  f'single-node models')
            node = graph.node[0]
            # Values by name: the initializers (weights of the older models), then the test's
            # inputs, fed in order to the graph inputs that are not initializers.
            values = {t.name: numpy_helper.to_array(t) for t in graph.initializer}
            feeds = [v.name for v in graph.input if v.name not in values]
            values.update(zip(feeds, load_arrays(os.path.join(path, s), 'input_')))
            inputs = [values[i] if i else None for i in node.input]  # '' = absent optional
            outputs = load_arrays(os.path.join(path, s), 'output_')
            mapped = Node(node, inputs, outputs, bounds, case)
            MAPPINGS[op](mapped)
            if mapped.unread_attributes():
                raise Unsupported(f'attribute {", ".join(mapped.unread_attributes())} not mapped')
            record.update(status='run', tensors=case.tensors, steps=case.steps,
                          outputs=case.outputs)
        except Unsupported as e:
            record.update(status='unsupported', reason=str(e))
        records.append(record)
    return records


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--data', required=True, nargs='+',
                    help='test directories: node (names as they are), pytorch-converted, ... '
                         '(names prefixed with the directory\'s name)')
    ap.add_argument('--constants', required=True, help='kernels/math-constants.h')
    ap.add_argument('--out', required=True, help='output directory')
    args = ap.parse_args()
    bounds = read_bounds(args.constants)
    blob = bytearray()
    tests, paths = [], {}
    for data in args.data:
        corpus = os.path.basename(os.path.normpath(data))
        for d in sorted(os.listdir(data)):
            if os.path.isfile(os.path.join(data, d, 'model.onnx')):
                name = d if corpus == 'node' else f'{corpus}/{d}'
                tests.append(name)
                paths[name] = os.path.join(data, d)
    models = {d: onnx.load(os.path.join(paths[d], 'model.onnx')) for d in tests}

    def op_of(d):
        """A single node's op; for an expanded test, the op of the test it expands."""
        graph = models[d].graph
        if len(graph.node) == 1:
            return graph.node[0].op_type
        base = d[:-len('_expanded')] if d.endswith('_expanded') else None
        if base in models and len(models[base].graph.node) == 1:
            return models[base].graph.node[0].op_type
        return None

    cases, unmapped = [], {}
    for d in tests:
        op = op_of(d)
        if op in MAPPINGS:
            cases += convert_test(paths[d], d, op, models[d], bounds, blob)
        else:
            key = op or 'multi-node graph'
            unmapped[key] = unmapped.get(key, 0) + 1
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, 'cases.bin'), 'wb') as f:
        f.write(blob)
    manifest = {'source': ', '.join(os.path.abspath(d) for d in args.data),
                'onnx': onnx.__version__,
                'operators': sorted(MAPPINGS), 'unmapped': unmapped, 'cases': cases}
    with open(os.path.join(args.out, 'cases.json'), 'w', encoding='utf-8') as f:
        json.dump(manifest, f, indent=1)
    run = sum(c['status'] == 'run' for c in cases)
    print(f'convert.py: {len(cases)} cases of {len(MAPPINGS)} operators ({run} to run, '
          f'{len(cases) - run} unsupported), {sum(unmapped.values())} tests of '
          f'{len(unmapped)} unmapped operators, into {args.out}')


if __name__ == '__main__':
    main()
