#!/usr/bin/env python3
"""Runs portnn-bench, shows progress per shape, prints one table per suite section and writes
the results as JSON records; or, with --combine, prints the combined table of a results file that
the native, Node and Chromium parts of scripts/bench.sh all wrote to.

Usage: bench/report.py --bench BUILD/bench/portnn-bench [--suite bench/suite.json]
           [--threads N] [--json FILE] [--repetitions 5] [--min-time 0.1] [--filter REGEX]
           [-- extra Google Benchmark flags]
       bench/report.py --combine FILE [--suite bench/suite.json] [--strict]

Times are wall-clock medians over the repetitions, in microseconds, of the operator run alone
(operators are created and set up once, outside the timed loop; outputs are reused). GFLOP/s
counts 2*MACs for gemm/conv and one operation per visited element for pool/elementwise.
Exit status: 0 when every benchmark ran; 1 when one failed or produced no result; 2 on usage.
With --combine: 0, or 1 when the file holds no records (or, with --strict, when an acceptance
check of the WebAssembly targets fails).
"""

import argparse
import json
import math
import os
import platform
import re
import subprocess
import sys
import tempfile

SECTIONS = ("gemm", "conv", "pool", "elementwise")
IMPLS = ("portnn", "xnnpack")
# Console lines of Google Benchmark start with the benchmark name; ours are section/shape/impl.
NAME_RE = re.compile(r"^(%s)/([^/\s]+)/(portnn|xnnpack)(/\S*)?\s" % "|".join(SECTIONS))
TIME_UNITS_TO_US = {"ns": 1e-3, "us": 1.0, "ms": 1e3, "s": 1e6}


def parse_args(argv):
    p = argparse.ArgumentParser(
        description="Run portnn-bench and report portnn vs XNNPACK per shape, or (--combine) "
                    "print the combined native/Node/Chromium table of a results file.")
    p.add_argument("--bench", help="path to the portnn-bench binary")
    p.add_argument("--combine", metavar="FILE",
                   help="print the combined table of a results file (native, node, chromium)")
    p.add_argument("--strict", action="store_true",
                   help="with --combine: exit 1 when an acceptance check fails")
    p.add_argument("--suite", help="suite JSON (default: the binary's built-in path)")
    p.add_argument("--threads", type=int, default=1, help="threads for both libraries (default 1)")
    p.add_argument("--json", help="write the result records to this file")
    p.add_argument("--repetitions", type=int, default=5,
                   help="repetitions per benchmark; the median is reported (default 5)")
    p.add_argument("--min-time", type=float, default=0.1,
                   help="minimum seconds per repetition (default 0.1)")
    p.add_argument("--filter", help="only benchmarks whose section/shape/impl name matches")
    p.add_argument("extra", nargs="*", help="more Google Benchmark flags (after --)")
    args = p.parse_args(argv)
    if (args.bench is None) == (args.combine is None):
        p.error("give either --bench or --combine")
    if args.threads < 1:
        p.error("--threads must be >= 1")
    if args.repetitions < 1:
        p.error("--repetitions must be >= 1")
    return args


def common_flags(args):
    flags = ["--threads=%d" % args.threads]
    if args.suite:
        flags.append("--suite=%s" % args.suite)
    if args.filter:
        flags.append("--benchmark_filter=%s" % args.filter)
    return flags


def list_benchmarks(args):
    """The (section, shape) pairs in run order, each with the implementations registered."""
    cmd = [args.bench] + common_flags(args) + ["--benchmark_list_tests=true"]
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True)
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        raise SystemExit("report: %s --benchmark_list_tests failed (exit %d)"
                         % (args.bench, proc.returncode))
    shapes = {}
    for line in proc.stdout.splitlines():
        m = NAME_RE.match(line + " ")
        if m:
            shapes.setdefault((m.group(1), m.group(2)), []).append(m.group(3))
    return shapes


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def run_benchmarks(args, shapes, out_path):
    """Runs the binary, printing one progress line per finished shape. Returns the exit code."""
    cmd = ([args.bench] + common_flags(args) +
           ["--benchmark_out=%s" % out_path, "--benchmark_out_format=json",
            "--benchmark_format=console", "--benchmark_color=false",
            "--benchmark_repetitions=%d" % args.repetitions,
            "--benchmark_display_aggregates_only=true",
            "--benchmark_min_time=%g" % args.min_time] + args.extra)
    total = len(shapes)
    done_shapes = 0
    finished = {}  # (section, shape) -> {impl: "123.4 us" or "FAILED"}
    log = []  # everything else the binary printed, shown if it fails
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            universal_newlines=True, bufsize=1)
    for line in proc.stdout:
        line = line.rstrip("\n")
        if line.startswith("portnn-bench:"):
            print("  " + line, flush=True)
            continue
        m = NAME_RE.match(line + " ")
        if not m:
            log.append(line)
            continue
        key, impl = (m.group(1), m.group(2)), m.group(3)
        name = m.group(0).split()[0]
        got = finished.setdefault(key, {})
        if impl in got:
            continue  # later repetitions of a failing benchmark, or mean/stddev lines
        if "ERROR OCCURRED" in line:
            got[impl] = "FAILED (%s)" % line.split("ERROR OCCURRED:", 1)[1].strip().strip("'")
        elif name.endswith("_median") or (args.repetitions == 1 and
                                           not re.search(r"_(mean|stddev|cv)$", name)):
            fields = line.split()
            got[impl] = "%s %s" % (fields[1], fields[2])
        else:
            continue
        if key in shapes and all(i in got for i in shapes[key]):
            done_shapes += 1
            parts = ["%s %s" % (i, got[i]) for i in shapes[key]]
            times = [float(got[i].split()[0]) for i in IMPLS
                     if i in got and not got[i].startswith("FAILED")]
            if len(times) == 2 and times[1] > 0:
                parts.append("(portnn/XNNPACK %.2f)" % (times[0] / times[1]))
            width = len(str(total))
            print("[%*d/%d] %-32s %s" % (width, done_shapes, total, key[0] + "/" + key[1],
                                          "  ".join(parts)), flush=True)
    rc = proc.wait()
    if rc != 0:
        sys.stderr.write("\n".join(log[-40:]) + "\n")
        sys.stderr.write("report: portnn-bench exited with status %d\n" % rc)
    return rc


def collect(out_path):
    """Reads Google Benchmark's JSON: the context and {(section, shape, impl): result}."""
    with open(out_path) as f:
        data = json.load(f)
    results = {}
    for b in data.get("benchmarks", []):
        m = NAME_RE.match(b.get("run_name", b["name"]) + " ")
        if not m:
            continue
        key = (m.group(1), m.group(2), m.group(3))
        r = results.setdefault(key, {})
        if b.get("error_occurred"):
            r.setdefault("error", b.get("error_message", "error"))
        elif b.get("run_type") == "aggregate" and b.get("aggregate_name") == "median":
            scale = TIME_UNITS_TO_US.get(b.get("time_unit", "ns"), 1e-3)
            r["median_us"] = b["real_time"] * scale
            r["gflops"] = b.get("FLOPS", 0.0) / 1e9
            r["gbytes"] = b.get("bytes_per_second", 0.0) / 1e9
            r["variant"] = b.get("label", "")
        elif b.get("run_type") == "iteration":
            # With one repetition Google Benchmark computes no aggregates: the run is the median.
            r.setdefault("runs", []).append(b)
    for r in results.values():
        runs = r.pop("runs", [])
        if "median_us" not in r and "error" not in r and len(runs) == 1:
            b = runs[0]
            scale = TIME_UNITS_TO_US.get(b.get("time_unit", "ns"), 1e-3)
            r["median_us"] = b["real_time"] * scale
            r["gflops"] = b.get("FLOPS", 0.0) / 1e9
            r["gbytes"] = b.get("bytes_per_second", 0.0) / 1e9
            r["variant"] = b.get("label", "")
    return data.get("context", {}), results


def fmt(value, digits=1):
    if value is None:
        return "-"
    if value >= 1e5:
        return "%.0f" % value
    return "%.*f" % (digits, value)


def print_table(section, rows, threads):
    elementwise = section == "elementwise"
    header = ["shape", "portnn us", "XNNPACK us", "portnn/XNNPACK", "portnn GFLOP/s",
              "XNNPACK GFLOP/s"]
    if elementwise:
        header += ["portnn GB/s", "XNNPACK GB/s"]
    header += ["variant (isa kernel)", "threads"]
    table = [header]
    ratios = []
    for shape, p, x in rows:
        ratio = None
        if p.get("median_us") and x and x.get("median_us"):
            ratio = p["median_us"] / x["median_us"]
            ratios.append(ratio)
        line = [shape,
                fmt(p.get("median_us")) if "error" not in p else "FAILED",
                fmt(x.get("median_us")) if x else "n/a",
                ("%.2f" % ratio) if ratio is not None else "-",
                fmt(p.get("gflops"), 2), fmt(x.get("gflops"), 2) if x else "n/a"]
        if elementwise:
            line += [fmt(p.get("gbytes"), 2), fmt(x.get("gbytes"), 2) if x else "n/a"]
        line += [p.get("variant") or p.get("error", "-"), str(threads)]
        table.append(line)
    widths = [max(len(r[i]) for r in table) for i in range(len(header))]
    # Numbers right-aligned, text (shape, variant) left-aligned.
    left = {0, len(header) - 2}
    print("\n== %s" % section)
    for n, r in enumerate(table):
        cells = [(c.ljust(widths[i]) if i in left else c.rjust(widths[i]))
                 for i, c in enumerate(r)]
        print("  ".join(cells).rstrip())
        if n == 0:
            print("  ".join("-" * w for w in widths))
    if ratios:
        geomean = math.exp(sum(math.log(r) for r in ratios) / len(ratios))
        print("geometric mean portnn/XNNPACK over %d shape%s: %.2f"
              % (len(ratios), "" if len(ratios) == 1 else "s", geomean))
    else:
        print("geometric mean portnn/XNNPACK: - (no shape ran on both)")


def main(argv):
    args = parse_args(argv)
    if args.combine:
        return combine(args)
    if not os.access(args.bench, os.X_OK):
        raise SystemExit("report: no executable portnn-bench at %s" % args.bench)
    shapes = list_benchmarks(args)
    if not shapes:
        raise SystemExit("report: no benchmark matches (suite or --filter)")
    print("portnn-bench: %d shape(s), %d benchmark(s), %d repetition(s) x >= %gs each, "
          "%d thread(s)"
          % (len(shapes), sum(len(v) for v in shapes.values()), args.repetitions, args.min_time,
             args.threads), flush=True)

    # Other work on the machine steals cores from the pool: a worker that is descheduled stalls
    # every parallel region, so thread-pool timings degrade by orders of magnitude, not percent.
    load_before = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    cpus = os.cpu_count() or 1
    busy = load_before + args.threads > cpus + 0.5
    if busy:
        print("warning: load average %.2f on %d CPUs before the run: other processes compete "
              "for the cores; timings are unreliable%s" % (
                  load_before, cpus, ", especially with a thread pool" if args.threads > 1 else ""),
              flush=True)

    fd, out_path = tempfile.mkstemp(prefix="portnn-bench-", suffix=".json")
    os.close(fd)
    try:
        rc = run_benchmarks(args, shapes, out_path)
        try:
            context, results = collect(out_path)
        except (OSError, ValueError) as e:
            sys.stderr.write("report: no readable benchmark output (%s)\n" % e)
            return 1
    finally:
        os.unlink(out_path)

    threads = int(context.get("threads", args.threads))
    print("\nmachine: %s, %s logical CPUs, %s (load average %s)" % (
        cpu_model(), context.get("num_cpus", "?"), context.get("host_name", "?"),
        " ".join("%.2f" % v for v in context.get("load_avg", []))))
    print("portnn %s, kernels: %s; XNNPACK: %s; threads: %d" % (
        context.get("portnn_version", "?"), context.get("portnn_isa", "?"),
        context.get("xnnpack", "?"), threads))
    print("times: wall-clock median of %d repetitions, operator run only, microseconds"
          % args.repetitions)
    if busy:
        print("warning: the machine was busy (load average %.2f before the run): rerun on an idle "
              "machine before trusting these numbers" % load_before)
    if context.get("xnnpack_skipped"):
        print("no XNNPACK benchmark: " + context["xnnpack_skipped"])

    records = []
    failures = []
    for section in SECTIONS:
        rows = []
        for (sec, shape), impls in shapes.items():
            if sec != section:
                continue
            p = results.get((sec, shape, "portnn"), {})
            x = results.get((sec, shape, "xnnpack"), {}) if "xnnpack" in impls else None
            rows.append((shape, p, x))
            for impl, r in (("portnn", p), ("xnnpack", x)):
                if impl not in impls:
                    continue
                if "median_us" not in r:
                    failures.append("%s/%s/%s: %s" % (sec, shape, impl,
                                                      r.get("error", "no result")))
                    continue
                records.append({"target": "native", "impl": impl, "variant": r["variant"],
                                "threads": threads, "shape": shape,
                                "median_us": round(r["median_us"], 3),
                                "gflops": round(r["gflops"], 4)})
        if rows:
            print_table(section, rows, threads)

    if args.json:
        directory = os.path.dirname(os.path.abspath(args.json))
        os.makedirs(directory, exist_ok=True)
        tmp = args.json + ".tmp"
        with open(tmp, "w") as f:
            json.dump(records, f, indent=1)
            f.write("\n")
        os.replace(tmp, args.json)
        print("\nwrote %d records to %s" % (len(records), args.json))

    if failures:
        print("\n%d benchmark(s) failed:" % len(failures), file=sys.stderr)
        for f in failures:
            print("  " + f, file=sys.stderr)
    return 1 if (rc != 0 or failures) else 0


# ---------------------------------------------------------------------------------------------
# --combine: one table over every target of a results file.

def suite_work(path):
    """{shape: (section, flops)} from the suite file (the same counts as bench/suite.cc)."""
    with open(path) as f:
        suite = json.load(f)
    work = {}
    for section in SECTIONS:
        for e in suite.get(section, []):
            if section == "gemm":
                flops = 2.0 * e["m"] * e["n"] * e["k"]
            elif section == "conv":
                oh = (e["h"] + 2 * e["p"] - e["k"]) // e["s"] + 1
                ow = (e["w"] + 2 * e["p"] - e["k"]) // e["s"] + 1
                flops = 2.0 * oh * ow * e["cout"] * e["k"] * e["k"] * (e["cin"] // e.get("groups", 1))
            else:
                flops = 0.0
            work[e["name"]] = (section, flops)
    return work


def geomean(values):
    v = [x for x in values if x is not None and x > 0]
    return math.exp(sum(math.log(x) for x in v) / len(v)) if v else None


def pick(records, target, impl, variant=None, threads=None):
    """{shape: record} of one configuration."""
    out = {}
    for r in records:
        if r.get("target") != target or r.get("impl") != impl:
            continue
        if variant is not None and r.get("variant") != variant:
            continue
        if threads is not None and r.get("threads") != threads:
            continue
        out[r["shape"]] = r
    return out


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


def combine(args):
    with open(args.combine) as f:
        records = json.load(f)
    if not records:
        print("combine: %s holds no records" % args.combine, file=sys.stderr)
        return 1
    here = os.path.dirname(os.path.abspath(__file__))
    work = suite_work(args.suite or os.path.join(here, "suite.json"))
    order = list(work)
    targets = [t for t in ("native", "node", "chromium") if any(r.get("target") == t for r in records)]
    native_threads = max([r["threads"] for r in records if r.get("target") == "native"] or [1])

    # The configurations compared, per target.
    cols = []  # (header, {shape: value}, kind) with kind 'us', 'ratio' or 'x'
    if "native" in targets:
        p = pick(records, "native", "portnn")
        x = pick(records, "native", "xnnpack")
        cols += [("native portnn", {k: v["median_us"] for k, v in p.items()}, "us"),
                 ("native XNNPACK", {k: v["median_us"] for k, v in x.items()}, "us"),
                 ("p/XNN", {k: ratio(p[k]["median_us"], x[k]["median_us"]) for k in p if k in x}, "ratio")]
    speedups = {}
    for t in ("node", "chromium"):
        if t not in targets:
            continue
        p = pick(records, t, "portnn", "simd", 1)
        tf = pick(records, t, "tfjs-wasm", "simd", 1)
        ort = pick(records, t, "ort-web", None, 1)
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

    print("\n== combined results (%s): times in microseconds, median per call" % args.combine)
    print("native: portnn-bench vs Debian's XNNPACK (%d thread(s)); node / chromium: the WebAssembly"
          % native_threads)
    print("builds, one thread: 'simd' = portnn op (data in wasm memory), tfjs = TF.js wasm (simd)"
          " op call, ort = onnxruntime-web session.run (NCHW model, copies in and out);")
    print("p/tfjs = portnn op / tfjs op call; p/ort = portnn run() (copies in and out) / ort;"
          " NT x = portnn simd-threads N-thread speed-up over 1 thread. < 1: portnn faster.")
    acceptance = []
    for section in SECTIONS:
        shapes = [s for s in order if work[s][0] == section and
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

    # Acceptance checks of the WebAssembly targets.
    print("\n== acceptance (WebAssembly, one thread unless said)")
    for t in ("node", "chromium"):
        if t not in targets:
            continue
        p = pick(records, t, "portnn", "simd", 1)
        tf = pick(records, t, "tfjs-wasm", "simd", 1)
        ort = pick(records, t, "ort-web", None, 1)
        for name, secs, limit in (("gemm+conv", ("gemm", "conv"), 0.90),
                                  ("pool+elementwise", ("pool", "elementwise"), 1.00)):
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
                if r is None or r >= 1.0:
                    slower.append("%s %.2f" % (k, r) if r else k)
        ok = compared > 0 and not slower
        acceptance.append(ok)
        print("  %-8s portnn run() faster than onnxruntime-web on every gemm and conv shape: %d/%d %s%s"
              % (t, compared - len(slower), compared, "PASS" if ok else "FAIL",
                 "" if not slower else " (not on: %s)" % ", ".join(slower)))
    if "chromium" in speedups:
        n, sp = speedups["chromium"]
        big = [k for k in order if work[k][0] == "conv" and work[k][1] >= 100e6 and k in sp]
        low = ["%s %.2fx" % (k, sp[k]) for k in big if sp[k] is None or sp[k] < 1.6]
        ok = bool(big) and not low
        acceptance.append(ok)
        idle = [r["idle"] for r in records if r.get("target") == "chromium" and r.get("threads") == n
                and r.get("variant") == "simd-threads" and r["shape"] in big and "idle" in r]
        print("  chromium portnn simd-threads %dT >= 1.6x its 1-thread speed on conv shapes >= 100 MFLOP:"
              " %s %s%s" % (n, ", ".join("%s %.2fx" % (k, sp[k]) for k in big) or "none measured",
                            "PASS" if ok else "FAIL", "" if not low else " (below: %s)" % ", ".join(low)))
        if idle:
            print("           (the machine was %d-%d%% idle when those shapes started)"
                  % (round(min(idle) * 100), round(max(idle) * 100)))
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    print("  (load average now %.2f on %d CPUs: other processes compete for the cores, most of all"
          " with threads)" % (load, os.cpu_count() or 1))
    if args.strict and not all(acceptance):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
