// Waiting for an idle machine (Node, Linux /proc/stat), for the thread speed-up runs: on a
// shared 2-core machine a second thread only helps when the other processes leave a core free,
// so these runs wait (a bounded time) for the load of others to drop, and their records say how
// idle the machine was when they started.

import fs from 'node:fs';

function readCpu() {
  const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0];  // "cpu  user nice system idle iowait ..."
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = v[3] + (v[4] || 0);
  return { idle, total: v.reduce((a, b) => a + b, 0) };
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Fraction of all CPUs idle over the next `ms` milliseconds (1 when /proc/stat is unreadable). */
export async function idleFraction(ms = 500) {
  let a;
  try {
    a = readCpu();
  } catch {
    return 1;
  }
  await sleep(ms);
  const b = readCpu();
  return b.total > a.total ? (b.idle - a.idle) / (b.total - a.total) : 1;
}

/**
 * A waiter: each call waits until the machine is at least `minIdle` idle (measured over
 * `sampleMs`) or `maxWaitMs` passed, and all calls together wait at most `budgetMs`. Resolves
 * to { idle, waited_ms }.
 */
export function idleWaiter({ minIdle = 0.85, maxWaitMs = 20000, budgetMs = 120000, sampleMs = 500 } = {}) {
  let spent = 0;
  return async () => {
    const start = Date.now();
    let idle = await idleFraction(sampleMs);
    while (idle < minIdle && Date.now() - start < maxWaitMs && spent + (Date.now() - start) < budgetMs) {
      idle = await idleFraction(sampleMs);
    }
    const waited = Date.now() - start;
    spent += waited;
    return { idle: Math.round(idle * 100) / 100, waited_ms: waited };
  };
}
