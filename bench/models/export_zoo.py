#!/usr/bin/python3
"""Exports the public model zoo: torchvision architectures with fixed-seed random weights, as ONNX
files, for the ONNX importer's tests and the `models` benchmark. Run with Debian's python3
(packages python3-torchvision, which pulls python3-torch, and python3-onnx):

    /usr/bin/python3 bench/models/export_zoo.py [--out build/models] [--only NAME,...] [--force]
                                                [--markdown]

Each model is built by torchvision 0.14 with weights=None (pretrained weights cannot be
downloaded here), its parameters drawn by torchvision's own initializers after
torch.manual_seed(seed), seed = the first 4 bytes of sha256(name) (little-endian, as
make_models.py does). Two steps give the random model the activation scales of a trained one
(see build_model): a Linear layer initialized to zeros is re-drawn, and BatchNorm statistics are
measured on random images. Then the model is put in eval mode and exported by torch.onnx.export
with opset 17, one input "input" of shape 1x3x224x224, do_constant_folding=True and torch's
default training mode (EVAL), which folds every BatchNorm into its convolution: no exported
file contains BatchNormalization. The classifiers have one output "output" (1x1000);
deeplabv3_mobilenet_v3_large is built with aux_loss=False and weights_backbone=None (its default
would download ImageNet weights) and returns a dict {"out": 1x21x224x224}, which the export
flattens to its one tensor, named "out".

Into OUT/<name>.onnx, with OUT/index.json describing every model: file, bytes, input and output
names and shapes, the ONNX op types and counts, the export's seconds and the versions of torch,
torchvision and the export settings (the cache key). A model whose file exists and whose index
entry has the same key is not exported again. Prints a progress line per model and, per model,
the op types it contains (--markdown: the table of bench/models/README.md).

Nothing this writes is committed.
"""

import argparse
import collections
import json
import os
import sys
import time
import warnings

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
from make_models import seed_of, write_if_changed  # noqa: E402  (same folder)

OPSET = 17
INPUT_SHAPE = (1, 3, 224, 224)
CALIBRATION_BATCHES, CALIBRATION_BATCH = 4, 8  # BatchNorm statistics: 32 random images
DESCRIBED = 2  # version of describe()'s index fields; a change re-describes cached models

# name -> (torchvision builder path, builder kwargs beyond weights=None, output names)
ZOO = collections.OrderedDict([
    ("mobilenet_v2", ("models.mobilenet_v2", {}, ["output"])),
    ("resnet50", ("models.resnet50", {}, ["output"])),
    ("efficientnet_b0", ("models.efficientnet_b0", {}, ["output"])),
    ("squeezenet1_1", ("models.squeezenet1_1", {}, ["output"])),
    ("vit_b_16", ("models.vit_b_16", {}, ["output"])),
    ("deeplabv3_mobilenet_v3_large",
     ("models.segmentation.deeplabv3_mobilenet_v3_large",
      {"aux_loss": False, "weights_backbone": None}, ["out"])),
])


def build_model(torch, torchvision, name):
    path, kwargs, _ = ZOO[name]
    builder = torchvision
    for part in path.split("."):
        builder = getattr(builder, part)
    torch.manual_seed(seed_of(name))
    model = builder(weights=None, **kwargs)
    # vit_b_16's classifier head is initialized to zeros (torchvision does so for fine-tuning):
    # its output would be exactly 0 for every input. A zero Linear layer gets PyTorch's default
    # Linear initialization instead.
    for m in model.modules():
        if isinstance(m, torch.nn.Linear) and not m.weight.any():
            m.reset_parameters()
    calibrate_batch_norm(torch, model)
    model.eval()
    return model


def calibrate_batch_norm(torch, model):
    """Sets every BatchNorm's running statistics to the exact mean and variance its input has
    over CALIBRATION_BATCHES batches of uniform [-1, 1) images (cumulative averages: momentum
    None), drawn after the weights from the same seeded generator. torchvision initializes them
    to mean 0, variance 1, and with its fan-out initialization the activations of mobilenet_v2
    and efficientnet_b0 then shrink layer after layer (outputs ~1e-9 and ~1e-14), so that no
    clamp, sigmoid or hard-swish would ever leave its linear region. Calibrated, each BatchNorm
    normalizes as a trained one does: activations of order 1, and a fold into the convolution
    that is no identity."""
    bns = [m for m in model.modules() if isinstance(m, torch.nn.modules.batchnorm._BatchNorm)]
    if not bns:
        return
    for m in bns:
        m.reset_running_stats()
        m.momentum = None
    model.train()
    with torch.no_grad():
        for _ in range(CALIBRATION_BATCHES):
            model(torch.rand((CALIBRATION_BATCH,) + INPUT_SHAPE[1:]) * 2 - 1)


def cache_key(torch, torchvision, name):
    path, kwargs, outputs = ZOO[name]
    return {"torch": torch.__version__, "torchvision": torchvision.__version__,
            "builder": path, "kwargs": {k: repr(v) for k, v in kwargs.items()},
            "seed": seed_of(name), "zero_linear_reset": True, "bn_calibration": [CALIBRATION_BATCHES, CALIBRATION_BATCH],
            "opset": OPSET, "input": list(INPUT_SHAPE),
            "outputs": outputs, "do_constant_folding": True}


def dims_of(value_info):
    return [d.dim_value if d.HasField("dim_value") else d.dim_param
            for d in value_info.type.tensor_type.shape.dim]


def describe(onnx, path):
    """Input and output names and shapes, op counts ("domain::Op" outside the default domain)."""
    model = onnx.load(path)
    g = model.graph
    inits = {t.name for t in g.initializer}
    ops = collections.Counter()
    attrs = collections.defaultdict(lambda: collections.defaultdict(set))
    for n in g.node:
        op = (n.domain + "::" if n.domain not in ("", "ai.onnx") else "") + n.op_type
        ops[op] += 1
        for a in n.attribute:
            if a.type in (onnx.AttributeProto.TENSOR, onnx.AttributeProto.GRAPH):
                continue  # Constant's values, subgraphs: not settings
            v = onnx.helper.get_attribute_value(a)
            attrs[op][a.name].add(repr(v.decode() if isinstance(v, bytes) else v))
    return {
        "inputs": {i.name: dims_of(i) for i in g.input if i.name not in inits},
        "outputs": {o.name: dims_of(o) for o in g.output},
        "nodes": len(g.node),
        "initializers": len(g.initializer),
        "opsets": {(o.domain or "ai.onnx"): o.version for o in model.opset_import},
        "ops": dict(sorted(ops.items())),
        # per op, each attribute's distinct values: what the importer must accept
        "attributes": {op: {a: sorted(v) for a, v in sorted(by.items())}
                       for op, by in sorted(attrs.items())},
    }


def export(torch, torchvision, name, path):
    model = build_model(torch, torchvision, name)
    x = torch.zeros(INPUT_SHAPE)
    tmp = path + ".tmp"
    # torch's tracer warns about the Python asserts and shape checks it turns into constants
    # (the input shape is fixed, so they hold); collected and summarized, not interleaved with
    # the progress line.
    # Not under torch.no_grad(): without autograd, nn.MultiheadAttention (vit_b_16) takes its
    # fused fast path, aten::_native_multi_head_attention, which has no ONNX export.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        torch.onnx.export(model, (x,), tmp, opset_version=OPSET, do_constant_folding=True,
                          input_names=["input"], output_names=ZOO[name][2])
    os.replace(tmp, path)
    return sorted({"%s: %s" % (w.category.__name__, str(w.message).split("\n")[0][:100])
                   for w in caught})


def write_index(path, index):
    ordered = {n: index[n] for n in ZOO if n in index}  # the zoo's order, whatever ran first
    write_if_changed(path, (json.dumps(
        {"about": "torchvision models with fixed-seed random weights, exported by "
                  "bench/models/export_zoo.py", "models": ordered}, indent=1) + "\n").encode())


def op_table(index, names):
    """Markdown: one row per op type, one column per model, the count in each."""
    ops = sorted({op for n in names for op in index[n]["ops"]})
    lines = ["| op | " + " | ".join(names) + " |",
             "|---|" + "---:|" * len(names)]
    for op in ops:
        lines.append("| %s | " % op +
                     " | ".join(str(index[n]["ops"].get(op, "")) for n in names) + " |")
    lines.append("| *nodes* | " + " | ".join(str(index[n]["nodes"]) for n in names) + " |")
    return "\n".join(lines)


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--out", default=os.path.normpath(os.path.join(here, "..", "..", "build", "models")))
    p.add_argument("--only", default="", help="comma-separated model names (default: all)")
    p.add_argument("--force", action="store_true", help="export even when cached")
    p.add_argument("--markdown", action="store_true", help="print the op table as markdown")
    args = p.parse_args(argv)
    names = [n for n in args.only.split(",") if n] or list(ZOO)
    unknown = [n for n in names if n not in ZOO]
    if unknown:
        p.error("unknown model(s) %s; the zoo: %s" % (", ".join(unknown), ", ".join(ZOO)))

    import onnx
    import torch
    import torchvision
    torch.set_num_threads(1)  # export time is a build step; leave the other core to the others

    os.makedirs(args.out, exist_ok=True)
    index_path = os.path.join(args.out, "index.json")
    try:
        with open(index_path) as f:
            index = json.load(f)["models"]
    except (OSError, ValueError, KeyError):
        index = {}

    exported = 0
    for i, name in enumerate(names):
        path = os.path.join(args.out, name + ".onnx")
        key = cache_key(torch, torchvision, name)
        entry = index.get(name)
        prefix = "zoo [%d/%d] %-28s" % (i + 1, len(names), name)
        if not args.force and entry and entry.get("key") == key and os.path.exists(path) \
                and os.path.getsize(path) == entry.get("bytes"):
            print("%s cached (%.1f MB)" % (prefix, entry["bytes"] / 1e6), flush=True)
            if entry.get("described") != DESCRIBED:  # an older script's description
                entry.update(describe(onnx, path), described=DESCRIBED)
                write_index(index_path, index)
            continue
        print("%s exporting ..." % prefix, end="", flush=True)
        start = time.monotonic()
        caught = export(torch, torchvision, name, path)
        seconds = time.monotonic() - start
        entry = {"file": name + ".onnx", "bytes": os.path.getsize(path),
                 "export_seconds": round(seconds, 2), "key": key}
        entry.update(describe(onnx, path), described=DESCRIBED)
        index[name] = entry
        exported += 1
        print(" %.1f s, %.1f MB, %d nodes" % (seconds, entry["bytes"] / 1e6, entry["nodes"]),
              flush=True)
        for w in caught:
            print("    export warning: " + w)
        write_index(index_path, index)  # after each model: an interrupted run keeps those done

    for name in names:
        e = index[name]
        print("%s: %s -> %s; %d nodes: %s" % (
            name, e["inputs"], e["outputs"], e["nodes"],
            ", ".join("%s %d" % kv for kv in e["ops"].items())))
    if args.markdown:
        print()
        print(op_table(index, names))
    print("zoo: %d models in %s (%d exported)" % (len(names), args.out, exported))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
