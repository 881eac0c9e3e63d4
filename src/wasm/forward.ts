// The float32 forward pass: z1 = sigmoid(x·W1 + b1) over an image's nonzero pixels, a2 = z1·W2 + b2, then softmax for
// training or argmax for the evaluation, which runs as one loop over the whole set.

import { count0, count1, entries0, entries1, EXPK, expK, labels0, labels1, rowStart0, rowStart1, SCALE32 } from './common';
import { B1, B2, IDX, LOGIT, MASK32, MASKO, NV, O, OV, ROW, SUMS, W1, W2T, Y, Z } from './net';
import { acc32W } from './tiles';

// Widest register tile, in vectors: 13 covers the book's 50 hidden units in one pass over the pixels and is the most
// V8 keeps in registers (15 usable) next to the broadcast value and one loaded vector.
export const MAXW: i32 = 13;

/** z1 = sigmoid(x·W1 + b1) for one image (its entries e..end), into z; padded lanes 0. */
export function hidden32(e: usize, end: usize, z: usize): void {
  const stride = <usize>NV << 4;
  for (let c = 0; c < NV; ) {
    const w = min(MAXW, NV - c);
    const off = <usize>c << 4;
    acc32W(w, e, end, W1 + off, stride, B1 + off, z + off, SCALE32);
    c += w;
  }
  activate32(z);
}

/** z = sigmoid(a) in place over a hidden row; padded lanes 0. */
export function activate32(z: usize): void {
  const k = EXPK;
  const one = v128.load(k, 192);
  for (let v = 0; v < NV; v++) {
    const p = z + (<usize>v << 4);
    v128.store(p, f32x4.div(one, f32x4.add(one, expK(f32x4.neg(v128.load(p)), k))));
  }
  const last = z + (<usize>(NV - 1) << 4);
  v128.store(last, v128.and(v128.load(last), v128.load(MASK32)));
}

// Each output's partial sums of z1·W2 (a vector) into SUMS, z1's W vectors held in registers across the outputs.
// @ts-ignore: decorator
@inline function logitsW(W: i32, z: usize): void {
  const stride = <usize>W << 4;
  const z0 = v128.load(z, 0);
  const z1 = W > 1 ? v128.load(z, 16) : z0;
  const z2 = W > 2 ? v128.load(z, 32) : z0;
  const z3 = W > 3 ? v128.load(z, 48) : z0;
  const z4 = W > 4 ? v128.load(z, 64) : z0;
  const z5 = W > 5 ? v128.load(z, 80) : z0;
  const z6 = W > 6 ? v128.load(z, 96) : z0;
  const z7 = W > 7 ? v128.load(z, 112) : z0;
  const z8 = W > 8 ? v128.load(z, 128) : z0;
  const z9 = W > 9 ? v128.load(z, 144) : z0;
  const z10 = W > 10 ? v128.load(z, 160) : z0;
  const z11 = W > 11 ? v128.load(z, 176) : z0;
  const z12 = W > 12 ? v128.load(z, 192) : z0;
  let w = W2T;
  for (let o = 0; o < O; o++) {
    let a = f32x4.mul(z0, v128.load(w, 0));
    if (W > 1) a = f32x4.add(a, f32x4.mul(z1, v128.load(w, 16)));
    if (W > 2) a = f32x4.add(a, f32x4.mul(z2, v128.load(w, 32)));
    if (W > 3) a = f32x4.add(a, f32x4.mul(z3, v128.load(w, 48)));
    if (W > 4) a = f32x4.add(a, f32x4.mul(z4, v128.load(w, 64)));
    if (W > 5) a = f32x4.add(a, f32x4.mul(z5, v128.load(w, 80)));
    if (W > 6) a = f32x4.add(a, f32x4.mul(z6, v128.load(w, 96)));
    if (W > 7) a = f32x4.add(a, f32x4.mul(z7, v128.load(w, 112)));
    if (W > 8) a = f32x4.add(a, f32x4.mul(z8, v128.load(w, 128)));
    if (W > 9) a = f32x4.add(a, f32x4.mul(z9, v128.load(w, 144)));
    if (W > 10) a = f32x4.add(a, f32x4.mul(z10, v128.load(w, 160)));
    if (W > 11) a = f32x4.add(a, f32x4.mul(z11, v128.load(w, 176)));
    if (W > 12) a = f32x4.add(a, f32x4.mul(z12, v128.load(w, 192)));
    v128.store(SUMS + (<usize>o << 4), a);
    w += stride;
  }
}

/** a2 = z1·W2 + b2 into out as OV vectors (padded lanes 0): the outputs' partial sums, then four outputs' lanes at once. */
export function logits32(z: usize, out: usize): void {
  switch (NV) {
    case 1: logitsW(1, z); break;
    case 2: logitsW(2, z); break;
    case 3: logitsW(3, z); break;
    case 4: logitsW(4, z); break;
    case 5: logitsW(5, z); break;
    case 6: logitsW(6, z); break;
    case 7: logitsW(7, z); break;
    case 8: logitsW(8, z); break;
    case 9: logitsW(9, z); break;
    case 10: logitsW(10, z); break;
    case 11: logitsW(11, z); break;
    case 12: logitsW(12, z); break;
    case 13: logitsW(13, z); break;
    default: {
      const stride = <usize>NV << 4;
      for (let o = 0; o < O; o++) {
        const w = W2T + <usize>o * stride;
        let acc = f32x4.splat(0);
        for (let v = 0; v < NV; v++) {
          const off = <usize>v << 4;
          acc = f32x4.add(acc, f32x4.mul(v128.load(z + off), v128.load(w + off)));
        }
        v128.store(SUMS + (<usize>o << 4), acc);
      }
    }
  }
  for (let v = 0; v < OV; v++) {
    const s = SUMS + (<usize>v << 6);
    const a0 = v128.load(s, 0);
    const a1 = v128.load(s, 16);
    const a2 = v128.load(s, 32);
    const a3 = v128.load(s, 48);
    const s01 = f32x4.add(v128.shuffle<f32>(a0, a1, 0, 4, 1, 5), v128.shuffle<f32>(a0, a1, 2, 6, 3, 7));
    const s23 = f32x4.add(v128.shuffle<f32>(a2, a3, 0, 4, 1, 5), v128.shuffle<f32>(a2, a3, 2, 6, 3, 7));
    const sum = f32x4.add(v128.shuffle<f32>(s01, s23, 0, 1, 4, 5), v128.shuffle<f32>(s01, s23, 2, 3, 6, 7));
    v128.store(out + (<usize>v << 4), f32x4.add(sum, v128.load(B2 + (<usize>v << 4))));
  }
}

/** The output layer for one image: y = softmax(z1·W2 + b2). */
export function head32(z: usize, y: usize): void {
  logits32(z, y);
  softmax32(y);
}

/** softmax of a2 (y's OV vectors) in place, as the book: subtract the row max, exp, divide by the sum. Padded lanes end 0. */
function softmax32(y: usize): void {
  const ninf = f32x4.splat(-Infinity);
  let m = ninf;
  for (let v = 0; v < OV; v++) {
    const off = <usize>v << 4;
    m = f32x4.pmax(m, v128.bitselect(v128.load(y + off), ninf, v128.load(MASKO + off)));
  }
  m = f32x4.pmax(m, v128.shuffle<f32>(m, m, 2, 3, 0, 1));
  m = f32x4.pmax(m, v128.shuffle<f32>(m, m, 1, 0, 3, 2));
  const k = EXPK;
  let s = f32x4.splat(0);
  for (let v = 0; v < OV; v++) {
    const off = <usize>v << 4;
    const e = v128.and(expK(f32x4.sub(v128.load(y + off), m), k), v128.load(MASKO + off));
    v128.store(y + off, e);
    s = f32x4.add(s, e);
  }
  s = f32x4.add(s, v128.shuffle<f32>(s, s, 2, 3, 0, 1));
  s = f32x4.add(s, v128.shuffle<f32>(s, s, 1, 0, 3, 2));
  for (let v = 0; v < OV; v++) {
    const p = y + (<usize>v << 4);
    v128.store(p, f32x4.div(v128.load(p), s));
  }
}

/** z1 and softmax rows of the n images listed at IDX. */
export function forward32(n: i32): void {
  const zb = <usize>NV << 4;
  const yb = <usize>OV << 4;
  for (let r = 0; r < n; r++) {
    const k = <usize>load<i32>(IDX + (<usize>r << 2));
    const e = entries0 + (<usize>load<u32>(rowStart0 + (k << 2)) << 2);
    const end = entries0 + (<usize>load<u32>(rowStart0 + (k << 2) + 4) << 2);
    const z = Z + <usize>r * zb;
    const y = Y + <usize>r * yb;
    hidden32(e, end, z);
    head32(z, y);
  }
}

/** -sum(log(y[r, t_r] + delta)) / n, in float64 like the book's float64 loss. */
export function loss32(n: i32, delta: f64): f64 {
  const yb = <usize>OV << 4;
  let s: f64 = 0;
  for (let r = 0; r < n; r++) {
    const k = <usize>load<i32>(IDX + (<usize>r << 2));
    const t = <usize>load<u8>(labels0 + k);
    s += Math.log(<f64>load<f32>(Y + <usize>r * yb + (t << 2)) + delta);
  }
  return -s / <f64>n;
}

/** Correct predictions over a whole set (0 train, 1 test); argmax of a2 equals argmax of softmax(a2), first on ties. */
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
      best = select<i32>(o, best, v > bv);
      bv = select<f32>(v, bv, v > bv);
    }
    correct += i32(best == <i32>load<u8>(lb + <usize>r));
    e = end;
  }
  return correct;
}
