#!/usr/bin/python3
"""Writes MobileNet v2 (1.0) as an ONNX model with the weights of examples/mobilenet-v2.h and
examples/mobilenet-v2.mjs, for the onnxruntime-web side of the model benchmark (bench/js/model.mjs).
Run with Debian's python3 (package python3-onnx):

    /usr/bin/python3 bench/models/mobilenet_v2_onnx.py --out build/bench-models [--size 224]

The weights come from a port of the examples' generator (ModelRandom: xorshift32, 24 bits per
float, scaled in float32 arithmetic), drawn in the same order as their build(seed): every float
is bit-identical to the C++ and JS ones. Two checks say so: before writing, a few parameters of
seed 42 are compared with the values the C++ and JS builds print (KNOWN below); and the script
writes mobilenet_v2.check.json (parameter count, a sample of indices with their values, the sum)
that the JS benchmark compares with its own build(42) before it runs anything.

The model is NCHW, as ONNX is: input "input" [1, 3, S, S], output "logits" [1, classes]. The
examples' layers map onto ONNX nodes one to one: a convolution is Conv (weights transposed from
the examples' [cout][kh][kw][cin/groups] to ONNX's [cout][cin/groups][kh][kw], symmetric pads
kernel / 2, group = groups) followed by Clip(0, 6) where the layer has relu6 (ONNX Runtime fuses
it, as portnn's graph runtime does); add is Add; global average pooling is GlobalAveragePool and
Flatten; the classifier is Gemm(transB = 1) on the examples' [classes][1280] weights. The file is
rewritten only when its bytes change.
"""

import argparse
import json
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from make_models import write_if_changed  # this directory's one-operator models script

OPSET = 17
SEED = 42
# Parameters of build(42) as examples/mobilenet-v2.h and examples/mobilenet-v2.mjs compute them
# (printed with %.9g, which round-trips a float32): index -> value.
KNOWN = {0: -0.468911856, 1: 0.151143551, 863: -0.288700402, 864: 0.0108761014,
         100000: 0.520946741, 1234567: 0.00114260975, 3487815: -0.0427980982}
KNOWN_COUNT = 3487816
# (expansion t, output channels, repeats n, first stride s), as in the examples.
BLOCKS = ((1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1),
          (6, 160, 3, 2), (6, 320, 1, 1))


def xorshift_floats(seed, count):
    """The next `count` floats of ModelRandom(seed): xorshift32, (state >> 8) * 2^-23 - 1, exact in
    float32 (24-bit integers scaled by a power of two)."""
    x = (seed & 0xFFFFFFFF) or 1
    states = np.empty(count, dtype=np.uint32)
    for i in range(count):
        x ^= (x << 13) & 0xFFFFFFFF
        x ^= x >> 17
        x ^= (x << 5) & 0xFFFFFFFF
        states[i] = x
    return (states >> 8).astype(np.float32) * np.float32(2.0 / 16777216.0) - np.float32(1.0)


class Builder:
    """build(seed) of the examples: layers in order, parameters appended as they are drawn."""

    def __init__(self, seed, classes):
        self.layers = []
        self.sizes = []  # (count, float32 scale) per parameter block, in drawing order
        self.count = 0
        self.classes = classes
        self.seed = seed

    def params(self, count, scale):
        at = self.count
        self.sizes.append((count, np.float32(scale)))
        self.count += count
        return at

    def conv(self, x, k, s, groups, cin, cout, relu6):
        fan_in = k * k * (cin // groups)
        # Float32 arithmetic, as the C++ (float division, std::sqrt of a float) and JS do.
        scale = np.sqrt(np.float32(6.0 if relu6 else 3.0) / np.float32(fan_in), dtype=np.float32)
        w = self.params(cout * k * k * (cin // groups), scale)
        b = self.params(cout, np.float32(0.05))
        self.layers.append(dict(kind="conv", input=x, k=k, s=s, groups=groups, cin=cin, cout=cout,
                                relu6=relu6, weights=w, bias=b))
        return len(self.layers) - 1

    def build(self):
        x = self.conv(-1, 3, 2, 1, 3, 32, True)
        c = 32
        for t, out, n, s in BLOCKS:
            for i in range(n):
                stride = s if i == 0 else 1
                hidden = c * t
                y = x
                if t != 1:
                    y = self.conv(y, 1, 1, 1, c, hidden, True)
                y = self.conv(y, 3, stride, hidden, hidden, hidden, True)
                y = self.conv(y, 1, 1, 1, hidden, out, False)
                if stride == 1 and c == out:
                    self.layers.append(dict(kind="add", input=x, input2=y))
                    y = len(self.layers) - 1
                x = y
                c = out
        x = self.conv(x, 1, 1, 1, c, 1280, True)
        self.layers.append(dict(kind="gap", input=x))
        scale = np.sqrt(np.float32(3.0) / np.float32(1280.0), dtype=np.float32)
        w = self.params(self.classes * 1280, scale)
        b = self.params(self.classes, np.float32(0.05))
        self.layers.append(dict(kind="fc", input=len(self.layers) - 1, cin=1280,
                                cout=self.classes, weights=w, bias=b))
        raw = xorshift_floats(self.seed, self.count)
        scales = np.concatenate([np.full(n, s, dtype=np.float32) for n, s in self.sizes])
        return raw * scales  # float32 * float32, rounded once, as s * rng.next()


def check_known(params):
    if len(params) != KNOWN_COUNT:
        raise SystemExit("mobilenet_v2_onnx: %d parameters, the examples have %d"
                         % (len(params), KNOWN_COUNT))
    for i, v in KNOWN.items():
        if params[i] != np.float32(v):
            raise SystemExit("mobilenet_v2_onnx: parameter %d is %.9g, the examples' is %.9g"
                             % (i, params[i], v))


def onnx_model(layers, params, size, classes):
    inits = [numpy_helper.from_array(np.float32(0.0), "zero"),
             numpy_helper.from_array(np.float32(6.0), "six")]
    nodes = []
    names = []
    for i, l in enumerate(layers):
        x = "input" if l["input"] == -1 else names[l["input"]]
        out = "logits" if i == len(layers) - 1 else "t%d" % i
        if l["kind"] == "conv":
            k, cout, gic = l["k"], l["cout"], l["cin"] // l["groups"]
            w = params[l["weights"]:l["weights"] + cout * k * k * gic].reshape(cout, k, k, gic)
            inits.append(numpy_helper.from_array(np.ascontiguousarray(w.transpose(0, 3, 1, 2)),
                                                 "w%d" % i))
            inits.append(numpy_helper.from_array(params[l["bias"]:l["bias"] + cout], "b%d" % i))
            p = k // 2
            conv_out = "c%d" % i if l["relu6"] else out
            nodes.append(helper.make_node("Conv", [x, "w%d" % i, "b%d" % i], [conv_out],
                                          name="conv%d" % i, kernel_shape=[k, k],
                                          strides=[l["s"], l["s"]], pads=[p, p, p, p],
                                          group=l["groups"]))
            if l["relu6"]:
                nodes.append(helper.make_node("Clip", [conv_out, "zero", "six"], [out],
                                              name="relu6_%d" % i))
        elif l["kind"] == "add":
            nodes.append(helper.make_node("Add", [x, names[l["input2"]]], [out], name="add%d" % i))
        elif l["kind"] == "gap":
            nodes.append(helper.make_node("GlobalAveragePool", [x], ["g%d" % i], name="gap%d" % i))
            nodes.append(helper.make_node("Flatten", ["g%d" % i], [out], name="flatten%d" % i,
                                          axis=1))
        else:
            w = params[l["weights"]:l["weights"] + l["cout"] * l["cin"]].reshape(l["cout"], l["cin"])
            inits.append(numpy_helper.from_array(w, "w%d" % i))
            inits.append(numpy_helper.from_array(params[l["bias"]:l["bias"] + l["cout"]], "b%d" % i))
            nodes.append(helper.make_node("Gemm", [x, "w%d" % i, "b%d" % i], [out], name="fc%d" % i,
                                          transB=1))
        names.append(out)
    graph = helper.make_graph(
        nodes, "mobilenet_v2",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, [1, 3, size, size])],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, [1, classes])],
        initializer=inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)],
                              producer_name="portnn-bench")
    model.ir_version = 8  # what onnx 1.12 writes for opset 17
    onnx.checker.check_model(model)
    return model


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--out", required=True, help="directory for mobilenet_v2.onnx")
    p.add_argument("--size", type=int, default=224, help="input height and width (default 224)")
    p.add_argument("--classes", type=int, default=1000)
    args = p.parse_args(argv)
    b = Builder(SEED, args.classes)
    params = b.build()
    if args.classes == 1000:
        check_known(params)
    os.makedirs(args.out, exist_ok=True)
    model = onnx_model(b.layers, params, args.size, args.classes)
    written = write_if_changed(os.path.join(args.out, "mobilenet_v2.onnx"), model.SerializeToString())
    # A spread of indices (every layer's first weight and bias, and some in between) for the JS
    # side to compare with its own generator.
    picks = sorted(set([l[k] for l in b.layers for k in ("weights", "bias") if k in l] +
                       list(range(0, len(params), 99991)) + [len(params) - 1]))
    check = {"about": "parameters of build(%d) as bench/models/mobilenet_v2_onnx.py draws them" % SEED,
             "seed": SEED, "size": args.size, "classes": args.classes, "count": int(len(params)),
             "sum": float(np.cumsum(params.astype(np.float64))[-1]),
             "samples": {str(i): float(params[i]) for i in picks}}
    write_if_changed(os.path.join(args.out, "mobilenet_v2.check.json"),
                     (json.dumps(check, indent=1) + "\n").encode())
    print("mobilenet_v2: %d parameters (seed %d, the examples' values), %d nodes, input %dx%d -> %s%s"
          % (len(params), SEED, len(model.graph.node), args.size, args.size,
             os.path.join(args.out, "mobilenet_v2.onnx"), "" if written else " (unchanged)"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
