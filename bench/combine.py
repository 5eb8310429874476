#!/usr/bin/env python3
"""Prints the combined table of a results file that the native (bench/run_native.py), Node and
Chromium parts of scripts/bench.sh all wrote to, with the acceptance checks; their limits are
data, in bench/thresholds.json next to the suite.

Usage: bench/combine.py FILE [--suite bench/suite.json] [--thresholds bench/thresholds.json]
           [--strict]
Exit status: 0, or 1 when the file holds no records (or, with --strict, when an acceptance check
fails); 2 on usage.
"""

import argparse
import json
import os
import sys

from benchlib import HERE, SECTIONS, fmt, geomean, load_thresholds, ratio, render
from zoo import is_zoo, zoo_section


SUITE_SECTIONS = ("gemm", "conv", "pool", "elementwise")


def suite_work(path):
    """{shape: (suite section, flops, report section)} from the suite file (the same counts as
    bench/suite.cc); the report section is "depthwise" for the conv shapes with groups == cin."""
    with open(path) as f:
        suite = json.load(f)
    work = {}
    for section in SUITE_SECTIONS:
        for e in suite.get(section, []):
            shown = section
            if section == "gemm":
                flops = 2.0 * e["m"] * e["n"] * e["k"]
            elif section == "conv":
                oh = (e["h"] + 2 * e["p"] - e["k"]) // e["s"] + 1
                ow = (e["w"] + 2 * e["p"] - e["k"]) // e["s"] + 1
                groups = e.get("groups", 1)
                flops = 2.0 * oh * ow * e["cout"] * e["k"] * e["k"] * (e["cin"] // groups)
                if groups > 1 and groups == e["cin"]:
                    shown = "depthwise"
            else:
                flops = 0.0
            work[e["name"]] = (section, flops, shown)
    return work


def pick(records, target, impl, variant=None, threads=None, forced=None):
    """{shape: record} of one configuration (forced: native portnn records with PORTNN_ISA forced
    to a lower level than the best, or not)."""
    out = {}
    for r in records:
        if r.get("target") != target or r.get("impl") != impl:
            continue
        if forced is not None and bool(r.get("forced")) != forced:
            continue
        if variant is not None and r.get("variant") != variant:
            continue
        if threads is not None and r.get("threads") != threads:
            continue
        out[r["shape"]] = r
    return out


def wasm_peers(records, target):
    """The one-thread configurations a WebAssembly target compares: portnn simd, TF.js wasm simd,
    onnxruntime-web."""
    return (pick(records, target, "portnn", "simd", 1), pick(records, target, "tfjs-wasm", "simd", 1),
            pick(records, target, "ort-web", None, 1))


def native_acceptance(records, work, order, p, x, level, limits):
    """Prints the native checks (issue 3) and returns their outcomes: best level, one thread
    unless said, portnn against XNNPACK in the same run. `limits`: thresholds.json's "native"."""
    results = []

    def check(ok, text):
        results.append(ok)
        print("  native   %s %s" % (text, "PASS" if ok else "FAIL"))

    print("\n== acceptance (native, portnn %s vs XNNPACK, one thread unless said)"
          % "/".join(level))
    r = {k: ratio(p[k]["median_us"], x[k]["median_us"]) for k in p if k in x}
    if not r:
        print("  native   no shape ran on both libraries: no checks")
        return [False]
    g = geomean(r.values())
    check(g is not None and g <= limits["suite_geomean_max"],
          "time(portnn)/time(XNNPACK), geometric mean over the suite (%d shapes): %.2f (<= %.2f)"
          % (len(r), g, limits["suite_geomean_max"]))
    for section in SECTIONS:
        v = [r[k] for k in order if k in r and work[k][2] == section]
        if v:
            g = geomean(v)
            check(g <= limits["section_geomean_max"],
                  "  section %-12s geometric mean over %d shape%s: %.2f (<= %.2f)"
                  % (section + ":", len(v), "" if len(v) == 1 else "s", g,
                     limits["section_geomean_max"]))
    worst = max(r, key=lambda k: r[k])
    top = limits["shape_ratio_max"]
    above = ["%s %.2f" % (k, r[k]) for k in order if k in r and r[k] > top]
    check(not above, "no shape above %.2f (highest: %s %.2f)%s"
          % (top, worst, r[worst], "" if not above else " (above: %s)" % ", ".join(above)))
    fraction = limits["gflops_min_fraction"]
    for k in limits["gflops_shapes"]:
        if k in p and k in x:
            pg, xg = p[k].get("gflops", 0), x[k].get("gflops", 0)
            check(xg > 0 and pg >= fraction * xg,
                  "%s: portnn %.1f GFLOP/s vs XNNPACK %.1f GFLOP/s = %.2fx (>= %.2fx)"
                  % (k, pg, xg, pg / xg if xg else 0, fraction))
        else:
            print("  native   %s: not measured" % k)
    # A group is a report section or one shape.
    speedup = limits["speedup_min"]
    for name in limits["speedup_groups"]:
        keys = [k for k in order if work[k][2] == name] if name in SECTIONS else [name]
        v = [r[k] for k in keys if k in r]
        if not v:
            print("  native   %s: not measured" % name)
            continue
        g = geomean(v)
        check(g <= 1 / speedup + 1e-9, "%-13s portnn %.2fx XNNPACK's speed%s (>= %.2fx)"
              % (name + ":", 1 / g, " in geometric mean" if len(v) > 1 else "", speedup))
    # Thread scaling: the best level, N threads against one, per shape.
    n = max([q["threads"] for q in records if q.get("target") == "native" and
             q.get("impl") == "portnn" and not q.get("forced")] or [1])
    if n > 1:
        pn = pick(records, "native", "portnn", None, n, forced=False)
        big = [k for k in order if work[k][2] in ("gemm", "conv") and
               work[k][1] >= limits["thread_scaling_min_flops"] and k in p and k in pn]
        sp = {k: ratio(p[k]["median_us"], pn[k]["median_us"]) for k in big}
        low = [k for k in big if sp[k] is None or sp[k] < limits["thread_scaling_min"]]
        ncpu = os.cpu_count() or 1
        crowded = set(k for k in big if pn[k].get("others_cpus", 0) + n > ncpu + 0.25 or
                      p[k].get("others_cpus", 0) + 1 > ncpu + 0.25)
        check(bool(big) and not low,
              "%d threads >= %.1fx one thread on every gemm/conv shape >= %g MFLOP: %s%s"
              % (n, limits["thread_scaling_min"], limits["thread_scaling_min_flops"] / 1e6,
                 ", ".join("%s %.2fx%s" % (k, sp[k], "*" if k in crowded else "")
                              for k in big) or "none measured",
                 "" if not low else " (below: %s)" % ", ".join(low)))
        if crowded:
            print("           (*: other processes held CPUs that run needed, by /proc/stat)")
        idle = [pn[k]["idle"] for k in big if "idle" in pn[k]]
        if idle:
            print("           (the CPUs were %d-%d%% idle when those %dT runs started)"
                  % (round(min(idle) * 100), round(max(idle) * 100), n))
    else:
        print("  native   thread scaling: no multi-thread native records")
    return results


def model_section(models, limits):
    """Prints the whole-model table (native, Node, Chromium) and its checks; returns the checks'
    outcomes."""
    if not models:
        return []
    order = {"native": 0, "node": 1, "chromium": 2}
    models = sorted(models, key=lambda r: (order.get(r.get("target", "native"), 9), r["shape"],
                                           r["impl"] != "portnn", r["threads"], r.get("variant", "")))
    print("\n== models (graph runtimes; median ms per inference; create = graph -> runnable, first ="
          " the first run)")
    print("  %-8s %-22s %-9s %-13s %7s %10s %9s %9s %12s %12s" % (
        "target", "model", "impl", "variant", "threads", "median ms", "create ms", "first ms",
        "runtime MB", "RSS+ MB"))
    for r in models:
        own, rss = r.get("runtime_bytes"), r.get("rss_growth_bytes")
        first = r.get("first_ms")
        print("  %-8s %-22s %-9s %-13s %7d %10.2f %9.1f %9s %12s %12s"
              % (r.get("target", "native"), r["shape"], r["impl"], r.get("variant", "-"), r["threads"],
                 r["median_us"] / 1e3, r.get("create_ms", 0.0), "-" if first is None else "%.1f" % first,
                 "%.2f" % (own / 1048576) if own else "-", "-" if rss is None else "%.2f" % (rss / 1048576)))
    outcomes = []

    def check(ok, text):
        outcomes.append(ok)
        print("  %s %s" % (text, "PASS" if ok else "FAIL"))

    for target in sorted(set(r.get("target", "native") for r in models), key=lambda t: order.get(t, 9)):
        mine = [r for r in models if r.get("target", "native") == target]
        for shape in sorted(set(r["shape"] for r in mine)):
            rs = [r for r in mine if r["shape"] == shape]

            def one(impl, threads, variant=None):
                return next((r for r in rs if r["impl"] == impl and r["threads"] == threads and
                             (variant is None or r.get("variant") == variant)), None)
            label = "%-8s %s" % (target, shape)
            if target == "native":
                p1, x1 = one("portnn", 1), one("xnnpack", 1)
                if p1 and x1:
                    q = p1["median_us"] / x1["median_us"]
                    check(q <= limits.get("xnnpack_ratio_max", 1.0),
                          "%s: portnn / XNNPACK runtime, 1 thread: %.2f (<= %.2f)"
                          % (label, q, limits.get("xnnpack_ratio_max", 1.0)))
                    pm, xm = p1.get("rss_growth_bytes", 0), x1.get("rss_growth_bytes", 0)
                    check(pm <= xm, "%s: memory (resident-set growth over create + setup + first"
                          " invoke) portnn %.2f MB vs XNNPACK %.2f MB" % (label, pm / 1048576,
                                                                          xm / 1048576))
                tn = max([r["threads"] for r in rs if r["impl"] == "portnn"] or [1])
                pn = one("portnn", tn)
            else:
                # WebAssembly: portnn simd against the peers, one thread each (issue 13).
                p1 = one("portnn", 1, "simd")
                for impl, key in (("tfjs-wasm", "wasm_tfjs_ratio_max"), ("ort-web", "wasm_ort_ratio_max")):
                    peer = one(impl, 1)
                    if p1 and peer:
                        q = p1["median_us"] / peer["median_us"]
                        check(q <= limits.get(key, 1.0), "%s: portnn simd / %s, 1 thread: %.2f (<= %.2f)"
                              % (label, impl, q, limits.get(key, 1.0)))
                tn = max([r["threads"] for r in rs if r.get("variant") == "simd-threads"] or [1])
                p1, pn = one("portnn", 1, "simd-threads"), one("portnn", tn, "simd-threads")
            if p1 and pn and tn > 1:
                sp = p1["median_us"] / pn["median_us"]
                key = "thread_scaling_min" if target == "native" else "%s_thread_scaling_min" % target
                if key in limits:
                    idle = " (CPUs %d%% idle at the start)" % round(pn["idle"] * 100) if "idle" in pn else ""
                    check(sp >= limits[key], "%s: portnn%s %d threads %.2fx its 1-thread speed (>= %.1fx)%s"
                          % (label, "" if target == "native" else " simd-threads", tn, sp, limits[key], idle))
                else:
                    print("  %s: portnn simd-threads %d threads %.2fx its 1-thread speed (no limit)"
                          % (label, tn, sp))
            worst = max([r["disagreement"] for r in rs if "disagreement" in r] or [0.0])
            check(worst <= limits.get("disagreement_max", 1e-4),
                  "%s: outputs agree, max |portnn - peer| / max |reference| = %.2g (<= %g)"
                  % (label, worst, limits.get("disagreement_max", 1e-4)))
    return outcomes


def combine(args):
    with open(args.combine) as f:
        records = json.load(f)
    if not records:
        print("combine: %s holds no records" % args.combine, file=sys.stderr)
        return 1
    work = suite_work(args.suite or os.path.join(HERE, "suite.json"))
    limits = load_thresholds(args.thresholds)
    # Whole models (bench/model.cc) and the public zoo (bench/zoo.py) have their own tables and
    # checks.
    zoo = [r for r in records if is_zoo(r)]
    records = [r for r in records if not is_zoo(r)]
    models = [r for r in records if r.get("shape", "").startswith("model/")]
    records = [r for r in records if not r.get("shape", "").startswith("model/")]
    order = list(work)
    targets = [t for t in ("native", "node", "chromium") if any(r.get("target") == t for r in records)]
    # Native: the best level (not a forced one), one thread, against XNNPACK with one thread.
    native_p = pick(records, "native", "portnn", None, 1, forced=False)
    native_x = pick(records, "native", "xnnpack", None, 1)
    native_level = sorted(set(v.get("variant", "?") for v in native_p.values())) or ["-"]

    # The configurations compared, per target.
    cols = []  # (header, {shape: value}, kind) with kind 'us', 'ratio' or 'x'
    if "native" in targets:
        p, x = native_p, native_x
        cols += [("native portnn", {k: v["median_us"] for k, v in p.items()}, "us"),
                 ("native XNNPACK", {k: v["median_us"] for k, v in x.items()}, "us"),
                 ("p/XNN", {k: ratio(p[k]["median_us"], x[k]["median_us"]) for k in p if k in x}, "ratio")]
    speedups = {}
    for t in ("node", "chromium"):
        if t not in targets:
            continue
        p, tf, ort = wasm_peers(records, t)
        cols += [("%s simd" % t, {k: v["median_us"] for k, v in p.items()}, "us"),
                 ("tfjs", {k: v["median_us"] for k, v in tf.items()}, "us"),
                 ("ort", {k: v["median_us"] for k, v in ort.items()}, "us"),
                 ("p/tfjs", {k: ratio(p[k]["median_us"], tf[k]["median_us"]) for k in p if k in tf}, "ratio"),
                 ("p/ort", {k: ratio(p[k].get("run_us"), ort[k]["median_us"]) for k in p if k in ort}, "ratio")]
        t1 = pick(records, t, "portnn", "simd-threads", 1)
        tn_threads = max([r["threads"] for r in records if r.get("target") == t and
                          r.get("impl") == "portnn" and r.get("variant") == "simd-threads"] or [1])
        if tn_threads > 1:
            tn = pick(records, t, "portnn", "simd-threads", tn_threads)
            sp = {k: ratio(t1[k]["median_us"], tn[k]["median_us"]) for k in t1 if k in tn}
            speedups[t] = (tn_threads, sp)
            cols.append(("%dT x" % tn_threads, sp, "x"))

    if targets:  # the suite's shapes (a models-only run has none)
        print("\n== combined results (%s): times in microseconds, median per call" % args.combine)
        print("native: portnn-bench (%s, best level) vs Debian's XNNPACK, one thread (the other"
              " native configurations are in the native part's tables); node / chromium: the"
              " WebAssembly" % "/".join(native_level))
        print("builds, one thread: 'simd' = portnn op (data in wasm memory), tfjs = TF.js wasm"
              " (simd) op call, ort = onnxruntime-web session.run (NCHW model, copies in and out);")
        print("p/tfjs = portnn op / tfjs op call; p/ort = portnn run() (copies in and out) / ort;"
              " NT x = portnn simd-threads N-thread speed-up over 1 thread. < 1: portnn faster.")
    acceptance = []
    for section in SECTIONS:
        shapes = [s for s in order if work[s][2] == section and
                  any(r["shape"] == s for r in records)]
        if not shapes:
            continue
        table = [["shape"] + [c[0] for c in cols]]
        for s in shapes:
            row = [s]
            for _, values, kind in cols:
                v = values.get(s)
                if v is None:
                    row.append("-")
                elif kind == "us":
                    row.append(fmt(v))
                elif kind == "ratio":
                    row.append("%.2f" % v)
                else:
                    row.append("%.2fx" % v)
            table.append(row)
        gm = ["geomean"]
        for _, values, kind in cols:
            g = geomean([values.get(s) for s in shapes]) if kind != "us" else None
            gm.append("-" if g is None else ("%.2f" % g if kind == "ratio" else "%.2fx" % g))
        table.append(gm)
        print("\n== %s" % section)
        for line in render(table, {0}):
            print(line)

    if "native" in targets:
        acceptance += native_acceptance(records, work, order, native_p, native_x, native_level,
                                        limits["native"])

    # Acceptance checks of the WebAssembly targets.
    if "node" in targets or "chromium" in targets:
        print("\n== acceptance (WebAssembly, one thread unless said)")
    for t in ("node", "chromium"):
        if t not in targets:
            continue
        p, tf, ort = wasm_peers(records, t)
        for name, limit in limits["wasm"]["tfjs_geomean_max"].items():
            secs = tuple(name.split("+"))
            g = geomean([ratio(p[k]["median_us"], tf[k]["median_us"]) for k in p
                         if k in tf and work.get(k, ("",))[0] in secs])
            ok = g is not None and g <= limit
            acceptance.append(ok)
            print("  %-8s portnn simd / tfjs-wasm simd, geometric mean over %-16s %s (<= %.2f) %s"
                  % (t, name + ":", "-" if g is None else "%.2f" % g, limit, "PASS" if ok else "FAIL"))
        slower = []
        compared = 0
        for k in p:
            if k in ort and work.get(k, ("",))[0] in ("gemm", "conv"):
                compared += 1
                r = ratio(p[k].get("run_us"), ort[k]["median_us"])
                if r is None or r >= limits["wasm"]["ort_ratio_max"]:
                    slower.append("%s %.2f" % (k, r) if r else k)
        ok = compared > 0 and not slower
        acceptance.append(ok)
        print("  %-8s portnn run() faster than onnxruntime-web on every gemm and conv shape: %d/%d %s%s"
              % (t, compared - len(slower), compared, "PASS" if ok else "FAIL",
                 "" if not slower else " (not on: %s)" % ", ".join(slower)))
    if "chromium" in speedups:
        n, sp = speedups["chromium"]
        wasm = limits["wasm"]
        big = [k for k in order if work[k][0] == "conv" and
               work[k][1] >= wasm["chromium_thread_scaling_min_flops"] and k in sp]
        low = ["%s %.2fx" % (k, sp[k]) for k in big
               if sp[k] is None or sp[k] < wasm["chromium_thread_scaling_min"]]
        ok = bool(big) and not low
        acceptance.append(ok)
        idle = [r["idle"] for r in records if r.get("target") == "chromium" and r.get("threads") == n
                and r.get("variant") == "simd-threads" and r["shape"] in big and "idle" in r]
        print("  chromium portnn simd-threads %dT >= %.1fx its 1-thread speed on conv shapes >= %g MFLOP:"
              " %s %s%s" % (n, wasm["chromium_thread_scaling_min"],
                            wasm["chromium_thread_scaling_min_flops"] / 1e6, ", ".join("%s %.2fx" % (k, sp[k]) for k in big) or "none measured",
                            "PASS" if ok else "FAIL", "" if not low else " (below: %s)" % ", ".join(low)))
        if idle:
            print("           (the machine was %d-%d%% idle when those shapes started)"
                  % (round(min(idle) * 100), round(max(idle) * 100)))
    acceptance += model_section(models, limits.get("model", {}))
    acceptance += zoo_section(zoo, limits.get("models", {}))
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    print("  (load average now %.2f on %d CPUs: other processes compete for the cores, most of all"
          " with threads)" % (load, os.cpu_count() or 1))
    if args.strict and not all(acceptance):
        return 1
    return 0


def parse_args(argv):
    p = argparse.ArgumentParser(
        description="Print the combined native/Node/Chromium table of a results file and the "
                    "acceptance checks.")
    p.add_argument("combine", metavar="FILE", help="the results file (JSON records)")
    p.add_argument("--suite", help="suite JSON (default: bench/suite.json)")
    p.add_argument("--thresholds", help="acceptance limits (default: bench/thresholds.json)")
    p.add_argument("--strict", action="store_true",
                   help="exit 1 when an acceptance check fails")
    return p.parse_args(argv)


if __name__ == "__main__":
    sys.exit(combine(parse_args(sys.argv[1:])))
