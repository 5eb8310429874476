#!/usr/bin/env python3
"""Runs portnn-bench, shows progress per shape, prints one table per suite section and writes
the results as JSON records.

Usage: bench/report.py --bench BUILD/bench/portnn-bench [--suite bench/suite.json]
           [--threads N] [--json FILE] [--repetitions 5] [--min-time 0.1] [--filter REGEX]
           [-- extra Google Benchmark flags]

Times are wall-clock medians over the repetitions, in microseconds, of the operator run alone
(operators are created and set up once, outside the timed loop; outputs are reused). GFLOP/s
counts 2*MACs for gemm/conv and one operation per visited element for pool/elementwise.
Exit status: 0 when every benchmark ran; 1 when one failed or produced no result; 2 on usage.
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
        description="Run portnn-bench and report portnn vs XNNPACK per shape.")
    p.add_argument("--bench", required=True, help="path to the portnn-bench binary")
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


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
