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

// Resize: each input coordinate as an exact rational [num, den] of integers (exact in doubles
// for the test sizes), rounded and split exactly.
function coordinate(mode, x, inSize, outSize) {
  switch (mode) {
    case 'pytorch_half_pixel':
      return outSize > 1 ? [(2 * x + 1) * inSize - outSize, 2 * outSize] : [0, 1];
    case 'align_corners':
      return outSize > 1 ? [x * (inSize - 1), outSize - 1] : [0, 1];
    case 'asymmetric':
      return [x * inSize, outSize];
    default:
      return [(2 * x + 1) * inSize - outSize, 2 * outSize];
  }
}

function nearest(mode, [num, den], inSize) {
  const i = mode === 'round_prefer_ceil' ? Math.floor((2 * num + den) / (2 * den))
    : mode === 'floor' ? Math.floor(num / den)
    : mode === 'ceil' ? Math.ceil(num / den)
    : Math.ceil((2 * num - den) / (2 * den));
  return Math.min(Math.max(i, 0), inSize - 1);
}

function cell([num, den], inSize) {
  if (num <= 0) return [0, Math.min(1, inSize - 1), 0];
  if (num >= (inSize - 1) * den) return [inSize - 1, inSize - 1, 0];
  const i0 = Math.floor(num / den);
  return [i0, i0 + 1, (num - i0 * den) / den];
}

/**
 * Resize, NHWC. p: { channels, mode, coordinateTransformationMode, nearestMode } (JS names).
 * Returns { shape, value, tolerance } (nearest: exact; bilinear: 10 half-ulps of the corners'
 * magnitude sum, as tests/reference/resize-reference.h derives).
 */
export function resize2d(p, [n, ih, iw, c], [oh, ow], input) {
  const mode = p.coordinateTransformationMode ?? 'half_pixel';
  const size = n * oh * ow * c;
  const value = new Float64Array(size);
  const tolerance = p.mode === 'bilinear' ? new Float64Array(size) : null;
  const at = (b, y, x, ch) => input[((b * ih + y) * iw + x) * c + ch];
  for (let b = 0; b < n; b++) {
    for (let y = 0; y < oh; y++) {
      const cy = coordinate(mode, y, ih, oh);
      for (let x = 0; x < ow; x++) {
        const cx = coordinate(mode, x, iw, ow);
        for (let ch = 0; ch < c; ch++) {
          const o = ((b * oh + y) * ow + x) * c + ch;
          if (p.mode !== 'bilinear') {
            const m = p.nearestMode ?? 'round_prefer_floor';
            value[o] = at(b, nearest(m, cy, ih), nearest(m, cx, iw), ch);
            continue;
          }
          const [y0, y1, ty] = cell(cy, ih);
          const [x0, x1, tx] = cell(cx, iw);
          const corners = [at(b, y0, x0, ch), at(b, y0, x1, ch), at(b, y1, x0, ch), at(b, y1, x1, ch)];
          value[o] = corners[0] * (1 - ty) * (1 - tx) + corners[1] * (1 - ty) * tx +
                     corners[2] * ty * (1 - tx) + corners[3] * ty * tx;
          tolerance[o] = 10 * 2 ** -24 * corners.reduce((s, v) => s + Math.abs(v), 0);
        }
      }
    }
  }
  return { shape: [n, oh, ow, c], value, tolerance };
}
