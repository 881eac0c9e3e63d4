// The book's TwoLayerNet (chapter 4) in wasm SIMD128, driven by src/core/fastKernel.ts.
// Training and evaluation run in float32 (4 lanes); the numerical-gradient probe runs in float64, because a central
// difference with h = 1e-4 needs the loss to many more digits than float32 holds. No relaxed SIMD: Node 20 needs a flag.
//
// Images live here once, as the list of their nonzero pixels (MNIST is ~80% zeros), so X·W1 and Xᵀ·dZ1 skip exactly
// the products that are 0 and every sum stays the same. Hidden rows are padded to whole vectors; padded lanes are kept 0.

import { alloc, count0, count1, entries0, entries1, exp32, hsum32, initTables, labels0, labels1, laneMask, rowStart0, rowStart1, SCALE32 } from './common';
import { acc32W, scatter32W } from './tiles';

export { alloc, countNonzero, encodeRows, setData } from './common';
export { probeInit, probeLoss, probeNumericalGradient, probePtr } from './probe';

// Bumped whenever an export changes meaning, so the loader refuses a stale dist/kernel.wasm instead of misreading it.
const ABI: i32 = 1;

export function abiVersion(): i32 {
  return ABI;
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
