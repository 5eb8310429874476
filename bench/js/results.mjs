// The JSON results file shared with the native harness (bench/run_native.py writes it,
// bench/combine.py reads it; scripts/bench.sh): an array of records {target, impl, variant,
// threads, shape, median_us, gflops, ...}. The JS parts append theirs; a record replaces an
// older one of the same target, implementation, variant, thread count and shape, so a rerun does
// not duplicate rows. Node only.
import fs from 'node:fs';
import path from 'node:path';

export function recordKey(r) {
  return [r.target, r.impl, r.variant, r.threads, r.shape].join('|');
}

export function appendRecords(file, records) {
  let existing = [];
  if (fs.existsSync(file)) {
    const text = fs.readFileSync(file, 'utf8');
    if (text.trim() !== '') {
      existing = JSON.parse(text);
      if (!Array.isArray(existing)) throw new Error(`${file}: not a JSON array of records`);
    }
  }
  const fresh = new Set(records.map(recordKey));
  const merged = existing.filter((r) => !fresh.has(recordKey(r))).concat(records);
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const tmp = `${file}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(merged, null, 1) + '\n');
  fs.renameSync(tmp, file);
  return merged.length;
}
