// The float32 network's tensors and the batch's scratch, shared by the forward pass, the step and the evaluation.
// W1 (D×Hp), b1 (Hp), W2ᵀ (O×Hp), b2 (Op) with Hp, Op rounded up to 4; padded lanes are kept 0.

import { alloc, initTables, laneMask } from './common';

export let D: i32 = 0;
export let H: i32 = 0;
export let NV: i32 = 0; // vectors per hidden row
export let O: i32 = 0;
export let OV: i32 = 0; // vectors per output row
export let W1: usize = 0;
export let B1: usize = 0;
export let W2T: usize = 0;
export let B2: usize = 0;
export let GB1: usize = 0;
export let GW2T: usize = 0;
export let GB2: usize = 0;
export let MASK32: usize = 0; // keeps the real lanes of a hidden row's last vector
export let ROW: usize = 0; // one hidden row, for evaluation
export let LOGIT: usize = 0;
export let SUMS: usize = 0; // one image's per-output partial sums (OV·4 vectors, those past O stay 0)
export let MASKO: usize = 0; // per output vector: all ones in the real lanes
export let Z: usize = 0; // z1 rows of the batch
export let DZ: usize = 0; // dZ1 rows
export let Y: usize = 0; // softmax rows, then dy
export let IDX: usize = 0; // the batch's row indices, written by the loader
let BCAP: i32 = 0;

/** Sets up the network's tensors; an instance that trains run after run reuses them when the shapes are the same. */
export function netInit(d: i32, h: i32, o: i32): void {
  initTables();
  if (W1 != 0 && d == D && h == H && o == O) {
    const rowBytes = <usize>NV << 4;
    memory.fill(W1, 0, <usize>D * rowBytes);
    memory.fill(B1, 0, rowBytes);
    memory.fill(W2T, 0, <usize>O * rowBytes);
    memory.fill(B2, 0, <usize>OV << 4);
    return;
  }
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
  SUMS = alloc(<usize>OV << 6);
  memory.fill(SUMS, 0, <usize>OV << 6);
  MASKO = alloc(<usize>OV << 4);
  for (let i = 0; i < OV * 4; i++) store<i32>(MASKO + (<usize>i << 2), i < O ? -1 : 0);
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
