#!/usr/bin/env python3
"""Runs portnn-bench in every native configuration, shows progress per shape, prints one table per
section plus a summary, and writes the results as JSON records (the file the Node and Chromium
parts of scripts/bench.sh write to as well; bench/combine.py prints the combined table).

Usage: bench/run_native.py --bench BUILD/bench/portnn-bench [--suite bench/suite.json]
           [--threads N] [--json FILE] [--repetitions 5] [--min-time 0.1] [--filter REGEX]
           [--no-wait-idle] [-- extra Google Benchmark flags]

The native configurations, all measured shape by shape (every configuration of a shape, then the
next shape, so that a change of load on the shared machine hits them alike):
  best 1T   portnn at the best level the build and the CPU have (PORTNN_ISA, when set, caps it)
            and XNNPACK, one thread (no pool), in one process;
  sse2, avx2  portnn with PORTNN_ISA forced to that level, one thread, a process each (the level
            is read once per process); skipped, with the reason printed, when the build or the
            CPU lacks the level or when it is the best level anyway; their ratios are against
            XNNPACK's best-1T time;
  best NT   portnn and XNNPACK with N threads (--threads, default 2; 1 leaves it out), in one
            process, after waiting (bounded) for the other processes to leave the CPUs idle.
Inside a process the implementations alternate repetition by repetition (portnn-bench --rounds).
Times are wall-clock medians over the repetitions, in microseconds, of the operator run alone
(operators are created and set up once, outside the timed loop; outputs are reused). GFLOP/s
counts 2*MACs for gemm/conv/depthwise; GB/s the bytes read and written by elementwise ops.
Exit status: 0 when every benchmark ran; 1 when one failed or produced no result; 2 on usage.
"""

import argparse
import json
import math
import os
import platform
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time

from benchlib import (FORCED_LEVELS, IMPLS, LEVEL_ORDER, NAME_RE, SECTIONS,
                      TIME_UNITS_TO_US, fmt, geomean, ratio, render, write_records)


def parse_args(argv):
    p = argparse.ArgumentParser(
        description="Run portnn-bench and report portnn vs XNNPACK per shape and configuration.")
    p.add_argument("--bench", required=True, help="path to the portnn-bench binary")
    p.add_argument("--suite", help="suite JSON (default: the binary's built-in path)")
    p.add_argument("--threads", type=int, default=2,
                   help="threads of the multi-thread configuration (default 2; 1: leave it out)")
    p.add_argument("--json", help="write the result records to this file")
    p.add_argument("--repetitions", type=int, default=5,
                   help="repetitions per benchmark, interleaved; the median is reported "
                        "(default 5)")
    p.add_argument("--min-time", type=float, default=0.1,
                   help="minimum seconds per repetition (default 0.1)")
    p.add_argument("--filter", help="only benchmarks whose section/shape/impl name matches")
    p.add_argument("--no-wait-idle", action="store_true",
                   help="the multi-thread runs do not wait for idle CPUs")
    p.add_argument("--idle-budget", type=float, default=90.0,
                   help="seconds the multi-thread runs may wait for idle CPUs in all (default 90; "
                        "at most 10 per shape)")
    p.add_argument("extra", nargs="*", help="more Google Benchmark flags (after --)")
    args = p.parse_args(argv)
    if args.threads < 1:
        p.error("--threads must be >= 1")
    if args.repetitions < 1:
        p.error("--repetitions must be >= 1")
    return args


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


# ---------------------------------------------------------------------------------------------
# Load of the other processes (Linux /proc/stat). On a shared 2-core machine a thread pool only
# scales when the others leave the cores free, and even one thread slows down when they do not.

def read_cpu_ticks():
    """(busy, total) ticks over all CPUs, or None. Steal time counts as busy: another guest ran."""
    try:
        with open("/proc/stat") as f:
            v = [int(x) for x in f.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    idle = v[3] + (v[4] if len(v) > 4 else 0)
    total = sum(v[:8])  # guest times are already inside user/nice
    return total - idle, total


def children_cpu_seconds():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def idle_fraction(seconds=0.5):
    a = read_cpu_ticks()
    time.sleep(seconds)
    b = read_cpu_ticks()
    if a is None or b is None or b[1] <= a[1]:
        return 1.0
    return 1.0 - (b[0] - a[0]) / (b[1] - a[1])


class IdleWaiter:
    """Waits until the CPUs are >= min_idle idle, at most max_wait s per call and budget s in all
    (the same policy as bench/js/idle.mjs)."""

    def __init__(self, min_idle=0.85, max_wait=10.0, budget=90.0):
        self.min_idle, self.max_wait, self.budget, self.spent = min_idle, max_wait, budget, 0.0

    def wait(self):
        start = time.time()
        idle = idle_fraction(0.3)
        while (idle < self.min_idle and time.time() - start < self.max_wait and
               self.spent + time.time() - start < self.budget):
            idle = idle_fraction(0.5)
        self.spent += time.time() - start
        return round(idle, 2), time.time() - start


# ---------------------------------------------------------------------------------------------
# Running portnn-bench.

def bench_env(isa):
    env = dict(os.environ)
    if isa is not None:
        env["PORTNN_ISA"] = isa
    return env


def isa_info(bench):
    """{'compiled': [...], 'cpu': [...], 'running': name or None, 'why': text} under this
    environment's PORTNN_ISA."""
    proc = subprocess.run([bench, "--isa-info"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True)
    info = {"compiled": [], "cpu": [], "running": None, "why": ""}
    for line in proc.stdout.splitlines():
        key, _, value = line.partition(":")
        value = value.strip()
        if key in ("compiled", "cpu"):
            info[key] = value.split()
        elif key == "running":
            if value.startswith("none"):
                info["why"] = value
            else:
                info["running"] = value
    if proc.returncode != 0 or not info["compiled"]:
        sys.stderr.write(proc.stderr)
        raise SystemExit("run_native: %s --isa-info failed (exit %d)" % (bench, proc.returncode))
    return info


def list_benchmarks(args):
    """{(section, shape): [impls]} in run order."""
    cmd = [args.bench, "--benchmark_list_tests=true"]
    if args.suite:
        cmd.append("--suite=%s" % args.suite)
    if args.filter:
        cmd.append("--benchmark_filter=%s" % args.filter)
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True)
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        raise SystemExit("run_native: %s --benchmark_list_tests failed (exit %d)"
                         % (args.bench, proc.returncode))
    shapes = {}
    for line in proc.stdout.splitlines():
        m = NAME_RE.match(line + " ")
        if m:
            impls = shapes.setdefault((m.group(1), m.group(2)), [])
            if m.group(3) not in impls:
                impls.append(m.group(3))
    return shapes


class Config:
    def __init__(self, key, title, isa, threads, impls, forced):
        self.key = key          # "1T", "sse2", "avx2", "2T"
        self.title = title      # for headers and progress
        self.isa = isa          # PORTNN_ISA to set, or None (inherit)
        self.threads = threads
        self.impls = impls      # implementations this configuration runs
        self.forced = forced    # PORTNN_ISA forced by this script (a lower level than the best)


def plan_configs(args, info):
    """The configurations to run and the notes about those left out."""
    best = info["running"]
    notes = []
    configs = [Config("1T", "best 1T", None, 1, IMPLS, False)]
    user_isa = os.environ.get("PORTNN_ISA", "")
    for level in FORCED_LEVELS:
        if level not in info["compiled"]:
            notes.append("%s: skipped, not compiled into this build (CMake -DPORTNN_ISA or a "
                         "non-x86 target)" % level)
        elif level not in info["cpu"]:
            notes.append("%s: skipped, this CPU lacks it%s" % (
                level, " (AVX2 counts with FMA only)" if level == "avx2" else ""))
        elif level == best:
            notes.append("%s: not run forced, it is the best level here (the best-level runs "
                         "measure it)" % level)
        elif best in LEVEL_ORDER and LEVEL_ORDER.index(level) > LEVEL_ORDER.index(best):
            notes.append("%s: skipped, above the level PORTNN_ISA=%s allows" % (level, user_isa))
        else:
            configs.append(Config(level, "%s 1T" % level, level, 1, ("portnn",), True))
    if args.threads > 1:
        configs.append(Config("%dT" % args.threads, "best %dT" % args.threads, None,
                              args.threads, IMPLS, False))
    else:
        notes.append("multi-thread runs: left out (--threads 1)")
    return configs, notes


def run_config(args, config, section, shape, impls):
    """Runs one configuration on one shape. Returns ({impl: result}, error text or None, others)
    where others is how many CPUs' worth of time other processes used during the run."""
    impls = [i for i in config.impls if i in impls]
    if not impls:
        return {}, None, None
    fd, out_path = tempfile.mkstemp(prefix="portnn-bench-", suffix=".json")
    os.close(fd)
    cmd = [args.bench, "--threads=%d" % config.threads, "--impls=%s" % ",".join(impls),
           "--rounds=%d" % args.repetitions,
           "--benchmark_filter=^%s/%s/" % (section, re.escape(shape)),
           "--benchmark_repetitions=1", "--benchmark_min_time=%g" % args.min_time,
           "--benchmark_out=%s" % out_path, "--benchmark_out_format=json",
           "--benchmark_format=console", "--benchmark_color=false"] + args.extra
    if args.suite:
        cmd.append("--suite=%s" % args.suite)
    try:
        ticks0, cpu0, wall0 = read_cpu_ticks(), children_cpu_seconds(), time.time()
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              universal_newlines=True, env=bench_env(config.isa))
        ticks1, cpu1, wall1 = read_cpu_ticks(), children_cpu_seconds(), time.time()
        others = None
        if ticks0 and ticks1 and ticks1[1] > ticks0[1] and wall1 > wall0:
            ncpu = os.cpu_count() or 1
            busy_cpus = (ticks1[0] - ticks0[0]) / (ticks1[1] - ticks0[1]) * ncpu
            others = max(0.0, busy_cpus - (cpu1 - cpu0) / (wall1 - wall0))
        results = collect(out_path) if proc.returncode == 0 else {}
    finally:
        os.unlink(out_path)
    if proc.returncode != 0:
        lines = [l for l in proc.stdout.splitlines() if l.strip()]
        return {}, "portnn-bench exited with status %d: %s" % (
            proc.returncode, " | ".join(lines[-3:])), None
    return results, None, others


def collect(out_path):
    """{impl: {'median_us', 'gflops', 'gbytes', 'variant', 'kernel', 'times'} or {'error'}} from
    Google Benchmark's JSON output of one shape."""
    with open(out_path) as f:
        data = json.load(f)
    runs = {}
    for b in data.get("benchmarks", []):
        m = NAME_RE.match(b.get("run_name", b["name"]) + " ")
        if not m or b.get("run_type", "iteration") != "iteration":
            continue
        r = runs.setdefault(m.group(3), {"times": []})
        if b.get("error_occurred"):
            r.setdefault("error", b.get("error_message", "error"))
            continue
        scale = TIME_UNITS_TO_US.get(b.get("time_unit", "ns"), 1e-3)
        r["times"].append(b["real_time"] * scale)
        r["flop"] = b.get("flop", 0.0)
        r["bytes"] = b.get("bytes", 0.0)
        label = b.get("label", "")
        r["variant"], _, r["kernel"] = label.partition(" ")
    out = {}
    for impl, r in runs.items():
        if not r["times"]:
            out[impl] = {"error": r.get("error", "no result")}
            continue
        med = statistics.median(r["times"])
        out[impl] = {"median_us": med, "times": r["times"],
                     "gflops": r["flop"] / (med * 1e3) if med > 0 else 0.0,
                     "gbytes": r["bytes"] / (med * 1e3) if med > 0 else 0.0,
                     "variant": r["variant"], "kernel": r["kernel"]}
        if "error" in r:
            out[impl]["error"] = r["error"]
    return out


# ---------------------------------------------------------------------------------------------
# Tables (formatting helpers in benchlib.py).

def median_of(res, config_key, impl):
    r = res.get(config_key, {}).get(impl)
    return r.get("median_us") if r else None


def native_tables(shapes, res, configs, best, busy_flags):
    """Per-section tables and the summary; returns the printed lines' data for the summary."""
    one = configs[0]
    forced = [c for c in configs if c.forced]
    multi = [c for c in configs if c.threads > 1]
    summary = {}
    for section in SECTIONS:
        keys = [k for k in shapes if k[0] == section]
        if not keys:
            continue
        flops_sections = section in ("gemm", "conv", "depthwise")
        header = ["shape"]
        if flops_sections:
            header += ["MFLOP"]
        header += ["portnn us", "XNNPACK us", "p/X"]
        if flops_sections:
            header += ["portnn GFLOP/s", "XNNPACK GFLOP/s"]
        elif section == "elementwise":
            header += ["portnn GB/s", "XNNPACK GB/s"]
        header += ["p/X %s" % c.key for c in forced]
        for c in multi:
            header += ["p/X %s" % c.key, "portnn %s/1T" % c.key, "XNNPACK %s/1T" % c.key]
        header += ["kernel (%s, 1T; pnn_f32_...)" % best]
        table = [header]
        cols = {h: [] for h in header}
        for key in keys:
            shape = key[1]
            r = res.get(key, {})
            p1 = r.get("1T", {}).get("portnn", {})
            x1 = r.get("1T", {}).get("xnnpack", {})
            mark = "*" if busy_flags.get((key, "1T")) else ""
            row = [shape + mark]
            if flops_sections:
                flop = (p1.get("gflops") or 0) * (p1.get("median_us") or 0) * 1e3
                row.append(fmt(flop / 1e6, 1) if flop else "-")

            def put(h, v, text):
                cols[h].append(v)
                row.append(text)

            pt, xt = p1.get("median_us"), x1.get("median_us")
            row += [fmt(pt) if pt else ("FAILED" if "error" in p1 else "-"),
                    fmt(xt) if xt else ("n/a" if not x1 else "FAILED")]
            put("p/X", ratio(pt, xt), "%.2f" % ratio(pt, xt) if ratio(pt, xt) else "-")
            if flops_sections:
                row += [fmt(p1.get("gflops"), 1) if pt else "-",
                        fmt(x1.get("gflops"), 1) if xt else "-"]
            elif section == "elementwise":
                row += [fmt(p1.get("gbytes"), 1) if pt else "-",
                        fmt(x1.get("gbytes"), 1) if xt else "-"]
            for c in forced:
                v = ratio(median_of(r, c.key, "portnn"), xt)
                m = "*" if busy_flags.get((key, c.key)) else ""
                put("p/X %s" % c.key, v, ("%.2f" % v + m) if v else "-")
            for c in multi:
                pn, xn = median_of(r, c.key, "portnn"), median_of(r, c.key, "xnnpack")
                m = "*" if busy_flags.get((key, c.key)) else ""
                v = ratio(pn, xn)
                put("p/X %s" % c.key, v, ("%.2f" % v + m) if v else "-")
                v = ratio(pt, pn)
                put("portnn %s/1T" % c.key, v, ("%.2fx" % v) if v else "-")
                v = ratio(xt, xn)
                put("XNNPACK %s/1T" % c.key, v, ("%.2fx" % v) if v else "-")
            # The full name is in the kernel summary and the records.
            row.append(re.sub(r"^pnn_f32_", "", p1.get("kernel") or p1.get("error", "-")))
            table.append(row)
        gm = ["geomean"] + [""] * (len(header) - 1)
        for i, h in enumerate(header):
            if cols.get(h):
                g = geomean(cols[h])
                if g is not None:
                    gm[i] = ("%.2fx" % g) if h.endswith("/1T") else "%.2f" % g
        table.append(gm)
        n = len([v for v in cols["p/X"] if v])
        print("\n== %s (portnn %s unless said; p/X = time(portnn)/time(XNNPACK), < 1: portnn "
              "faster)" % (section, best))
        for line in render(table, {0, len(header) - 1}):
            print(line)
        summary[section] = {h: cols[h] for h in cols}
        summary[section]["_n"] = n
    return summary


def print_summary(summary, configs, best):
    forced = [c for c in configs if c.forced]
    multi = [c for c in configs if c.threads > 1]
    header = ["section", "shapes", "p/X %s 1T" % best]
    keys = ["p/X"]
    for c in forced:
        header.append("p/X %s" % c.title)
        keys.append("p/X %s" % c.key)
    for c in multi:
        header += ["p/X %s %s" % (best, c.key), "portnn %s/1T" % c.key,
                   "XNNPACK %s/1T" % c.key]
        keys += ["p/X %s" % c.key, "portnn %s/1T" % c.key, "XNNPACK %s/1T" % c.key]
    table = [header]
    everything = {k: [] for k in keys}
    for section in SECTIONS:
        if section not in summary:
            continue
        row = [section, str(summary[section]["_n"])]
        for k in keys:
            v = summary[section].get(k, [])
            everything[k] += v
            g = geomean(v)
            row.append("-" if g is None else (("%.2fx" if k.endswith("/1T") else "%.2f") % g))
        table.append(row)
    row = ["suite", str(sum(summary[s]["_n"] for s in summary))]
    for k in keys:
        g = geomean(everything[k])
        row.append("-" if g is None else (("%.2fx" if k.endswith("/1T") else "%.2f") % g))
    table.append(row)
    print("\n== native summary: geometric means per section (shapes run by both libraries; "
          "NT/1T = speed-up)")
    for line in render(table, {0}):
        print(line)


def print_kernels(shapes, res, configs):
    """Which portnn kernel ran, per section and level."""
    print("\n== portnn kernels that ran, per section (level: kernel (shapes))")
    level_configs = [c for c in configs if c.threads == 1]
    for section in SECTIONS:
        keys = [k for k in shapes if k[0] == section]
        if not keys:
            continue
        first = True
        for c in level_configs:
            by_kernel = {}
            level = None
            for key in keys:
                r = res.get(key, {}).get(c.key, {}).get("portnn")
                if not r or "median_us" not in r:
                    continue
                level = level or r.get("variant")
                by_kernel.setdefault(r.get("kernel") or "?", []).append(key[1])
            if not by_kernel:
                continue
            parts = []
            for kernel, names in by_kernel.items():
                parts.append("%s (%s)" % (kernel, "all %d" % len(names)
                                          if len(names) == len(keys) and len(keys) > 1
                                          else ", ".join(names)))
            print("  %-12s %-7s %s" % (section if first else "", (level or c.key) + ":",
                                       "; ".join(parts)))
            first = False



def main(argv):
    args = parse_args(argv)
    if not os.access(args.bench, os.X_OK):
        raise SystemExit("run_native: no executable portnn-bench at %s" % args.bench)
    start = time.time()
    info = isa_info(args.bench)
    if info["running"] is None:
        raise SystemExit("run_native: portnn cannot run here: %s" % info["why"])
    best = info["running"]
    configs, notes = plan_configs(args, info)
    shapes = list_benchmarks(args)
    if not shapes:
        raise SystemExit("run_native: no benchmark matches (suite or --filter)")
    ncpu = os.cpu_count() or 1
    print("portnn levels: compiled %s; the CPU has %s; best: %s%s" % (
        " ".join(info["compiled"]), " ".join(info["cpu"]), best,
        " (PORTNN_ISA=%s)" % os.environ["PORTNN_ISA"] if os.environ.get("PORTNN_ISA") else ""))
    for n in notes:
        print("  " + n)
    print("configurations: %s; %d shape(s), %d repetition(s) x >= %gs each, interleaved"
          % (", ".join("%s (%s)" % (c.title, "+".join(
              "XNNPACK" if i == "xnnpack" else "portnn" for i in c.impls)) for c in configs),
             len(shapes), args.repetitions, args.min_time), flush=True)
    print("progress per shape: 1T portnn vs XNNPACK median us (time ratio p/X) | forced level p/X"
          " (against XNNPACK 1T) | NT p/X (NT/1T speed-ups p, X); *: other processes crowded that"
          " run", flush=True)
    waiter = None if args.no_wait_idle else IdleWaiter(budget=args.idle_budget)

    res = {}         # (section, shape) -> config key -> impl -> result
    others = {}      # ((section, shape), config key) -> CPUs used by other processes
    idle = {}        # ((section, shape), config key) -> idle fraction before the run
    busy_flags = {}  # ((section, shape), config key) -> True when others crowded the run
    failures = []
    width = len(str(len(shapes)))
    for n, (key, impls) in enumerate(shapes.items(), 1):
        print("[%*d/%d] %-28s" % (width, n, len(shapes), key[0] + "/" + key[1]), end="",
              flush=True)
        for c in configs:
            if not any(i in impls for i in c.impls):
                continue
            if c.threads > 1 and waiter is not None:
                idle[(key, c.key)] = waiter.wait()[0]
            got, error, oth = run_config(args, c, key[0], key[1], impls)
            # A thread pool whose worker lost its core stalls at every barrier: a crowded
            # multi-thread run is repeated once, after waiting again, while the budget lasts.
            if (c.threads > 1 and waiter is not None and not error and oth is not None and
                    oth + c.threads > ncpu + 0.25 and waiter.spent < waiter.budget):
                idle[(key, c.key)] = waiter.wait()[0]
                got, error, oth = run_config(args, c, key[0], key[1], impls)
            if error:
                failures.append("%s/%s %s: %s" % (key[0], key[1], c.title, error))
                print(" %s FAILED" % c.key, end="", flush=True)
                continue
            res.setdefault(key, {})[c.key] = got
            others[(key, c.key)] = oth
            if oth is not None and oth + c.threads > ncpu + 0.25:
                busy_flags[(key, c.key)] = True
            for impl in c.impls:
                if impl in impls and "median_us" not in got.get(impl, {}):
                    failures.append("%s/%s %s %s: %s" % (key[0], key[1], c.title, impl,
                                                         got.get(impl, {}).get("error",
                                                                               "no result")))
            p = median_of(res[key], c.key, "portnn")
            x = median_of(res[key], c.key, "xnnpack")
            if c.key == "1T":
                text = " 1T %s vs %s us" % (fmt(p), fmt(x) if x else "-")
                if ratio(p, x):
                    text += " (%.2f)" % ratio(p, x)
            elif c.forced:
                x1 = median_of(res[key], "1T", "xnnpack")
                text = " | %s %s" % (c.key, "%.2f" % ratio(p, x1) if ratio(p, x1) else fmt(p) + " us")
            else:
                p1 = median_of(res[key], "1T", "portnn")
                x1 = median_of(res[key], "1T", "xnnpack")
                text = " | %s %s" % (c.key, "%.2f" % ratio(p, x) if ratio(p, x) else fmt(p) + " us")
                sp = [("p %.2fx" % ratio(p1, p)) if ratio(p1, p) else None,
                      ("X %.2fx" % ratio(x1, x)) if ratio(x1, x) else None]
                sp = [s for s in sp if s]
                if sp:
                    text += " (%s)" % ", ".join(sp)
            if busy_flags.get((key, c.key)):
                text += "*"
            print(text, end="", flush=True)
        print(flush=True)

    load = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)
    print("\nmachine: %s, %d logical CPUs (load average %s); portnn-bench %s"
          % (cpu_model(), ncpu, " ".join("%.2f" % v for v in load), args.bench))
    print("times: wall-clock median of %d interleaved repetitions (>= %gs each), operator run "
          "only, microseconds" % (args.repetitions, args.min_time))
    if busy_flags:
        print("*: other processes used more than the CPUs the run left free (by /proc/stat) "
              "during that run: its time is unreliable (%d of %d runs)"
              % (len(busy_flags), len(others)))
    multi = [c for c in configs if c.threads > 1]
    if multi and idle:
        vals = list(idle.values())
        print("the %s runs started when the CPUs were %d-%d%% idle (waited %.0f s in all)"
              % (multi[0].key, round(min(vals) * 100), round(max(vals) * 100),
                 waiter.spent if waiter else 0))
    summary = native_tables(shapes, res, configs, best, busy_flags)
    print_summary(summary, configs, best)
    print_kernels(shapes, res, configs)

    records = []
    for key in shapes:
        for c in configs:
            got = res.get(key, {}).get(c.key, {})
            for impl in c.impls:
                r = got.get(impl)
                if not r or "median_us" not in r:
                    continue
                rec = {"target": "native", "impl": impl, "variant": r["variant"],
                       "threads": c.threads, "shape": key[1], "section": key[0],
                       "median_us": round(r["median_us"], 3), "gflops": round(r["gflops"], 4)}
                if impl == "portnn":
                    rec["kernel"] = r["kernel"]
                    rec["forced"] = c.forced
                if others.get((key, c.key)) is not None:
                    rec["others_cpus"] = round(others[(key, c.key)], 2)
                if (key, c.key) in idle:
                    rec["idle"] = idle[(key, c.key)]
                records.append(rec)
    if args.json:
        write_records(args.json, records)
        print("\nwrote %d records to %s" % (len(records), args.json))
    print("native: %.0f s" % (time.time() - start))

    if failures:
        print("\n%d benchmark(s) failed:" % len(failures), file=sys.stderr)
        for f in failures:
            print("  " + f, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
