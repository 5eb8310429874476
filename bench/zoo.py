"""The `models` section of the combined report (bench/combine.py): the public model zoo
(bench/models/README.md) on every system that left records with "section": "models" and
"shape": "models/<name>" in the results file.

bench/models/reference.mjs --time writes them: portnn natively through portnn-run ({"target":
"native", "impl": "portnn", "variant": <level>, "threads", ...}), onnxruntime-node (target
"native"), and in Node portnn's WebAssembly build through loadOnnx ({"target": "node", "impl":
"portnn", "variant": "simd" | "simd-threads"}) and onnxruntime-web (target "node"), 1 and N
threads; bench/models/chromium.mjs writes the same web rows with "target": "chromium". Every
record has "median_us", "load_ms", "peak_rss_bytes" (or null) and "disagreement" (max |out - ref|
/ max |ref| against the references; null, not checked, fails the check), as `portnn-run --json`
writes natively. Peak memory is a resident set everywhere: natively and in Node the process's
peak RSS (Node itself included), in Chromium the peak RSS of the page's renderer process (the
page, its wasm memories and worker threads; the browser process is not counted).
Printed: per model and configuration the median run time, the load time and the peak memory;
then issue 14's acceptance checks (limits in thresholds.json, "models"), each skipped with the
reason while a side has no records."""

from benchlib import geomean, ratio, render

# Columns: native first, then Node, then Chromium; portnn before its peers.
TARGETS = ("native", "node", "chromium")
IMPLS = ("portnn", "ort-node", "ort-web")


def is_zoo(record):
    return record.get("section") == "models"


def _config(r):
    return (r.get("target"), r.get("impl"), r.get("variant"), r.get("threads"))


def _order(c):
    t, i, v, n = c
    return (TARGETS.index(t) if t in TARGETS else len(TARGETS),
            IMPLS.index(i) if i in IMPLS else len(IMPLS), str(v), n or 0)


def _label(c):
    t, i, v, n = c
    shown = "" if i in ("ort-node", "ort-web") else " " + str(v)
    return "%s %s%s %dT" % (t, i, shown, n)


def _table(title, models, configs, by, value):
    print("\n== %s" % title)
    table = [["model"] + [_label(c) for c in configs]]
    for m in models:
        table.append([m] + [value(by.get((m, c))) for c in configs])
    for line in render(table, {0}):
        print(line)


def zoo_section(records, limits):
    """Prints the zoo tables and the acceptance checks; returns the checks' outcomes."""
    if not records:
        return []
    by = {}
    models = []
    for r in records:
        m = r["shape"][len("models/"):]
        if m not in models:
            models.append(m)
        by[(m, _config(r))] = r
    configs = sorted(set(_config(r) for r in records), key=_order)
    ms = lambda r, key: "-" if r is None or r.get(key) is None else "%.2f" % (r[key] / 1e3 if key == "median_us" else r[key])
    _table("models: median run time (ms), the public zoo", models, configs, by,
           lambda r: ms(r, "median_us"))
    _table("models: load time (ms)", models, configs, by, lambda r: ms(r, "load_ms"))
    _table("models: peak memory (MB; native and node: the process's peak resident set; chromium: "
           "the page's renderer process's)", models, configs, by,
           lambda r: "-" if r is None or not r.get("peak_rss_bytes") else
           "%.0f" % (r["peak_rss_bytes"] / 2 ** 20))
    return _acceptance(models, configs, by, limits)


def _acceptance(models, configs, by, limits):
    print("\n== acceptance (models)")
    outcomes = []

    def check(ok, text):
        if ok is None:
            print("  models   %s: skipped" % text)
            return
        outcomes.append(ok)
        print("  models   %s %s" % (text, "PASS" if ok else "FAIL"))

    def one(m, target, impl, threads, variant=None):
        for c in configs:
            if c[0] == target and c[1] == impl and c[3] == threads and variant in (None, c[2]):
                r = by.get((m, c))
                if r is not None:
                    return r
        return None

    def ratios(target, impl, variant, peer, key="median_us", threads=1):
        out = {}
        for m in models:
            p, o = one(m, target, impl, threads, variant), one(m, target, peer, threads)
            if p and o:
                out[m] = ratio(p.get(key), o.get(key))
        return out

    # Every record must have been checked against the references (a null: not checked).
    unchecked = sorted(set("%s %s" % (_label(c), m) for (m, c), r in by.items()
                           if r.get("disagreement") is None))
    worst = max([r["disagreement"] for r in by.values() if r.get("disagreement") is not None]
                or [0.0])
    check(not unchecked and worst <= limits.get("disagreement_max", 1e-4),
          "every output within max |out - ref| / max |ref| <= %g of the references (worst %.2g%s)"
          % (limits.get("disagreement_max", 1e-4), worst,
             "; not checked: " + ", ".join(unchecked) if unchecked else ""))
    # Native, one thread: portnn against onnxruntime-node over all models.
    q = ratios("native", "portnn", None, "ort-node")
    g = geomean(q.values()) if len(q) == len(models) else None
    limit = limits.get("ort_node_geomean_max", 0.90)
    check(None if g is None else g <= limit,
          "native portnn / onnxruntime-node, 1 thread, geometric mean over %d models: %s (<= %.2f)"
          % (len(models), "-" if g is None else "%.2f" % g, limit)
          + ("" if g is not None else " (no portnn records for every model yet)"))
    cnns = [m for m in limits.get("thread_speedup_models", []) if m in models]
    sp = {}
    for m in cnns:
        p1 = one(m, "native", "portnn", 1)
        tn = max([c[3] for c in configs if c[0] == "native" and c[1] == "portnn"] or [1])
        pn = one(m, "native", "portnn", tn) if tn > 1 else None
        if p1 and pn:
            sp[m] = ratio(p1["median_us"], pn["median_us"])
    limit = limits.get("thread_speedup_min", 1.7)
    check(None if not cnns or len(sp) < len(cnns) else all(v and v >= limit for v in sp.values()),
          "native portnn 2-thread speed-up >= %.1fx on %s: %s" % (
              limit, ", ".join(cnns) or "-",
              ", ".join("%s %.2fx" % (m, v) for m, v in sp.items()) or "no portnn records yet"))
    for target in ("node", "chromium"):
        q = ratios(target, "portnn", "simd", "ort-web")
        g = geomean(q.values()) if q and len(q) == len(models) else None
        limit = limits.get("ort_web_geomean_max", 0.70)
        check(None if g is None else g <= limit,
              "%s portnn simd / onnxruntime-web, 1 thread, geometric mean: %s (<= %.2f)%s"
              % (target, "-" if g is None else "%.2f" % g, limit,
                 "" if g is not None else " (no records for every model on both sides yet)"))
        lq = ratios(target, "portnn", "simd", "ort-web", "load_ms")
        ok = None if not lq or len(lq) < len(models) else all(v and v <= 1.0 for v in lq.values())
        check(ok, "%s portnn load time <= onnxruntime-web's on every model%s" % (
            target, "" if ok is None else ": " + ", ".join("%s %.2f" % (m, v or 0) for m, v in lq.items())))
        # Not an acceptance check: the same comparison per model and on N threads, for reading.
        if q:
            print("  models   (info) %s portnn simd / onnxruntime-web 1T per model: %s" % (
                target, ", ".join("%s %.2f" % (m, v or 0) for m, v in q.items())))
        tn = max([c[3] for c in configs if c[0] == target and c[1] == "ort-web"] or [1])
        if tn > 1:
            qn = ratios(target, "portnn", "simd-threads", "ort-web", threads=tn)
            if qn:
                print("  models   (info) %s portnn simd-threads / onnxruntime-web, %d threads: geometric mean"
                      " %.2f over %d models (%s)" % (target, tn, geomean(qn.values()), len(qn),
                                                     ", ".join("%s %.2f" % (m, v or 0) for m, v in qn.items())))
    return outcomes
