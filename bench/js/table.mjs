// Text tables of one target's records (Node or a browser page): one table per suite section,
// portnn against its peers shape by shape, with ratios and their geometric means.
//
// Ratios pair like with like:
//   portnn/tfjs = portnn op    / TF.js op call    (both: data already in wasm memory, no readback)
//   portnn/ort  = portnn run() / ORT session.run (both: copy in, run, copy out into a reused buffer)
// < 1 means portnn is faster. Peers on one thread pair with the "main" portnn configuration
// (variant simd, one thread, when it ran, else the first portnn configuration); peers on N threads
// with portnn simd-threads on N threads.

import { SECTIONS } from './suite.mjs';

export function configKey(r) {
  return `${r.impl}|${r.variant}|${r.threads}`;
}

export function configLabel(r) {
  if (r.impl === 'portnn') return r.variant === 'simd-threads' ? `portnn ${r.variant} ${r.threads}T` : `portnn ${r.variant}`;
  if (r.impl === 'tfjs-wasm') return r.variant === 'threaded-simd' ? `tfjs ${r.variant} ${r.threads}T` : `tfjs ${r.variant}`;
  if (r.impl === 'ort-web') return `ort ${r.threads}T`;
  return `${r.impl} ${r.variant} ${r.threads}T`;
}

const IMPL_ORDER = { portnn: 0, 'tfjs-wasm': 1, 'ort-web': 2 };
const VARIANT_ORDER = { simd: 0, 'relaxed-simd': 0.5, 'simd-threads': 1, 'threaded-simd': 1, scalar: 2, 'simd-threaded': 0 };

function compareConfigs(a, b) {
  return (IMPL_ORDER[a.impl] ?? 9) - (IMPL_ORDER[b.impl] ?? 9) ||
         (VARIANT_ORDER[a.variant] ?? 9) - (VARIANT_ORDER[b.variant] ?? 9) || a.threads - b.threads;
}

/** Records of `earlier` whose configuration `later` does not have, then `later` (two pages' runs). */
export function mergeRecords(earlier, later) {
  const keys = new Set(later.map(configKey));
  return earlier.filter((r) => !keys.has(configKey(r))).concat(later);
}

export function geomean(values) {
  const v = values.filter((x) => x > 0 && Number.isFinite(x));
  if (v.length === 0) return null;
  return Math.exp(v.reduce((s, x) => s + Math.log(x), 0) / v.length);
}

function fmt(x, digits = 1) {
  if (x === null || x === undefined || !Number.isFinite(x)) return '-';
  if (x >= 1e5) return x.toFixed(0);
  return x.toFixed(digits);
}

/**
 * The analysis shared by the text table and the page's chart: configurations, the main portnn
 * configuration, per-shape rows with ratios, per-section geometric means.
 */
export function analyze(records) {
  // Peers measured as the partner of one portnn variant (plan.mjs: pairedWith) serve only the
  // ratio column of that variant.
  const paired = records.filter((r) => r.pairedWith);
  records = records.filter((r) => !r.pairedWith);
  const configs = new Map();
  for (const r of records) if (!configs.has(configKey(r))) configs.set(configKey(r), { impl: r.impl, variant: r.variant, threads: r.threads });
  const list = [...configs.values()].sort(compareConfigs);
  const portnns = list.filter((c) => c.impl === 'portnn');
  const main = portnns.find((c) => c.variant === 'simd' && c.threads === 1) || portnns[0] || null;
  const tfjs = list.filter((c) => c.impl === 'tfjs-wasm');
  const ort = list.filter((c) => c.impl === 'ort-web');
  const t1 = portnns.find((c) => c.variant === 'simd-threads' && c.threads === 1);
  const tn = portnns.filter((c) => c.variant === 'simd-threads' && c.threads > 1).pop();
  const byShape = new Map();
  for (const r of records) {
    if (!byShape.has(r.shape)) byShape.set(r.shape, { shape: r.shape, section: r.section, results: new Map() });
    byShape.get(r.shape).results.set(configKey(r), r);
  }
  // Each peer configuration is paired with the portnn configuration of its thread count: one
  // thread with the main one, N threads with simd-threads on N threads.
  const partner = (peer) => (peer.threads === 1 ? main
    : portnns.find((c) => c.variant === 'simd-threads' && c.threads === peer.threads) || null);
  const ratioColumns = [];
  const short = (c) => (c === main ? 'portnn' : configLabel(c));
  for (const c of tfjs) {
    const p = partner(c);
    if (p) ratioColumns.push({ label: `${short(p)}/${configLabel(c)}`, peer: c, portnn: p, field: 'median_us', mine: 'median_us' });
  }
  // portnn relaxed-simd (browsers with relaxed SIMD), one thread, against the TF.js simd run next
  // to it, and against portnn simd.
  const relaxed = portnns.find((c) => c.variant === 'relaxed-simd' && c.threads === 1);
  const relaxedPeer = paired.find((r) => r.pairedWith === 'relaxed-simd');
  if (relaxed && relaxedPeer) {
    const c = { impl: relaxedPeer.impl, variant: relaxedPeer.variant, threads: relaxedPeer.threads };
    ratioColumns.push({ label: `${configLabel(relaxed)}/${configLabel(c)}`, peer: c, portnn: relaxed, field: 'median_us', mine: 'median_us', pairedWith: 'relaxed-simd' });
  }
  if (relaxed && main && main !== relaxed) {
    ratioColumns.push({ label: `${configLabel(relaxed)}/${configLabel(main)}`, peer: main, portnn: relaxed, field: 'median_us', mine: 'median_us' });
  }
  for (const c of ort) {
    const p = partner(c);
    if (p) ratioColumns.push({ label: `${short(p)} run()/${configLabel(c)}`, peer: c, portnn: p, field: 'median_us', mine: 'run_us' });
  }
  const rows = [];
  for (const row of byShape.values()) {
    row.ratios = ratioColumns.map((col) => {
      const mr = row.results.get(configKey(col.portnn));
      const p = col.pairedWith
        ? paired.find((r) => r.pairedWith === col.pairedWith && r.shape === row.shape && configKey(r) === configKey(col.peer))
        : row.results.get(configKey(col.peer));
      // A record without a separate run() figure (a whole model: its figure is the run() call).
      const mine = mr ? (mr[col.mine] ?? mr.median_us) : undefined;
      return mr && p && mine > 0 && p[col.field] > 0 ? mine / p[col.field] : null;
    });
    if (t1 && tn) {
      const a = row.results.get(configKey(t1));
      const b = row.results.get(configKey(tn));
      row.speedup = a && b && b.median_us > 0 ? a.median_us / b.median_us : null;
    }
    rows.push(row);
  }
  const sections = {};
  for (const section of new Set(rows.map((r) => r.section))) {
    const rs = rows.filter((r) => r.section === section);
    if (rs.length === 0) continue;
    sections[section] = ratioColumns.map((_, i) => geomean(rs.map((r) => r.ratios[i])));
  }
  const groups = { 'gemm+conv': ['gemm', 'conv'], 'pool+elementwise': ['pool', 'elementwise'] };
  const combined = {};
  for (const [name, secs] of Object.entries(groups)) {
    const rs = rows.filter((r) => secs.includes(r.section));
    if (rs.length) combined[name] = ratioColumns.map((_, i) => geomean(rs.map((r) => r.ratios[i])));
  }
  return { configs: list, main, ratioColumns, rows, sections, combined, t1, tn };
}

function render(table, leftColumns) {
  const widths = table[0].map((_, i) => Math.max(...table.map((r) => r[i].length)));
  const lines = [];
  table.forEach((r, n) => {
    lines.push(r.map((c, i) => (leftColumns.has(i) ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd());
    if (n === 0) lines.push(widths.map((w) => '-'.repeat(w)).join('  '));
  });
  return lines;
}

/** The text report: one table per section, then the geometric means. */
export function formatTables(records, { title = '', includes = [] } = {}) {
  const a = analyze(records);
  const out = [];
  if (title) out.push(title);
  for (const line of includes) out.push(line);
  out.push('times: median microseconds per call; GFLOP/s counts 2*MACs (gemm/conv) or one op per element visited.');
  out.push('ratios < 1: portnn faster. portnn/tfjs compares op with op call (data in wasm memory, no readback);');
  out.push('portnn run()/ort compares the public calls that copy in and out (reused output buffers); ort runs NCHW models.');
  for (const section of SECTIONS) {
    const rows = a.rows.filter((r) => r.section === section);
    if (rows.length === 0) continue;
    const header = ['shape'];
    for (const c of a.configs) {
      header.push(`${configLabel(c)} us`);
      if (c === a.main) header.push('run() us');
    }
    for (const col of a.ratioColumns) header.push(col.label);
    if (a.t1 && a.tn) header.push(`${a.tn.threads}T speed-up`);
    header.push(a.main ? `${configLabel(a.main)} GFLOP/s` : 'GFLOP/s');
    header.push('check');
    const table = [header];
    for (const row of rows) {
      const line = [row.shape];
      for (const c of a.configs) {
        const r = row.results.get(configKey(c));
        line.push(r ? fmt(r.median_us) : 'FAILED');
        if (c === a.main) line.push(r ? fmt(r.run_us) : '-');
      }
      for (const x of row.ratios) line.push(x === null ? '-' : x.toFixed(2));
      if (a.t1 && a.tn) line.push(row.speedup ? `${row.speedup.toFixed(2)}x` : '-');
      const mr = a.main ? row.results.get(configKey(a.main)) : null;
      line.push(mr ? fmt(mr.gflops, 2) : '-');
      const bad = [...row.results.values()].filter((r) => r.check && r.check !== 'ok');
      line.push(bad.length ? bad.map((r) => `${configLabel(r)} ${r.check}`).join('; ') : 'ok');
      table.push(line);
    }
    out.push('');
    out.push(`== ${section}`);
    out.push(...render(table, new Set([0, header.length - 1])));
    const g = a.sections[section];
    if (g && g.length) {
      out.push('geometric mean: ' + a.ratioColumns.map((c, i) => `${c.label} ${g[i] === null ? '-' : g[i].toFixed(2)}`).join(', '));
    }
  }
  const idle = records.filter((r) => typeof r.idle === 'number');
  if (idle.length) {
    const v = idle.map((r) => r.idle);
    const waited = idle.filter((r) => r.threads > 1).reduce((t, r) => t + (r.waited_ms || 0), 0);
    out.push('');
    out.push(`thread runs: the machine was ${Math.round(Math.min(...v) * 100)}-${Math.round(Math.max(...v) * 100)}% idle ` +
             `when their shapes started (waited ${(waited / 1000).toFixed(0)} s for idle CPUs in all)`);
  }
  if (Object.keys(a.combined).length && a.ratioColumns.length) {
    out.push('');
    for (const [name, g] of Object.entries(a.combined)) {
      out.push(`geometric mean over ${name}: ` + a.ratioColumns.map((c, i) => `${c.label} ${g[i] === null ? '-' : g[i].toFixed(2)}`).join(', '));
    }
  }
  return out.join('\n');
}
