#!/usr/bin/python3
"""Writes one single-operator ONNX model per shape of bench/suite.json, for the onnxruntime-web
side of the JS benchmarks (bench/js/). Run with Debian's python3 (package python3-onnx):

    /usr/bin/python3 bench/models/make_models.py [--suite bench/suite.json] --out build/bench-models

Models are NCHW, as ONNX operators are: convolution and pooling inputs are [1, C, H, W]. Each model
has one input "x" (and "y" for add) and one output "out"; weights and biases are initializers
(random, fixed seed), so that the runtime can pre-pack them as it would for a real model. The
operators mirror what the other implementations run:
  gemm         Gemm(x[m,k], W[n,k]^T, bias[n])
  conv         Conv with bias, explicit symmetric pads, group = groups
  pool         MaxPool / AveragePool (count_include_pad = 0) / GlobalAveragePool
  elementwise  Relu, Sigmoid, Tanh, HardSwish (opset 14), Gelu (com.microsoft contrib op: the
               exact erf form; ONNX's own Gelu needs opset 20, newer than Debian's onnx), Add,
               Softmax over the last axis (opset 13).
For gemm and conv shapes the same weights are also written raw as <name>.weights.bin (float32
little-endian, ONNX layout: W, then the bias), so that the JS benchmarks give portnn and TF.js the
very same weights and can cross-check the three implementations' outputs. An index.json lists the
models with their input shapes. Files are rewritten only when their bytes change, so reruns are
cheap and leave timestamps alone.
"""

import argparse
import hashlib
import json
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 17
MS_DOMAIN = "com.microsoft"


def rand(rng, shape, lo, hi):
    return rng.uniform(lo, hi, size=shape).astype(np.float32)


def seed_of(name):
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:4], "little")


def value_info(name, shape):
    return helper.make_tensor_value_info(name, TensorProto.FLOAT, list(shape))


def build(section, s):
    """(nodes, inputs {name: shape}, output shape, initializers, extra opsets); the initializers
    are W then B when there are any."""
    rng = np.random.default_rng(seed_of(section + "/" + s["name"]))
    inits = []
    opsets = []
    if section == "gemm":
        m, k, n = s["m"], s["k"], s["n"]
        inits = [numpy_helper.from_array(rand(rng, (n, k), -0.5, 0.5), "W"),
                 numpy_helper.from_array(rand(rng, (n,), -0.1, 0.1), "B")]
        nodes = [helper.make_node("Gemm", ["x", "W", "B"], ["out"], transB=1)]
        return nodes, {"x": (m, k)}, (m, n), inits, opsets
    if section == "conv":
        h, w, cin, cout = s["h"], s["w"], s["cin"], s["cout"]
        k, st, p, g = s["k"], s["s"], s["p"], s.get("groups", 1)
        oh = (h + 2 * p - k) // st + 1
        ow = (w + 2 * p - k) // st + 1
        inits = [numpy_helper.from_array(rand(rng, (cout, cin // g, k, k), -0.5, 0.5), "W"),
                 numpy_helper.from_array(rand(rng, (cout,), -0.1, 0.1), "B")]
        nodes = [helper.make_node("Conv", ["x", "W", "B"], ["out"], kernel_shape=[k, k],
                                  strides=[st, st], pads=[p, p, p, p], group=g)]
        return nodes, {"x": (1, cin, h, w)}, (1, cout, oh, ow), inits, opsets
    if section == "pool":
        h, w, c, op = s["h"], s["w"], s["c"], s["op"]
        if op == "global_avg":
            nodes = [helper.make_node("GlobalAveragePool", ["x"], ["out"])]
            return nodes, {"x": (1, c, h, w)}, (1, c, 1, 1), inits, opsets
        k, st, p = s["k"], s["s"], s["p"]
        oh = (h + 2 * p - k) // st + 1
        ow = (w + 2 * p - k) // st + 1
        attrs = dict(kernel_shape=[k, k], strides=[st, st], pads=[p, p, p, p])
        if op == "max":
            nodes = [helper.make_node("MaxPool", ["x"], ["out"], **attrs)]
        elif op == "avg":
            nodes = [helper.make_node("AveragePool", ["x"], ["out"], count_include_pad=0, **attrs)]
        else:
            raise ValueError("unknown pool op %r" % op)
        return nodes, {"x": (1, c, h, w)}, (1, c, oh, ow), inits, opsets
    if section == "elementwise":
        op = s["op"]
        if op == "softmax":
            shape = (s["rows"], s["cols"])
            nodes = [helper.make_node("Softmax", ["x"], ["out"], axis=-1)]
            return nodes, {"x": shape}, shape, inits, opsets
        shape = (s["n"],)
        if op == "add":
            nodes = [helper.make_node("Add", ["x", "y"], ["out"])]
            return nodes, {"x": shape, "y": shape}, shape, inits, opsets
        if op == "gelu":
            nodes = [helper.make_node("Gelu", ["x"], ["out"], domain=MS_DOMAIN)]
            opsets = [helper.make_opsetid(MS_DOMAIN, 1)]
            return nodes, {"x": shape}, shape, inits, opsets
        names = {"relu": "Relu", "sigmoid": "Sigmoid", "tanh": "Tanh", "hardswish": "HardSwish"}
        if op not in names:
            raise ValueError("unknown elementwise op %r" % op)
        nodes = [helper.make_node(names[op], ["x"], ["out"])]
        return nodes, {"x": shape}, shape, inits, opsets
    raise ValueError("unknown section %r" % section)


def write_if_changed(path, data):
    try:
        with open(path, "rb") as f:
            if f.read() == data:
                return False
    except OSError:
        pass
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)
    return True


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--suite", default=os.path.join(here, "..", "suite.json"))
    p.add_argument("--out", required=True, help="directory for the .onnx files and index.json")
    args = p.parse_args(argv)
    with open(args.suite) as f:
        suite = json.load(f)
    os.makedirs(args.out, exist_ok=True)
    index = {"about": "one-operator ONNX models of %s (NCHW), made by bench/models/make_models.py"
                      % os.path.basename(args.suite),
             "onnx": onnx.__version__, "opset": OPSET, "models": {}}
    written = 0
    for section in ("gemm", "conv", "pool", "elementwise"):
        for s in suite.get(section, []):
            nodes, inputs, out_shape, inits, extra = build(section, s)
            graph = helper.make_graph(nodes, s["name"],
                                      [value_info(n, sh) for n, sh in inputs.items()],
                                      [value_info("out", out_shape)], initializer=inits)
            model = helper.make_model(
                graph, opset_imports=[helper.make_opsetid("", OPSET)] + extra,
                producer_name="portnn-bench")
            model.ir_version = 8  # what onnx 1.12 writes for opset 17; runtimes since 2021 read it
            onnx.checker.check_model(model)
            file = "%s.onnx" % s["name"]
            if write_if_changed(os.path.join(args.out, file), model.SerializeToString()):
                written += 1
            if inits:
                raw = b"".join(numpy_helper.to_array(t).astype("<f4").tobytes() for t in inits)
                write_if_changed(os.path.join(args.out, "%s.weights.bin" % s["name"]), raw)
            index["models"][s["name"]] = {
                "section": section, "file": file, "op": nodes[0].op_type,
                "inputs": {n: list(sh) for n, sh in inputs.items()}, "output": list(out_shape)}
    write_if_changed(os.path.join(args.out, "index.json"),
                     (json.dumps(index, indent=1) + "\n").encode())
    print("models: %d in %s (%d rewritten)" % (len(index["models"]), args.out, written))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
