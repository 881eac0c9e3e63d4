// The book's TwoLayerNet (chapter 4) in wasm SIMD128, driven by src/core/fastKernel.ts.
// Training and evaluation run in float32 (4 lanes); the numerical-gradient probe runs in float64, because a central
// difference with h = 1e-4 needs the loss to many more digits than float32 holds. No relaxed SIMD: Node 20 needs a flag.
//
// Images live here once, as the list of their nonzero pixels (MNIST is ~80% zeros), so X·W1 and Xᵀ·dZ1 skip exactly
// the products that are 0 and every sum stays the same. Hidden rows are padded to whole vectors; padded lanes are kept 0.

import { acc32W, acc64W, scatter32W } from './tiles';

// Bumped whenever an export changes meaning, so the loader refuses a stale dist/kernel.wasm instead of misreading it.
const ABI: i32 = 1;

export function abiVersion(): i32 {
  return ABI;
}

// ---- memory: a bump allocator; nothing is ever freed (one instance per kernel, sized once) ----------------------

let top: usize = (__heap_base + 15) & ~(<usize>15);

export function alloc(bytes: usize): usize {
  const p = top;
  top = (top + bytes + 15) & ~(<usize>15);
  const pages = <i32>((top + 0xffff) >>> 16);
  const have = memory.size();
  if (pages > have && memory.grow(pages - have) < 0) unreachable();
  return p;
}

// float32(v / 255) as the book's load_mnist(normalize=True), and the same values widened to float64.
let SCALE32: usize = 0;
let SCALE64: usize = 0;

function initTables(): void {
  if (SCALE32 != 0) return;
  SCALE32 = alloc(256 * 4);
  SCALE64 = alloc(256 * 8);
  for (let v = 0; v < 256; v++) {
    const f = <f32>(<f64>v / 255.0);
    store<f32>(SCALE32 + (<usize>v << 2), f);
    store<f64>(SCALE64 + (<usize>v << 3), <f64>f);
  }
}

// ---- image sets: 0 = training set (or a gradient batch), 1 = test set -------------------------------------------
// Row r's nonzero pixels are entries[rowStart[r] .. rowStart[r + 1]), each (pixel << 8) | value.

let rowStart0: usize = 0;
let entries0: usize = 0;
let labels0: usize = 0;
let count0: i32 = 0;
let rowStart1: usize = 0;
let entries1: usize = 0;
let labels1: usize = 0;
let count1: i32 = 0;

export function setData(which: i32, rowStart: usize, entries: usize, labels: usize, count: i32): void {
  if (which == 0) {
    rowStart0 = rowStart;
    entries0 = entries;
    labels0 = labels;
    count0 = count;
  } else {
    rowStart1 = rowStart;
    entries1 = entries;
    labels1 = labels;
    count1 = count;
  }
}

/** Nonzero bytes in pix[0 .. bytes). */
export function countNonzero(pix: usize, bytes: usize): u32 {
  const zero = i8x16.splat(0);
  let n: u32 = 0;
  let i: usize = 0;
  for (; i + 16 <= bytes; i += 16) n += <u32>popcnt<i32>(i8x16.bitmask(i8x16.ne(v128.load(pix + i), zero)));
  for (; i < bytes; i++) if (load<u8>(pix + i) != 0) n++;
  return n;
}

/** Appends `rows` images of `size` pixels from pix as entries starting at index `at`; returns the new end. */
export function encodeRows(pix: usize, rows: i32, size: i32, rowStart: usize, firstRow: i32, entries: usize, at: u32): u32 {
  const zero = i8x16.splat(0);
  for (let r = 0; r < rows; r++) {
    store<u32>(rowStart + (<usize>(firstRow + r) << 2), at);
    const base = pix + <usize>r * <usize>size;
    let p = 0;
    for (; p + 16 <= size; p += 16) {
      let m = i8x16.bitmask(i8x16.ne(v128.load(base + <usize>p), zero));
      while (m != 0) {
        const q = p + ctz<i32>(m);
        store<u32>(entries + (<usize>at << 2), (<u32>q << 8) | <u32>load<u8>(base + <usize>q));
        at++;
        m &= m - 1;
      }
    }
    for (; p < size; p++) {
      const v = load<u8>(base + <usize>p);
      if (v != 0) {
        store<u32>(entries + (<usize>at << 2), (<u32>p << 8) | <u32>v);
        at++;
      }
    }
  }
  return at;
}

// ---- vector math ---------------------------------------------------------------------------------------------------

// exp by 2^k · e^r with |r| ≤ ln2/2 and a Taylor polynomial, within ~2 ulp; the clamp keeps 2^k a normal number.
// @ts-ignore: decorator
@inline function exp32(x: v128): v128 {
  const shift = f32x4.splat(<f32>12582912.0); // 1.5 · 2^23: adding it rounds to an integer held in the low mantissa bits
  x = f32x4.min(f32x4.max(x, f32x4.splat(<f32>-87.0)), f32x4.splat(<f32>88.0));
  const t = f32x4.add(f32x4.mul(x, f32x4.splat(<f32>1.4426950408889634)), shift);
  const k = f32x4.sub(t, shift);
  let r = f32x4.sub(x, f32x4.mul(k, f32x4.splat(<f32>0.693359375)));
  r = f32x4.sub(r, f32x4.mul(k, f32x4.splat(<f32>-2.12194440e-4)));
  let p = f32x4.splat(<f32>(1.0 / 5040.0));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(<f32>(1.0 / 720.0)));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(<f32>(1.0 / 120.0)));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(<f32>(1.0 / 24.0)));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(<f32>(1.0 / 6.0)));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(<f32>0.5));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(<f32>1.0));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(<f32>1.0));
  return f32x4.mul(p, i32x4.shl(i32x4.add(t, i32x4.splat(127)), 23));
}

// The same in float64, to full double precision (degree 13), so the probe's loss is smooth to ~1e-16.
// @ts-ignore: decorator
@inline function exp64(x: v128): v128 {
  const shift = f64x2.splat(6755399441055744.0); // 1.5 · 2^52
  x = f64x2.min(f64x2.max(x, f64x2.splat(-708.0)), f64x2.splat(709.0));
  const t = f64x2.add(f64x2.mul(x, f64x2.splat(1.4426950408889634)), shift);
  const k = f64x2.sub(t, shift);
  let r = f64x2.sub(x, f64x2.mul(k, f64x2.splat(6.93147180369123816490e-1)));
  r = f64x2.sub(r, f64x2.mul(k, f64x2.splat(1.90821492927058770002e-10)));
  let p = f64x2.splat(1.0 / 6227020800.0);
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 479001600.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 39916800.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 3628800.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 362880.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 40320.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 5040.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 720.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 120.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 24.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 6.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(0.5));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0));
  return f64x2.mul(p, i64x2.shl(i64x2.add(t, i64x2.splat(1023)), 52));
}

// @ts-ignore: decorator
@inline function hsum32(v: v128): f32 {
  return (f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1)) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

// ---- float32 network: W1 (D×Hp), b1 (Hp), W2ᵀ (O×Hp), b2 (Op) with Hp, Op rounded up to 4 ---------------------------

let D: i32 = 0;
let H: i32 = 0;
let NV: i32 = 0; // vectors per hidden row
let O: i32 = 0;
let OV: i32 = 0; // vectors per output row
let W1: usize = 0;
let B1: usize = 0;
let W2T: usize = 0;
let B2: usize = 0;
let GB1: usize = 0;
let GW2T: usize = 0;
let GB2: usize = 0;
let MASK32: usize = 0; // keeps the real lanes of a hidden row's last vector
let ROW: usize = 0; // one hidden row, for evaluation
let LOGIT: usize = 0;
let Z: usize = 0; // z1 rows of the batch
let DZ: usize = 0; // dZ1 rows
let Y: usize = 0; // softmax rows, then dy
let IDX: usize = 0; // the batch's row indices, written by the loader
let BCAP: i32 = 0;
// Widest register tile, in vectors: 13 covers the book's 50 hidden units in one pass over the pixels and is the most
// V8 keeps in registers (15 usable) next to the broadcast value and one loaded vector.
const MAXW: i32 = 13;

function laneMask(p: usize, real: i32, lanes: i32): void {
  for (let i = 0; i < lanes; i++) {
    const keep = real % lanes == 0 || i < real % lanes;
    if (lanes == 4) store<i32>(p + (<usize>i << 2), keep ? -1 : 0);
    else store<i64>(p + (<usize>i << 3), keep ? -1 : 0);
  }
}

export function netInit(d: i32, h: i32, o: i32): void {
  initTables();
  D = d;
  H = h;
  NV = (h + 3) >> 2;
  O = o;
  OV = (o + 3) >> 2;
  const rowBytes = <usize>NV << 4;
  W1 = alloc(<usize>D * rowBytes);
  B1 = alloc(rowBytes);
  GB1 = alloc(rowBytes);
  W2T = alloc(<usize>O * rowBytes);
  GW2T = alloc(<usize>O * rowBytes);
  B2 = alloc(<usize>OV << 4);
  GB2 = alloc(<usize>OV << 4);
  ROW = alloc(rowBytes);
  LOGIT = alloc(<usize>OV << 4);
  MASK32 = alloc(16);
  laneMask(MASK32, H, 4);
}

export function ensureBatch(b: i32): void {
  if (b <= BCAP) return;
  Z = alloc(<usize>b * (<usize>NV << 4));
  DZ = alloc(<usize>b * (<usize>NV << 4));
  Y = alloc(<usize>b * (<usize>OV << 4));
  IDX = alloc(<usize>b << 2);
  BCAP = b;
}

/** Addresses for the loader: 0 W1, 1 b1, 2 W2ᵀ, 3 b2, 4 batch indices. */
export function ptr(which: i32): usize {
  switch (which) {
    case 0: return W1;
    case 1: return B1;
    case 2: return W2T;
    case 3: return B2;
    case 4: return IDX;
    default: return 0;
  }
}

/** z1 = sigmoid(x·W1 + b1) for one image, padded lanes 0. */
function hidden32(e: usize, end: usize, z: usize): void {
  const stride = <usize>NV << 4;
  for (let c = 0; c < NV; ) {
    const w = min(MAXW, NV - c);
    const off = <usize>c << 4;
    acc32W(w, e, end, W1 + off, stride, B1 + off, z + off, SCALE32);
    c += w;
  }
  const one = f32x4.splat(1.0);
  for (let v = 0; v < NV; v++) {
    const p = z + (<usize>v << 4);
    v128.store(p, f32x4.div(one, f32x4.add(one, exp32(f32x4.neg(v128.load(p))))));
  }
  const last = z + (<usize>(NV - 1) << 4);
  v128.store(last, v128.and(v128.load(last), v128.load(MASK32)));
}

/** a2 = z1·W2 + b2 into out[0..O). */
function logits32(z: usize, out: usize): void {
  const stride = <usize>NV << 4;
  for (let o = 0; o < O; o++) {
    const w = W2T + <usize>o * stride;
    let acc = f32x4.splat(0);
    for (let v = 0; v < NV; v++) {
      const off = <usize>v << 4;
      acc = f32x4.add(acc, f32x4.mul(v128.load(z + off), v128.load(w + off)));
    }
    store<f32>(out + (<usize>o << 2), hsum32(acc) + load<f32>(B2 + (<usize>o << 2)));
  }
}

/** softmax of a2 (in y[0..O)) in place, as the book: subtract the row max, exp, divide by the sum. Padded lanes end 0. */
function softmax32(y: usize): void {
  let m = load<f32>(y);
  for (let o = 1; o < O; o++) m = max(m, load<f32>(y + (<usize>o << 2)));
  for (let o = 0; o < OV * 4; o++) {
    const p = y + (<usize>o << 2);
    store<f32>(p, o < O ? load<f32>(p) - m : -100.0);
  }
  for (let v = 0; v < OV; v++) {
    const p = y + (<usize>v << 4);
    v128.store(p, exp32(v128.load(p)));
  }
  let s: f32 = 0;
  for (let o = 0; o < O; o++) s += load<f32>(y + (<usize>o << 2));
  const sv = f32x4.splat(s);
  for (let v = 0; v < OV; v++) {
    const p = y + (<usize>v << 4);
    v128.store(p, f32x4.div(v128.load(p), sv));
  }
  for (let o = O; o < OV * 4; o++) store<f32>(y + (<usize>o << 2), 0);
}

// Loads one word of every cache line the batch will read, all independent of each other, so the misses on randomly
// chosen images overlap instead of stalling one after another inside the arithmetic. Returns a value so it is kept.
function touchBatch(n: i32): u32 {
  let sink: u32 = 0;
  for (let r = 0; r < n; r++) {
    const k = <usize>load<i32>(IDX + (<usize>r << 2));
    sink ^= load<u32>(rowStart0 + (k << 2)) ^ <u32>load<u8>(labels0 + k);
  }
  for (let r = 0; r < n; r++) {
    const k = <usize>load<i32>(IDX + (<usize>r << 2));
    let e = entries0 + (<usize>load<u32>(rowStart0 + (k << 2)) << 2);
    const end = entries0 + (<usize>load<u32>(rowStart0 + (k << 2) + 4) << 2);
    for (; e < end; e += 64) sink ^= load<u32>(e);
  }
  return sink;
}

let SINK: u32 = 0;

function forward32(n: i32): void {
  const zb = <usize>NV << 4;
  const yb = <usize>OV << 4;
  for (let r = 0; r < n; r++) {
    const k = <usize>load<i32>(IDX + (<usize>r << 2));
    const e = entries0 + (<usize>load<u32>(rowStart0 + (k << 2)) << 2);
    const end = entries0 + (<usize>load<u32>(rowStart0 + (k << 2) + 4) << 2);
    const z = Z + <usize>r * zb;
    const y = Y + <usize>r * yb;
    hidden32(e, end, z);
    logits32(z, y);
    softmax32(y);
  }
}

/** -sum(log(y[r, t_r] + delta)) / n, in float64 like the book's float64 loss. */
function loss32(n: i32, delta: f64): f64 {
  const yb = <usize>OV << 4;
  let s: f64 = 0;
  for (let r = 0; r < n; r++) {
    const k = <usize>load<i32>(IDX + (<usize>r << 2));
    const t = <usize>load<u8>(labels0 + k);
    s += Math.log(<f64>load<f32>(Y + <usize>r * yb + (t << 2)) + delta);
  }
  return -s / <f64>n;
}

/** Loss of the batch at the current weights (no update). */
export function batchLoss(n: i32, delta: f64): f64 {
  SINK ^= touchBatch(n);
  forward32(n);
  return loss32(n, delta);
}

/** One SGD step on the n images listed at IDX, then the loss on the same batch after the update (the book's order). */
export function step(n: i32, lr: f64, delta: f64): f64 {
  SINK ^= touchBatch(n);
  forward32(n);
  const zb = <usize>NV << 4;
  const yb = <usize>OV << 4;
  memory.fill(GW2T, 0, <usize>O * zb);
  memory.fill(GB1, 0, zb);
  memory.fill(GB2, 0, yb);
  const fn = <f32>n;
  const one = f32x4.splat(1.0);
  const nlr = f32x4.splat(<f32>-lr);
  for (let r = 0; r < n; r++) {
    const k = <usize>load<i32>(IDX + (<usize>r << 2));
    const t = <i32>load<u8>(labels0 + k);
    const y = Y + <usize>r * yb;
    const z = Z + <usize>r * zb;
    const dz = DZ + <usize>r * zb;
    // dy = (y - t) / batch_num; db2 += dy
    for (let o = 0; o < O; o++) {
      const p = y + (<usize>o << 2);
      store<f32>(p, (load<f32>(p) - (o == t ? <f32>1 : <f32>0)) / fn);
    }
    for (let v = 0; v < OV; v++) {
      const off = <usize>v << 4;
      v128.store(GB2 + off, f32x4.add(v128.load(GB2 + off), v128.load(y + off)));
    }
    // dW2ᵀ += dy ⊗ z1 and da1 = dy·W2ᵀ (the old W2: updates come after the whole batch)
    memory.fill(dz, 0, zb);
    for (let o = 0; o < O; o++) {
      const d = f32x4.splat(load<f32>(y + (<usize>o << 2)));
      const w = W2T + <usize>o * zb;
      const g = GW2T + <usize>o * zb;
      for (let v = 0; v < NV; v++) {
        const off = <usize>v << 4;
        v128.store(g + off, f32x4.add(v128.load(g + off), f32x4.mul(d, v128.load(z + off))));
        v128.store(dz + off, f32x4.add(v128.load(dz + off), f32x4.mul(d, v128.load(w + off))));
      }
    }
    // dz1 = sigmoid_grad(a1) * da1 = ((1 - z1) * z1) * da1; db1 += dz1; then dz1 scaled by -lr for the W1 update
    for (let v = 0; v < NV; v++) {
      const off = <usize>v << 4;
      const s = v128.load(z + off);
      const d = f32x4.mul(f32x4.mul(f32x4.sub(one, s), s), v128.load(dz + off));
      v128.store(dz + off, f32x4.mul(d, nlr));
      v128.store(GB1 + off, f32x4.add(v128.load(GB1 + off), d));
    }
    // W1 -= lr · x_rᵀ · dz1_r over the row's nonzero pixels only. Applied row by row: dW1 is not needed again in this
    // step (dZ1 depends on W2, not W1), and skipping a separate dW1 saves clearing and sweeping 784×52 floats per step.
    const e = entries0 + (<usize>load<u32>(rowStart0 + (k << 2)) << 2);
    const end = entries0 + (<usize>load<u32>(rowStart0 + (k << 2) + 4) << 2);
    for (let c = 0; c < NV; ) {
      const w = min(MAXW, NV - c);
      const off = <usize>c << 4;
      scatter32W(w, e, end, W1 + off, zb, dz + off, SCALE32);
      c += w;
    }
  }
  const l = f32x4.splat(<f32>lr);
  sgd32(W2T, GW2T, (<usize>O * zb) >> 4, l);
  sgd32(B1, GB1, zb >> 4, l);
  sgd32(B2, GB2, yb >> 4, l);
  forward32(n);
  return loss32(n, delta);
}

// @ts-ignore: decorator
@inline function sgd32(p: usize, g: usize, vectors: usize, lr: v128): void {
  const end = p + (vectors << 4);
  while (p < end) {
    v128.store(p, f32x4.sub(v128.load(p), f32x4.mul(lr, v128.load(g))));
    p += 16;
    g += 16;
  }
}

/** Correct predictions over a whole set (0 train, 1 test); argmax of a2 equals argmax of softmax(a2). */
export function countCorrect(which: i32): i32 {
  const rs = which == 0 ? rowStart0 : rowStart1;
  const en = which == 0 ? entries0 : entries1;
  const lb = which == 0 ? labels0 : labels1;
  const count = which == 0 ? count0 : count1;
  let correct = 0;
  let e = en + (<usize>load<u32>(rs) << 2);
  for (let r = 0; r < count; r++) {
    const end = en + (<usize>load<u32>(rs + (<usize>(r + 1) << 2)) << 2);
    hidden32(e, end, ROW);
    logits32(ROW, LOGIT);
    let best = 0;
    let bv = load<f32>(LOGIT);
    for (let o = 1; o < O; o++) {
      const v = load<f32>(LOGIT + (<usize>o << 2));
      if (v > bv) {
        bv = v;
        best = o;
      }
    }
    if (best == <i32>load<u8>(lb + <usize>r)) correct++;
    e = end;
  }
  return correct;
}

// ---- float64 probe for the book's numerical gradient, on one batch held as set 0 (rows 0..n-1) ----------------------
// W1 (D×Hq), b1, W2ᵀ (O×Hq), b2 with Hq rounded up to 2.
//
// The loss after nudging one parameter is what a full forward pass gives, bit for bit, but only the part the parameter
// can move is recomputed: W1[p, j] moves hidden unit j of the images whose pixel p is nonzero (zero pixels are skipped,
// so the others are untouched), b1[j] moves unit j of every image, W2 and b2 only the output layer. The recomputed unit
// repeats lane j's exact operations (wasm never fuses a multiply-add), the rest comes from the unperturbed pass, and the
// per-image terms are summed in the same order.

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
  D = d;
  H = h;
  O = o;
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
  for (let o = 0; o < O; o++) {
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
  const ov = (O + 1) >> 1;
  for (let o = 0; o < ov * 2; o++) {
    const p = PLOGIT + (<usize>o << 3);
    store<f64>(p, o < O ? load<f64>(p) - m : -1000.0);
  }
  for (let v = 0; v < ov; v++) {
    const p = PLOGIT + (<usize>v << 4);
    v128.store(p, exp64(v128.load(p)));
  }
  let s: f64 = 0;
  for (let o = 0; o < O; o++) s += load<f64>(PLOGIT + (<usize>o << 3));
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
      pixel = i / H;
      unit = i % H;
      addr = PW1 + (<usize>(pixel * hq + unit) << 3);
    } else if (which == 1) {
      unit = i;
      addr = PB1 + (<usize>i << 3);
    } else if (which == 2) {
      addr = PW2T + (<usize>((i % O) * hq + i / O) << 3);
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
