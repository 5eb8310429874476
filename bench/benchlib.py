"""Code the two benchmark report programs share: bench/run_native.py (runs portnn-bench, prints
the native tables, writes JSON records) and bench/combine.py (the combined native/Node/Chromium
table of a results file and the acceptance checks, whose limits live in bench/thresholds.json).
Here: the report sections, table formatting, geometric means, the results file's record merge
(the key of bench/js/results.mjs) and the thresholds loader."""

import json
import math
import os
import re

# Report sections: the suite's, with the depthwise convolutions (groups == cin) on their own.
SECTIONS = ("gemm", "conv", "depthwise", "pool", "elementwise")
IMPLS = ("portnn", "xnnpack")
# Benchmark names of portnn-bench: section/shape/impl[/round:r][/real_time].
NAME_RE = re.compile(r"^(%s)/([^/\s]+)/(portnn|xnnpack)(/\S*)?\s" % "|".join(SECTIONS))
TIME_UNITS_TO_US = {"ns": 1e-3, "us": 1.0, "ms": 1e3, "s": 1e6}
# Forced levels measured besides the best one, lowest first; ordered like pnn_isa_name()'s levels.
FORCED_LEVELS = ("sse2", "avx2")
LEVEL_ORDER = ("scalar", "sse2", "avx2", "avx512")

HERE = os.path.dirname(os.path.abspath(__file__))


def fmt(value, digits=1):
    if value is None:
        return "-"
    if value >= 1e5:
        return "%.0f" % value
    return "%.*f" % (digits, value)


def geomean(values):
    v = [x for x in values if x is not None and x > 0]
    return math.exp(sum(math.log(x) for x in v) / len(v)) if v else None


def ratio(a, b):
    return a / b if a and b else None


def render(table, left):
    widths = [max(len(r[i]) for r in table) for i in range(len(table[0]))]
    lines = []
    for n, r in enumerate(table):
        lines.append("  ".join(c.ljust(widths[i]) if i in left else c.rjust(widths[i])
                               for i, c in enumerate(r)).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return lines


def write_records(path, records):
    """Replaces the records of the same target/impl/variant/threads/shape, keeps the others (the
    key of bench/js/results.mjs)."""
    existing = []
    if os.path.exists(path):
        try:
            with open(path) as f:
                existing = json.load(f)
            if not isinstance(existing, list):
                existing = []
        except ValueError:
            existing = []
    key = lambda r: (r.get("target"), r.get("impl"), r.get("variant"), r.get("threads"),
                     r.get("shape"))
    fresh = set(key(r) for r in records)
    merged = [r for r in existing if key(r) not in fresh] + records
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(merged, f, indent=1)
        f.write("\n")
    os.replace(tmp, path)



def load_thresholds(path=None):
    """The acceptance limits (bench/thresholds.json, next to bench/suite.json)."""
    with open(path or os.path.join(HERE, "thresholds.json")) as f:
        return json.load(f)
