// Double-precision references of the resampling operators (op-resample.js), from the formulas
// of include/portnn.h: deconvolution as the scatter of each input pixel through the kernel.

import { clamp, dotTolerance } from './reference.mjs';

/**
 * Deconvolution, NHWC. p: { kh, kw, sh, sw, dh, dw, pt, pr, pb, pl, ah, aw, groups, gic, goc }.
 * Returns { shape, value, tolerance } clamped to [min, max], or null for an empty output.
 */
export function deconvolution2d(p, n, ih, iw, input, kernel, bias, min, max) {
  const oh = p.sh * (ih - 1) + p.ah + p.dh * (p.kh - 1) + 1 - p.pt - p.pb;
  const ow = p.sw * (iw - 1) + p.aw + p.dw * (p.kw - 1) + 1 - p.pl - p.pr;
  if (oh < 1 || ow < 1) return null;
  const cin = p.groups * p.gic;
  const cout = p.groups * p.goc;
  const size = n * oh * ow * cout;
  const acc = new Float64Array(size);
  const mag = new Float64Array(size);
  for (let i = 0; i < size; i++) {
    acc[i] = bias ? bias[i % cout] : 0;
    mag[i] = Math.abs(acc[i]);
  }
  for (let b = 0; b < n; b++) {
    for (let iy = 0; iy < ih; iy++) {
      for (let ix = 0; ix < iw; ix++) {
        for (let ky = 0; ky < p.kh; ky++) {
          const y = iy * p.sh + ky * p.dh - p.pt;
          if (y < 0 || y >= oh) continue;
          for (let kx = 0; kx < p.kw; kx++) {
            const x = ix * p.sw + kx * p.dw - p.pl;
            if (x < 0 || x >= ow) continue;
            for (let o = 0; o < cout; o++) {
              const g = Math.floor(o / p.goc);
              const xi = ((b * ih + iy) * iw + ix) * cin + g * p.gic;
              const wi = ((o * p.kh + ky) * p.kw + kx) * p.gic;
              const idx = ((b * oh + y) * ow + x) * cout + o;
              for (let ic = 0; ic < p.gic; ic++) {
                const t = input[xi + ic] * kernel[wi + ic];
                acc[idx] += t;
                mag[idx] += Math.abs(t);
              }
            }
          }
        }
      }
    }
  }
  const value = acc.map((v) => clamp(v, min, max));
  return { shape: [n, oh, ow, cout], value, tolerance: mag.map(dotTolerance) };
}
