// The book's TwoLayerNet (chapter 4) in wasm SIMD128, driven by src/core/fastKernel.ts.
// Training and evaluation run in float32 (4 lanes); the numerical-gradient probe runs in float64, because a central
// difference with h = 1e-4 needs the loss to many more digits than float32 holds. No relaxed SIMD: Node 20 needs a flag,
// and its fused multiply-add measured no faster here.
//
// Images live here once, as the list of their nonzero pixels (MNIST is ~80% zeros), so X·W1 and Xᵀ·dZ1 skip exactly
// the products that are 0 and every sum stays the same. Hidden rows are padded to whole vectors; padded lanes are kept 0.

import { entries0, labels0, rowStart0, SCALE32 } from './common';
import { backward32 } from './backward';
import { forward32, loss32, MAXW } from './forward';
import { B1, B2, DZ, GB1, GB2, GW2T, IDX, NV, O, OV, W1, W2T, Y, Z } from './net';
import { scatter32W } from './tiles';

export { alloc, countNonzero, encodeRows, setData } from './common';
export { countCorrect } from './forward';
export { ensureBatch, netInit, ptr } from './net';
export { probeInit, probeLoss, probeNumericalGradient, probePtr } from './probe';
export { simdPeak } from './peak';

// Bumped whenever an export changes meaning, so the loader refuses a stale dist/kernel.wasm instead of misreading it.
const ABI: i32 = 2;

export function abiVersion(): i32 {
  return ABI;
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

/** Loss of the batch at the current weights (no update). */
export function batchLoss(n: i32, delta: f64): f64 {
  SINK ^= touchBatch(n);
  forward32(n);
  return loss32(n, delta);
}

/** One SGD step on the n images listed at IDX, then the loss on the same batch after the update (the book's order). */
export function step(n: i32, lr: f64, delta: f64): f64 {
  phaseGather(n);
  phaseForward(n);
  phaseBackward(n, lr);
  phaseUpdate(n, lr);
  return phaseLoss(n, delta);
}

// The step's phases, exported one by one so the benchmark can time each (src/core/fastKernel.ts, `profile`).

/** Brings the batch's images into cache, their misses overlapping (see touchBatch). */
export function phaseGather(n: i32): void {
  SINK ^= touchBatch(n);
}

/** z1 and softmax rows of the batch at the current weights. */
export function phaseForward(n: i32): void {
  forward32(n);
}

/** Gradients: dW2ᵀ, db2 and db1 summed over the batch, and each row's dz1 scaled by -lr for the W1 update. */
export function phaseBackward(n: i32, lr: f64): void {
  const zb = <usize>NV << 4;
  const yb = <usize>OV << 4;
  memory.fill(GW2T, 0, <usize>O * zb);
  memory.fill(GB1, 0, zb);
  memory.fill(GB2, 0, yb);
  for (let r = 0; r < n; r++) {
    const k = <usize>load<i32>(IDX + (<usize>r << 2));
    backward32(Y + <usize>r * yb, Z + <usize>r * zb, DZ + <usize>r * zb, <i32>load<u8>(labels0 + k), n, <f32>lr);
  }
}

/**
 * The SGD update. W1 -= lr · Xᵀ · dZ1 over each row's nonzero pixels only, row by row: dW1 is never formed (it is not
 * needed again in this step, since dZ1 depends on W2, not W1), which saves clearing and sweeping 784×52 floats.
 */
export function phaseUpdate(n: i32, lr: f64): void {
  const zb = <usize>NV << 4;
  const yb = <usize>OV << 4;
  for (let r = 0; r < n; r++) {
    const k = <usize>load<i32>(IDX + (<usize>r << 2));
    const dz = DZ + <usize>r * zb;
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
}

/** The book's loss after the update: a forward pass on the same batch at the new weights. */
export function phaseLoss(n: i32, delta: f64): f64 {
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
