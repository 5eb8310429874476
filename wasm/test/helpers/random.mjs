// Seeded pseudo-random numbers so that every test sees the same shapes and values on every run.

/** A generator of 32-bit states (xorshift32 with a splitmix-style seed scramble). */
export class Random {
  constructor(seed) {
    let s = (seed ^ 0x9e3779b9) >>> 0;
    s = Math.imul(s ^ (s >>> 16), 0x85ebca6b) >>> 0;
    s = Math.imul(s ^ (s >>> 13), 0xc2b2ae35) >>> 0;
    this.state = (s ^ (s >>> 16)) >>> 0 || 1;
  }

  /** A uniform 32-bit unsigned integer. */
  next() {
    let x = this.state;
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    this.state = x;
    return x;
  }

  /** Uniform in [0, 1). */
  uniform() { return this.next() / 4294967296; }

  /** Uniform integer in [lo, hi] (inclusive). */
  int(lo, hi) { return lo + Math.floor(this.uniform() * (hi - lo + 1)); }

  /** True with probability p. */
  chance(p) { return this.uniform() < p; }

  /** One element of `list`. */
  pick(list) { return list[this.int(0, list.length - 1)]; }

  /** A Float32Array of n values uniform in [lo, hi). */
  floats(n, lo = -1, hi = 1) {
    const a = new Float32Array(n);
    for (let i = 0; i < n; i++) a[i] = lo + (hi - lo) * this.uniform();
    return a;
  }
}
