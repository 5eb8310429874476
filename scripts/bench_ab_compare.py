#!/usr/bin/env python3
"""Compares the rounds that scripts/bench-ab.sh wrote into its directory (build/ab): per shape the
median time of base and head over the rounds, the ratio head/base, and per section and over the
suite the geometric mean of the ratios; then the verdicts (geometric mean within 3 %, no shape
more than 5 % slower) and the .wasm sizes of both sides.

Usage: scripts/bench_ab_compare.py DIR
"""
import glob
import json
import math
import os
import statistics
import sys

GEOMEAN_LIMIT = 1.03
SHAPE_LIMIT = 1.05


def native_rounds(directory, side):
    """{(section, shape): [microseconds per round]} from Google Benchmark JSON files."""
    times = {}
    for path in sorted(glob.glob(os.path.join(directory, f"native-{side}-round*.json"))):
        with open(path) as f:
            data = json.load(f)
        for b in data.get("benchmarks", []):
            if b.get("run_type") == "aggregate" or b.get("error_occurred"):
                continue
            parts = [p for p in b["name"].split("/") if p not in ("real_time", "portnn")]
            if len(parts) < 2:
                continue
            scale = {"ns": 1e-3, "us": 1.0, "ms": 1e3, "s": 1e6}[b.get("time_unit", "ns")]
            times.setdefault((parts[0], parts[1]), []).append(b["real_time"] * scale)
    return times


def node_rounds(directory, side):
    times = {}
    for path in sorted(glob.glob(os.path.join(directory, f"node-{side}-round*.json"))):
        with open(path) as f:
            records = json.load(f)
        for r in records:
            if r.get("impl") != "portnn" or r.get("threads", 1) != 1 or "median_us" not in r:
                continue
            key = (r.get("section", "?"), r["shape"])
            times.setdefault(key, []).append(float(r["median_us"]))
    return times


def geomean(values):
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else float("nan")


def compare(title, base, head):
    keys = [k for k in base if k in head]
    if not keys:
        print(f"{title}: no shapes measured on both sides")
        return True
    print(f"\n{title}: median time per shape over {min(len(base[k]) for k in keys)} rounds "
          "(us), head / base")
    print(f"  {'section/shape':34} {'base':>10} {'head':>10} {'ratio':>7}")
    ratios = {}
    for k in keys:
        b, h = statistics.median(base[k]), statistics.median(head[k])
        ratios[k] = h / b
        flag = "  SLOWER" if ratios[k] > SHAPE_LIMIT else ""
        print(f"  {k[0] + '/' + k[1]:34} {b:10.1f} {h:10.1f} {ratios[k]:7.3f}{flag}")
    sections = sorted({k[0] for k in keys})
    print(f"  {'section':34} {'shapes':>10} {'geomean':>18}")
    for s in sections:
        rs = [r for k, r in ratios.items() if k[0] == s]
        print(f"  {s:34} {len(rs):10d} {geomean(rs):18.3f}")
    g = geomean(list(ratios.values()))
    worst = max(ratios.items(), key=lambda kv: kv[1])
    ok_g = g <= GEOMEAN_LIMIT
    ok_s = worst[1] <= SHAPE_LIMIT
    print(f"  suite geometric mean head/base: {g:.3f} (<= {GEOMEAN_LIMIT}) "
          f"{'PASS' if ok_g else 'FAIL'}")
    print(f"  slowest shape: {worst[0][0]}/{worst[0][1]} {worst[1]:.3f} (<= {SHAPE_LIMIT}) "
          f"{'PASS' if ok_s else 'FAIL'}")
    return ok_g and ok_s


def main():
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    d = sys.argv[1]
    if glob.glob(os.path.join(d, "native-base-round*.json")):
        compare("native (portnn, best level, 1 thread)", native_rounds(d, "base"),
                native_rounds(d, "head"))
    if glob.glob(os.path.join(d, "node-base-round*.json")):
        compare("node (portnn simd, 1 thread)", node_rounds(d, "base"), node_rounds(d, "head"))
    sizes = os.path.join(d, "wasm-sizes.txt")
    if os.path.exists(sizes):
        rows = {}
        with open(sizes) as f:
            for line in f:
                side, name, raw, gz = line.split()
                rows.setdefault(name, {})[side] = (int(raw), int(gz))
        print("\n.wasm sizes (bytes raw / gzip -9): base -> head")
        for name, v in sorted(rows.items()):
            if "base" in v and "head" in v:
                (br, bg), (hr, hg) = v["base"], v["head"]
                verdict = "not larger" if hr <= br and hg <= bg else "LARGER"
                print(f"  {name:26} {br:8d} / {bg:6d} -> {hr:8d} / {hg:6d}  {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
