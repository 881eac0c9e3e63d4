// Register-tiled inner loops over one image's nonzero pixels, unrolled by hand for widths 1..16 vectors
// (AssemblyScript has no macros; with W a constant after @inline, binaryen drops the unused lanes and branches).
// An entry is (pixel << 8) | value; `scale` maps the uint8 value to the book's float32(v / 255).
// One pixel per trip: two per trip needs 13 + 3 vector registers at the book's width, and V8 then spills.

// out[0..W) = bias + the sum over one row's nonzero pixels of x_p * W[p, 0..W), in pixel order; accumulators in registers.
@inline export function acc32(W: i32, e: usize, end: usize, base: usize, stride: usize, bias: usize, out: usize, scale: usize): void {
  let a0 = v128.load(bias, 0);
  let a1 = W > 1 ? v128.load(bias, 16) : a0;
  let a2 = W > 2 ? v128.load(bias, 32) : a0;
  let a3 = W > 3 ? v128.load(bias, 48) : a0;
  let a4 = W > 4 ? v128.load(bias, 64) : a0;
  let a5 = W > 5 ? v128.load(bias, 80) : a0;
  let a6 = W > 6 ? v128.load(bias, 96) : a0;
  let a7 = W > 7 ? v128.load(bias, 112) : a0;
  let a8 = W > 8 ? v128.load(bias, 128) : a0;
  let a9 = W > 9 ? v128.load(bias, 144) : a0;
  let a10 = W > 10 ? v128.load(bias, 160) : a0;
  let a11 = W > 11 ? v128.load(bias, 176) : a0;
  let a12 = W > 12 ? v128.load(bias, 192) : a0;
  let a13 = W > 13 ? v128.load(bias, 208) : a0;
  let a14 = W > 14 ? v128.load(bias, 224) : a0;
  let a15 = W > 15 ? v128.load(bias, 240) : a0;
  while (e < end) {
    const x = load<u32>(e);
    const v = f32x4.splat(load<f32>(scale + ((<usize>x & 255) << 2)));
    const row = base + <usize>(x >>> 8) * stride;
    a0 = f32x4.add(a0, f32x4.mul(v, v128.load(row, 0)));
    if (W > 1) a1 = f32x4.add(a1, f32x4.mul(v, v128.load(row, 16)));
    if (W > 2) a2 = f32x4.add(a2, f32x4.mul(v, v128.load(row, 32)));
    if (W > 3) a3 = f32x4.add(a3, f32x4.mul(v, v128.load(row, 48)));
    if (W > 4) a4 = f32x4.add(a4, f32x4.mul(v, v128.load(row, 64)));
    if (W > 5) a5 = f32x4.add(a5, f32x4.mul(v, v128.load(row, 80)));
    if (W > 6) a6 = f32x4.add(a6, f32x4.mul(v, v128.load(row, 96)));
    if (W > 7) a7 = f32x4.add(a7, f32x4.mul(v, v128.load(row, 112)));
    if (W > 8) a8 = f32x4.add(a8, f32x4.mul(v, v128.load(row, 128)));
    if (W > 9) a9 = f32x4.add(a9, f32x4.mul(v, v128.load(row, 144)));
    if (W > 10) a10 = f32x4.add(a10, f32x4.mul(v, v128.load(row, 160)));
    if (W > 11) a11 = f32x4.add(a11, f32x4.mul(v, v128.load(row, 176)));
    if (W > 12) a12 = f32x4.add(a12, f32x4.mul(v, v128.load(row, 192)));
    if (W > 13) a13 = f32x4.add(a13, f32x4.mul(v, v128.load(row, 208)));
    if (W > 14) a14 = f32x4.add(a14, f32x4.mul(v, v128.load(row, 224)));
    if (W > 15) a15 = f32x4.add(a15, f32x4.mul(v, v128.load(row, 240)));
    e += 4;
  }
  v128.store(out, a0, 0);
  if (W > 1) v128.store(out, a1, 16);
  if (W > 2) v128.store(out, a2, 32);
  if (W > 3) v128.store(out, a3, 48);
  if (W > 4) v128.store(out, a4, 64);
  if (W > 5) v128.store(out, a5, 80);
  if (W > 6) v128.store(out, a6, 96);
  if (W > 7) v128.store(out, a7, 112);
  if (W > 8) v128.store(out, a8, 128);
  if (W > 9) v128.store(out, a9, 144);
  if (W > 10) v128.store(out, a10, 160);
  if (W > 11) v128.store(out, a11, 176);
  if (W > 12) v128.store(out, a12, 192);
  if (W > 13) v128.store(out, a13, 208);
  if (W > 14) v128.store(out, a14, 224);
  if (W > 15) v128.store(out, a15, 240);
}

export function acc32W(w: i32, e: usize, end: usize, base: usize, stride: usize, bias: usize, out: usize, scale: usize): void {
  switch (w) {
    case 1: acc32(1, e, end, base, stride, bias, out, scale); return;
    case 2: acc32(2, e, end, base, stride, bias, out, scale); return;
    case 3: acc32(3, e, end, base, stride, bias, out, scale); return;
    case 4: acc32(4, e, end, base, stride, bias, out, scale); return;
    case 5: acc32(5, e, end, base, stride, bias, out, scale); return;
    case 6: acc32(6, e, end, base, stride, bias, out, scale); return;
    case 7: acc32(7, e, end, base, stride, bias, out, scale); return;
    case 8: acc32(8, e, end, base, stride, bias, out, scale); return;
    case 9: acc32(9, e, end, base, stride, bias, out, scale); return;
    case 10: acc32(10, e, end, base, stride, bias, out, scale); return;
    case 11: acc32(11, e, end, base, stride, bias, out, scale); return;
    case 12: acc32(12, e, end, base, stride, bias, out, scale); return;
    case 13: acc32(13, e, end, base, stride, bias, out, scale); return;
    case 14: acc32(14, e, end, base, stride, bias, out, scale); return;
    case 15: acc32(15, e, end, base, stride, bias, out, scale); return;
    case 16: acc32(16, e, end, base, stride, bias, out, scale); return;
    default: unreachable();
  }
}

// G[p, 0..W) += x_p * d[0..W) for one row's nonzero pixels: the row's share of Xᵀ·dZ1, with d held in registers.
@inline export function scatter32(W: i32, e: usize, end: usize, base: usize, stride: usize, src: usize, scale: usize): void {
  const d0 = v128.load(src, 0);
  const d1 = W > 1 ? v128.load(src, 16) : d0;
  const d2 = W > 2 ? v128.load(src, 32) : d0;
  const d3 = W > 3 ? v128.load(src, 48) : d0;
  const d4 = W > 4 ? v128.load(src, 64) : d0;
  const d5 = W > 5 ? v128.load(src, 80) : d0;
  const d6 = W > 6 ? v128.load(src, 96) : d0;
  const d7 = W > 7 ? v128.load(src, 112) : d0;
  const d8 = W > 8 ? v128.load(src, 128) : d0;
  const d9 = W > 9 ? v128.load(src, 144) : d0;
  const d10 = W > 10 ? v128.load(src, 160) : d0;
  const d11 = W > 11 ? v128.load(src, 176) : d0;
  const d12 = W > 12 ? v128.load(src, 192) : d0;
  const d13 = W > 13 ? v128.load(src, 208) : d0;
  const d14 = W > 14 ? v128.load(src, 224) : d0;
  const d15 = W > 15 ? v128.load(src, 240) : d0;
  while (e < end) {
    const x = load<u32>(e);
    const v = f32x4.splat(load<f32>(scale + ((<usize>x & 255) << 2)));
    const row = base + <usize>(x >>> 8) * stride;
    v128.store(row, f32x4.add(v128.load(row, 0), f32x4.mul(v, d0)), 0);
    if (W > 1) v128.store(row, f32x4.add(v128.load(row, 16), f32x4.mul(v, d1)), 16);
    if (W > 2) v128.store(row, f32x4.add(v128.load(row, 32), f32x4.mul(v, d2)), 32);
    if (W > 3) v128.store(row, f32x4.add(v128.load(row, 48), f32x4.mul(v, d3)), 48);
    if (W > 4) v128.store(row, f32x4.add(v128.load(row, 64), f32x4.mul(v, d4)), 64);
    if (W > 5) v128.store(row, f32x4.add(v128.load(row, 80), f32x4.mul(v, d5)), 80);
    if (W > 6) v128.store(row, f32x4.add(v128.load(row, 96), f32x4.mul(v, d6)), 96);
    if (W > 7) v128.store(row, f32x4.add(v128.load(row, 112), f32x4.mul(v, d7)), 112);
    if (W > 8) v128.store(row, f32x4.add(v128.load(row, 128), f32x4.mul(v, d8)), 128);
    if (W > 9) v128.store(row, f32x4.add(v128.load(row, 144), f32x4.mul(v, d9)), 144);
    if (W > 10) v128.store(row, f32x4.add(v128.load(row, 160), f32x4.mul(v, d10)), 160);
    if (W > 11) v128.store(row, f32x4.add(v128.load(row, 176), f32x4.mul(v, d11)), 176);
    if (W > 12) v128.store(row, f32x4.add(v128.load(row, 192), f32x4.mul(v, d12)), 192);
    if (W > 13) v128.store(row, f32x4.add(v128.load(row, 208), f32x4.mul(v, d13)), 208);
    if (W > 14) v128.store(row, f32x4.add(v128.load(row, 224), f32x4.mul(v, d14)), 224);
    if (W > 15) v128.store(row, f32x4.add(v128.load(row, 240), f32x4.mul(v, d15)), 240);
    e += 4;
  }
}

export function scatter32W(w: i32, e: usize, end: usize, base: usize, stride: usize, src: usize, scale: usize): void {
  switch (w) {
    case 1: scatter32(1, e, end, base, stride, src, scale); return;
    case 2: scatter32(2, e, end, base, stride, src, scale); return;
    case 3: scatter32(3, e, end, base, stride, src, scale); return;
    case 4: scatter32(4, e, end, base, stride, src, scale); return;
    case 5: scatter32(5, e, end, base, stride, src, scale); return;
    case 6: scatter32(6, e, end, base, stride, src, scale); return;
    case 7: scatter32(7, e, end, base, stride, src, scale); return;
    case 8: scatter32(8, e, end, base, stride, src, scale); return;
    case 9: scatter32(9, e, end, base, stride, src, scale); return;
    case 10: scatter32(10, e, end, base, stride, src, scale); return;
    case 11: scatter32(11, e, end, base, stride, src, scale); return;
    case 12: scatter32(12, e, end, base, stride, src, scale); return;
    case 13: scatter32(13, e, end, base, stride, src, scale); return;
    case 14: scatter32(14, e, end, base, stride, src, scale); return;
    case 15: scatter32(15, e, end, base, stride, src, scale); return;
    case 16: scatter32(16, e, end, base, stride, src, scale); return;
    default: unreachable();
  }
}

// out[0..W) = bias + the sum over one row's nonzero pixels of x_p * W[p, 0..W), in pixel order; accumulators in registers.
@inline export function acc64(W: i32, e: usize, end: usize, base: usize, stride: usize, bias: usize, out: usize, scale: usize): void {
  let a0 = v128.load(bias, 0);
  let a1 = W > 1 ? v128.load(bias, 16) : a0;
  let a2 = W > 2 ? v128.load(bias, 32) : a0;
  let a3 = W > 3 ? v128.load(bias, 48) : a0;
  let a4 = W > 4 ? v128.load(bias, 64) : a0;
  let a5 = W > 5 ? v128.load(bias, 80) : a0;
  let a6 = W > 6 ? v128.load(bias, 96) : a0;
  let a7 = W > 7 ? v128.load(bias, 112) : a0;
  let a8 = W > 8 ? v128.load(bias, 128) : a0;
  let a9 = W > 9 ? v128.load(bias, 144) : a0;
  let a10 = W > 10 ? v128.load(bias, 160) : a0;
  let a11 = W > 11 ? v128.load(bias, 176) : a0;
  let a12 = W > 12 ? v128.load(bias, 192) : a0;
  let a13 = W > 13 ? v128.load(bias, 208) : a0;
  let a14 = W > 14 ? v128.load(bias, 224) : a0;
  let a15 = W > 15 ? v128.load(bias, 240) : a0;
  while (e < end) {
    const x = load<u32>(e);
    const v = f64x2.splat(load<f64>(scale + ((<usize>x & 255) << 3)));
    const row = base + <usize>(x >>> 8) * stride;
    a0 = f64x2.add(a0, f64x2.mul(v, v128.load(row, 0)));
    if (W > 1) a1 = f64x2.add(a1, f64x2.mul(v, v128.load(row, 16)));
    if (W > 2) a2 = f64x2.add(a2, f64x2.mul(v, v128.load(row, 32)));
    if (W > 3) a3 = f64x2.add(a3, f64x2.mul(v, v128.load(row, 48)));
    if (W > 4) a4 = f64x2.add(a4, f64x2.mul(v, v128.load(row, 64)));
    if (W > 5) a5 = f64x2.add(a5, f64x2.mul(v, v128.load(row, 80)));
    if (W > 6) a6 = f64x2.add(a6, f64x2.mul(v, v128.load(row, 96)));
    if (W > 7) a7 = f64x2.add(a7, f64x2.mul(v, v128.load(row, 112)));
    if (W > 8) a8 = f64x2.add(a8, f64x2.mul(v, v128.load(row, 128)));
    if (W > 9) a9 = f64x2.add(a9, f64x2.mul(v, v128.load(row, 144)));
    if (W > 10) a10 = f64x2.add(a10, f64x2.mul(v, v128.load(row, 160)));
    if (W > 11) a11 = f64x2.add(a11, f64x2.mul(v, v128.load(row, 176)));
    if (W > 12) a12 = f64x2.add(a12, f64x2.mul(v, v128.load(row, 192)));
    if (W > 13) a13 = f64x2.add(a13, f64x2.mul(v, v128.load(row, 208)));
    if (W > 14) a14 = f64x2.add(a14, f64x2.mul(v, v128.load(row, 224)));
    if (W > 15) a15 = f64x2.add(a15, f64x2.mul(v, v128.load(row, 240)));
    e += 4;
  }
  v128.store(out, a0, 0);
  if (W > 1) v128.store(out, a1, 16);
  if (W > 2) v128.store(out, a2, 32);
  if (W > 3) v128.store(out, a3, 48);
  if (W > 4) v128.store(out, a4, 64);
  if (W > 5) v128.store(out, a5, 80);
  if (W > 6) v128.store(out, a6, 96);
  if (W > 7) v128.store(out, a7, 112);
  if (W > 8) v128.store(out, a8, 128);
  if (W > 9) v128.store(out, a9, 144);
  if (W > 10) v128.store(out, a10, 160);
  if (W > 11) v128.store(out, a11, 176);
  if (W > 12) v128.store(out, a12, 192);
  if (W > 13) v128.store(out, a13, 208);
  if (W > 14) v128.store(out, a14, 224);
  if (W > 15) v128.store(out, a15, 240);
}

export function acc64W(w: i32, e: usize, end: usize, base: usize, stride: usize, bias: usize, out: usize, scale: usize): void {
  switch (w) {
    case 1: acc64(1, e, end, base, stride, bias, out, scale); return;
    case 2: acc64(2, e, end, base, stride, bias, out, scale); return;
    case 3: acc64(3, e, end, base, stride, bias, out, scale); return;
    case 4: acc64(4, e, end, base, stride, bias, out, scale); return;
    case 5: acc64(5, e, end, base, stride, bias, out, scale); return;
    case 6: acc64(6, e, end, base, stride, bias, out, scale); return;
    case 7: acc64(7, e, end, base, stride, bias, out, scale); return;
    case 8: acc64(8, e, end, base, stride, bias, out, scale); return;
    case 9: acc64(9, e, end, base, stride, bias, out, scale); return;
    case 10: acc64(10, e, end, base, stride, bias, out, scale); return;
    case 11: acc64(11, e, end, base, stride, bias, out, scale); return;
    case 12: acc64(12, e, end, base, stride, bias, out, scale); return;
    case 13: acc64(13, e, end, base, stride, bias, out, scale); return;
    case 14: acc64(14, e, end, base, stride, bias, out, scale); return;
    case 15: acc64(15, e, end, base, stride, bias, out, scale); return;
    case 16: acc64(16, e, end, base, stride, bias, out, scale); return;
    default: unreachable();
  }
}
