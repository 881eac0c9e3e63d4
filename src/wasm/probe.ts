// The float64 probe for the book's numerical gradient (see src/core/gradientCheck.ts), exported through kernel.ts.

import { alloc, entries0, exp64, initTables, labels0, laneMask, rowStart0, SCALE64 } from './common';
import { acc64W } from './tiles';

// ---- float64 probe for the book's numerical gradient, on one batch held as set 0 (rows 0..n-1) ----------------------
// W1 (D×Hq), b1, W2ᵀ (O×Hq), b2 with Hq rounded up to 2.
//
// The loss after nudging one parameter is what a full forward pass gives, bit for bit, but only the part the parameter
// can move is recomputed: W1[p, j] moves hidden unit j of the images whose pixel p is nonzero (zero pixels are skipped,
// so the others are untouched), b1[j] moves unit j of every image, W2 and b2 only the output layer. The recomputed unit
// repeats lane j's exact operations (wasm never fuses a multiply-add), the rest comes from the unperturbed pass, and the
// per-image terms are summed in the same order.

let PH: i32 = 0; // hidden units
let PO: i32 = 0; // outputs
let PN: i32 = 0;
let PNV: i32 = 0;
let PW1: usize = 0;
let PB1: usize = 0;
let PW2T: usize = 0;
let PB2: usize = 0;
let PROW: usize = 0;
let PLOGIT: usize = 0;
let PMASK: usize = 0;
let PZ1: usize = 0; // z1 rows at the unperturbed weights
let PBASE: usize = 0; // per-image terms at the unperturbed weights
let PWORK: usize = 0;
let PCOLSTART: usize = 0; // images whose pixel p is nonzero: PCOLROWS[PCOLSTART[p] .. PCOLSTART[p + 1])
let PCOLROWS: usize = 0;
const PMAXW: i32 = 13;

export function probeInit(d: i32, h: i32, o: i32, n: i32): void {
  initTables();
  PH = h;
  PO = o;
  PN = n;
  PNV = (h + 1) >> 1;
  const rowBytes = <usize>PNV << 4;
  PW1 = alloc(<usize>d * rowBytes);
  PB1 = alloc(rowBytes);
  PW2T = alloc(<usize>o * rowBytes);
  PB2 = alloc(<usize>(o + 1) << 3);
  PROW = alloc(rowBytes);
  PLOGIT = alloc(<usize>(o + 1) << 3);
  PMASK = alloc(16);
  laneMask(PMASK, h, 2);
  PZ1 = alloc(<usize>n * rowBytes);
  PBASE = alloc(<usize>n << 3);
  PWORK = alloc(<usize>n << 3);
  // pixel → rows, by counting
  const nnz = load<u32>(rowStart0 + (<usize>n << 2));
  PCOLSTART = alloc(<usize>(d + 1) << 2);
  PCOLROWS = alloc(<usize>max<u32>(nnz, 1) << 2);
  for (let r = 0; r < n; r++) {
    const a = load<u32>(rowStart0 + (<usize>r << 2));
    const b = load<u32>(rowStart0 + (<usize>(r + 1) << 2));
    for (let i = a; i < b; i++) {
      const p = PCOLSTART + (<usize>(load<u32>(entries0 + (<usize>i << 2)) >>> 8) << 2);
      store<u32>(p, load<u32>(p) + 1);
    }
  }
  let sum: u32 = 0;
  for (let p = 0; p <= d; p++) {
    const c = load<u32>(PCOLSTART + (<usize>p << 2));
    store<u32>(PCOLSTART + (<usize>p << 2), sum);
    sum += c;
  }
  // fill, advancing each pixel's start, then shift the starts back
  for (let r = 0; r < n; r++) {
    const a = load<u32>(rowStart0 + (<usize>r << 2));
    const b = load<u32>(rowStart0 + (<usize>(r + 1) << 2));
    for (let i = a; i < b; i++) {
      const p = PCOLSTART + (<usize>(load<u32>(entries0 + (<usize>i << 2)) >>> 8) << 2);
      const at = load<u32>(p);
      store<u32>(PCOLROWS + (<usize>at << 2), r);
      store<u32>(p, at + 1);
    }
  }
  for (let p = d; p > 0; p--) store<u32>(PCOLSTART + (<usize>p << 2), load<u32>(PCOLSTART + (<usize>(p - 1) << 2)));
  store<u32>(PCOLSTART, 0);
}

/** Addresses for the loader: 0 W1, 1 b1, 2 W2ᵀ, 3 b2. */
export function probePtr(which: i32): usize {
  switch (which) {
    case 0: return PW1;
    case 1: return PB1;
    case 2: return PW2T;
    case 3: return PB2;
    default: return 0;
  }
}

/** z1 of batch image r into z: sigmoid(x·W1 + b1), padded lane 0. */
function probeHidden(r: i32, z: usize): void {
  const stride = <usize>PNV << 4;
  const e = entries0 + (<usize>load<u32>(rowStart0 + (<usize>r << 2)) << 2);
  const end = entries0 + (<usize>load<u32>(rowStart0 + (<usize>(r + 1) << 2)) << 2);
  for (let c = 0; c < PNV; ) {
    const w = min(PMAXW, PNV - c);
    const off = <usize>c << 4;
    acc64W(w, e, end, PW1 + off, stride, PB1 + off, z + off, SCALE64);
    c += w;
  }
  const one = f64x2.splat(1.0);
  for (let v = 0; v < PNV; v++) {
    const p = z + (<usize>v << 4);
    v128.store(p, f64x2.div(one, f64x2.add(one, exp64(f64x2.neg(v128.load(p))))));
  }
  const last = z + (<usize>(PNV - 1) << 4);
  v128.store(last, v128.and(v128.load(last), v128.load(PMASK)));
}

/** Hidden unit j of image r alone: the same operations in the same order as lane j of probeHidden. */
function probeHiddenUnit(r: i32, j: i32): f64 {
  const stride = <usize>PNV << 4;
  const col = PW1 + (<usize>j << 3);
  let e = entries0 + (<usize>load<u32>(rowStart0 + (<usize>r << 2)) << 2);
  const end = entries0 + (<usize>load<u32>(rowStart0 + (<usize>(r + 1) << 2)) << 2);
  let a = load<f64>(PB1 + (<usize>j << 3));
  for (; e < end; e += 4) {
    const x = load<u32>(e);
    a = a + load<f64>(SCALE64 + ((<usize>x & 255) << 3)) * load<f64>(col + <usize>(x >>> 8) * stride);
  }
  const one = f64x2.splat(1.0);
  return f64x2.extract_lane(f64x2.div(one, f64x2.add(one, exp64(f64x2.neg(f64x2.splat(a))))), 0);
}

/** log(y[r, t_r] + delta) from image r's hidden row z: a2 = z1·W2 + b2, then the book's softmax. */
function probeHead(r: i32, z: usize, delta: f64): f64 {
  const stride = <usize>PNV << 4;
  let m: f64 = -Infinity;
  for (let o = 0; o < PO; o++) {
    const w = PW2T + <usize>o * stride;
    let acc = f64x2.splat(0);
    for (let v = 0; v < PNV; v++) {
      const off = <usize>v << 4;
      acc = f64x2.add(acc, f64x2.mul(v128.load(z + off), v128.load(w + off)));
    }
    const a = (f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1)) + load<f64>(PB2 + (<usize>o << 3));
    store<f64>(PLOGIT + (<usize>o << 3), a);
    m = max(m, a);
  }
  const ov = (PO + 1) >> 1;
  for (let o = 0; o < ov * 2; o++) {
    const p = PLOGIT + (<usize>o << 3);
    store<f64>(p, o < PO ? load<f64>(p) - m : -1000.0);
  }
  for (let v = 0; v < ov; v++) {
    const p = PLOGIT + (<usize>v << 4);
    v128.store(p, exp64(v128.load(p)));
  }
  let s: f64 = 0;
  for (let o = 0; o < PO; o++) s += load<f64>(PLOGIT + (<usize>o << 3));
  const t = <usize>load<u8>(labels0 + <usize>r);
  return Math.log(load<f64>(PLOGIT + (t << 3)) / s + delta);
}

function probeSum(terms: usize): f64 {
  let s: f64 = 0;
  for (let r = 0; r < PN; r++) s += load<f64>(terms + (<usize>r << 3));
  return -s / <f64>PN;
}

/** The batch loss by a full forward pass; with `base`, also keeps each image's z1 and term as the unperturbed pass. */
export function probeLoss(delta: f64, base: bool): f64 {
  const out = base ? PBASE : PWORK;
  const rowBytes = <usize>PNV << 4;
  for (let r = 0; r < PN; r++) {
    probeHidden(r, PROW);
    if (base) memory.copy(PZ1 + <usize>r * rowBytes, PROW, rowBytes);
    store<f64>(out + (<usize>r << 3), probeHead(r, PROW, delta));
  }
  return probeSum(out);
}

/** Image r's term with hidden unit j recomputed (j < 0: hidden row unchanged) and everything else as unperturbed. */
function probeTerm(r: i32, j: i32, delta: f64): f64 {
  const rowBytes = <usize>PNV << 4;
  memory.copy(PROW, PZ1 + <usize>r * rowBytes, rowBytes);
  if (j >= 0) store<f64>(PROW + (<usize>j << 3), probeHiddenUnit(r, j));
  return probeHead(r, PROW, delta);
}

/** The batch loss after a change to W1[p, j] (p ≥ 0), b1[j] (p < 0, j ≥ 0) or the output layer (both < 0). */
function probeLossAfter(p: i32, j: i32, delta: f64): f64 {
  if (p >= 0) {
    memory.copy(PWORK, PBASE, <usize>PN << 3);
    const a = load<u32>(PCOLSTART + (<usize>p << 2));
    const b = load<u32>(PCOLSTART + (<usize>(p + 1) << 2));
    for (let i = a; i < b; i++) {
      const r = <i32>load<u32>(PCOLROWS + (<usize>i << 2));
      store<f64>(PWORK + (<usize>r << 3), probeTerm(r, j, delta));
    }
  } else {
    for (let r = 0; r < PN; r++) store<f64>(PWORK + (<usize>r << 3), probeTerm(r, j, delta));
  }
  return probeSum(PWORK);
}

/**
 * The book's numerical_gradient (central difference, restoring each element) for flat indices [from, to) of one tensor
 * (0 W1, 1 b1, 2 W2, 3 b2, each in the book's row-major layout) into out (float64, indexed like the tensor).
 * `partial` recomputes only what the element can move (call probeLoss(delta, true) first); the loss values are those
 * of a full forward pass either way.
 */
export function probeNumericalGradient(which: i32, from: i32, to: i32, h: f64, delta: f64, partial: bool, out: usize): void {
  const hq = PNV << 1;
  for (let i = from; i < to; i++) {
    let addr: usize;
    let pixel = -1;
    let unit = -1;
    if (which == 0) {
      pixel = i / PH;
      unit = i % PH;
      addr = PW1 + (<usize>(pixel * hq + unit) << 3);
    } else if (which == 1) {
      unit = i;
      addr = PB1 + (<usize>i << 3);
    } else if (which == 2) {
      addr = PW2T + (<usize>((i % PO) * hq + i / PO) << 3);
    } else {
      addr = PB2 + (<usize>i << 3);
    }
    const tmp = load<f64>(addr);
    store<f64>(addr, tmp + h);
    const f1 = partial ? probeLossAfter(pixel, unit, delta) : probeLoss(delta, false);
    store<f64>(addr, tmp - h);
    const f2 = partial ? probeLossAfter(pixel, unit, delta) : probeLoss(delta, false);
    store<f64>(addr, tmp);
    store<f64>(out + (<usize>i << 3), (f1 - f2) / (2 * h));
  }
}
