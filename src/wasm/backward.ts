// The backward pass of one image (the gradients only; the update is in kernel.ts): dy = (y - t) / n, db2 += dy,
// dW2ᵀ += dy ⊗ z1, da1 = dy · W2ᵀ with the old W2, dz1 = (1 - z1) · z1 · da1, db1 += dz1, and dz1 scaled by -lr for the
// W1 update. For up to 13 vectors per hidden row, da1 and then z1 are held in registers across the outputs.

import { GB1, GB2, GW2T, NV, O, OV, W2T } from './net';

// @ts-ignore: decorator
@inline function backW(W: i32, y: usize, z: usize, dz: usize, one: v128, nlr: v128): void {
  const stride = <usize>W << 4;

  let d0 = f32x4.splat(0);
  let d1 = f32x4.splat(0);
  let d2 = f32x4.splat(0);
  let d3 = f32x4.splat(0);
  let d4 = f32x4.splat(0);
  let d5 = f32x4.splat(0);
  let d6 = f32x4.splat(0);
  let d7 = f32x4.splat(0);
  let d8 = f32x4.splat(0);
  let d9 = f32x4.splat(0);
  let d10 = f32x4.splat(0);
  let d11 = f32x4.splat(0);
  let d12 = f32x4.splat(0);
  let w = W2T;
  for (let o = 0; o < O; o++) {
    const yo = v128.load32_splat(y + (<usize>o << 2));
    d0 = f32x4.add(d0, f32x4.mul(yo, v128.load(w, 0)));
    if (W > 1) d1 = f32x4.add(d1, f32x4.mul(yo, v128.load(w, 16)));
    if (W > 2) d2 = f32x4.add(d2, f32x4.mul(yo, v128.load(w, 32)));
    if (W > 3) d3 = f32x4.add(d3, f32x4.mul(yo, v128.load(w, 48)));
    if (W > 4) d4 = f32x4.add(d4, f32x4.mul(yo, v128.load(w, 64)));
    if (W > 5) d5 = f32x4.add(d5, f32x4.mul(yo, v128.load(w, 80)));
    if (W > 6) d6 = f32x4.add(d6, f32x4.mul(yo, v128.load(w, 96)));
    if (W > 7) d7 = f32x4.add(d7, f32x4.mul(yo, v128.load(w, 112)));
    if (W > 8) d8 = f32x4.add(d8, f32x4.mul(yo, v128.load(w, 128)));
    if (W > 9) d9 = f32x4.add(d9, f32x4.mul(yo, v128.load(w, 144)));
    if (W > 10) d10 = f32x4.add(d10, f32x4.mul(yo, v128.load(w, 160)));
    if (W > 11) d11 = f32x4.add(d11, f32x4.mul(yo, v128.load(w, 176)));
    if (W > 12) d12 = f32x4.add(d12, f32x4.mul(yo, v128.load(w, 192)));
    w += stride;
  }
  grad(z, dz, 0, d0, one, nlr);
  if (W > 1) grad(z, dz, 16, d1, one, nlr);
  if (W > 2) grad(z, dz, 32, d2, one, nlr);
  if (W > 3) grad(z, dz, 48, d3, one, nlr);
  if (W > 4) grad(z, dz, 64, d4, one, nlr);
  if (W > 5) grad(z, dz, 80, d5, one, nlr);
  if (W > 6) grad(z, dz, 96, d6, one, nlr);
  if (W > 7) grad(z, dz, 112, d7, one, nlr);
  if (W > 8) grad(z, dz, 128, d8, one, nlr);
  if (W > 9) grad(z, dz, 144, d9, one, nlr);
  if (W > 10) grad(z, dz, 160, d10, one, nlr);
  if (W > 11) grad(z, dz, 176, d11, one, nlr);
  if (W > 12) grad(z, dz, 192, d12, one, nlr);
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
  let g = GW2T;
  for (let o = 0; o < O; o++) {
    const yo = v128.load32_splat(y + (<usize>o << 2));
    v128.store(g, f32x4.add(v128.load(g, 0), f32x4.mul(yo, z0)), 0);
    if (W > 1) v128.store(g, f32x4.add(v128.load(g, 16), f32x4.mul(yo, z1)), 16);
    if (W > 2) v128.store(g, f32x4.add(v128.load(g, 32), f32x4.mul(yo, z2)), 32);
    if (W > 3) v128.store(g, f32x4.add(v128.load(g, 48), f32x4.mul(yo, z3)), 48);
    if (W > 4) v128.store(g, f32x4.add(v128.load(g, 64), f32x4.mul(yo, z4)), 64);
    if (W > 5) v128.store(g, f32x4.add(v128.load(g, 80), f32x4.mul(yo, z5)), 80);
    if (W > 6) v128.store(g, f32x4.add(v128.load(g, 96), f32x4.mul(yo, z6)), 96);
    if (W > 7) v128.store(g, f32x4.add(v128.load(g, 112), f32x4.mul(yo, z7)), 112);
    if (W > 8) v128.store(g, f32x4.add(v128.load(g, 128), f32x4.mul(yo, z8)), 128);
    if (W > 9) v128.store(g, f32x4.add(v128.load(g, 144), f32x4.mul(yo, z9)), 144);
    if (W > 10) v128.store(g, f32x4.add(v128.load(g, 160), f32x4.mul(yo, z10)), 160);
    if (W > 11) v128.store(g, f32x4.add(v128.load(g, 176), f32x4.mul(yo, z11)), 176);
    if (W > 12) v128.store(g, f32x4.add(v128.load(g, 192), f32x4.mul(yo, z12)), 192);
    g += stride;
  }
}

// dz1 = (1 - z1) · z1 · da1 for one vector; db1 += dz1; the row keeps dz1 · (-lr).
// @ts-ignore: decorator
@inline function grad(z: usize, dz: usize, off: usize, da: v128, one: v128, nlr: v128): void {
  const s = v128.load(z + off);
  const d = f32x4.mul(f32x4.mul(f32x4.sub(one, s), s), da);
  v128.store(dz + off, f32x4.mul(d, nlr));
  v128.store(GB1 + off, f32x4.add(v128.load(GB1 + off), d));
}

/** The gradients of one image r; y holds its softmax row and becomes dy. */
export function backward32(y: usize, z: usize, dz: usize, t: i32, n: i32, lr: f32): void {
  const one = f32x4.splat(1.0);
  const nlr = f32x4.splat(-lr);
  // dy = (y - t) / batch_num, lane by lane; db2 += dy
  const fn = f32x4.splat(<f32>n);
  const lane = i32x4(0, 1, 2, 3);
  for (let v = 0; v < OV; v++) {
    const off = <usize>v << 4;
    const hot = v128.and(i32x4.eq(i32x4.add(lane, i32x4.splat(v << 2)), i32x4.splat(t)), one);
    const d = f32x4.div(f32x4.sub(v128.load(y + off), hot), fn);
    v128.store(y + off, d);
    v128.store(GB2 + off, f32x4.add(v128.load(GB2 + off), d));
  }
  switch (NV) {

    case 1: backW(1, y, z, dz, one, nlr); return;
    case 2: backW(2, y, z, dz, one, nlr); return;
    case 3: backW(3, y, z, dz, one, nlr); return;
    case 4: backW(4, y, z, dz, one, nlr); return;
    case 5: backW(5, y, z, dz, one, nlr); return;
    case 6: backW(6, y, z, dz, one, nlr); return;
    case 7: backW(7, y, z, dz, one, nlr); return;
    case 8: backW(8, y, z, dz, one, nlr); return;
    case 9: backW(9, y, z, dz, one, nlr); return;
    case 10: backW(10, y, z, dz, one, nlr); return;
    case 11: backW(11, y, z, dz, one, nlr); return;
    case 12: backW(12, y, z, dz, one, nlr); return;
    case 13: backW(13, y, z, dz, one, nlr); return;
  }
  const zb = <usize>NV << 4;
  memory.fill(dz, 0, zb);
  for (let o = 0; o < O; o++) {
    const d = v128.load32_splat(y + (<usize>o << 2));
    const w = W2T + <usize>o * zb;
    const g = GW2T + <usize>o * zb;
    for (let v = 0; v < NV; v++) {
      const off = <usize>v << 4;
      v128.store(g + off, f32x4.add(v128.load(g + off), f32x4.mul(d, v128.load(z + off))));
      v128.store(dz + off, f32x4.add(v128.load(dz + off), f32x4.mul(d, v128.load(w + off))));
    }
  }
  for (let v = 0; v < NV; v++) {
    const off = <usize>v << 4;
    grad(z, dz, off, v128.load(dz + off), one, nlr);
  }
}
