// What the float32 training kernel (kernel.ts) and the float64 gradient probe (probe.ts) share: memory, the pixel
// tables, the two image sets and the vector math.

// ---- memory: a bump allocator over chunks that memory.grow hands out; nothing is ever freed -----------------------
// The memory is imported and may be shared by the instances in several workers (the encoded images are written once
// and read by all). memory.grow is atomic and returns where the new pages start, so a chunk it gives is this
// instance's alone; the allocator never assumes that the pages after its chunk are its own.

let top: usize = 0;
let limit: usize = 0;
const CHUNK: usize = 1 << 20;

export function alloc(bytes: usize): usize {
  bytes = (bytes + 15) & ~(<usize>15);
  if (top + bytes > limit) {
    const pages = <i32>((max(bytes, CHUNK) + 0xffff) >>> 16);
    const at = memory.grow(pages);
    if (at < 0) unreachable();
    top = <usize>at << 16;
    limit = top + (<usize>pages << 16);
  }
  const p = top;
  top += bytes;
  return p;
}

// float32(v / 255) as the book's load_mnist(normalize=True), and the same values widened to float64.
export let SCALE32: usize = 0;
export let SCALE64: usize = 0;
// exp32's constants as vectors (see expK): V8 rebuilds a v128.const with three instructions at every use, a load is one.
export let EXPK: usize = 0;

export function initTables(): void {
  if (SCALE32 != 0) return;
  SCALE32 = alloc(256 * 4);
  SCALE64 = alloc(256 * 8);
  for (let v = 0; v < 256; v++) {
    const f = <f32>(<f64>v / 255.0);
    store<f32>(SCALE32 + (<usize>v << 2), f);
    store<f64>(SCALE64 + (<usize>v << 3), <f64>f);
  }
  EXPK = alloc(14 * 16);
  v128.store(EXPK, f32x4.splat(<f32>12582912.0), 0); // 1.5 · 2^23: adding it rounds to an integer held in the low mantissa bits
  v128.store(EXPK, f32x4.splat(<f32>-87.0), 16);
  v128.store(EXPK, f32x4.splat(<f32>88.0), 32);
  v128.store(EXPK, f32x4.splat(<f32>1.4426950408889634), 48);
  v128.store(EXPK, f32x4.splat(<f32>0.693359375), 64);
  v128.store(EXPK, f32x4.splat(<f32>-2.12194440e-4), 80);
  v128.store(EXPK, f32x4.splat(<f32>(1.0 / 5040.0)), 96);
  v128.store(EXPK, f32x4.splat(<f32>(1.0 / 720.0)), 112);
  v128.store(EXPK, f32x4.splat(<f32>(1.0 / 120.0)), 128);
  v128.store(EXPK, f32x4.splat(<f32>(1.0 / 24.0)), 144);
  v128.store(EXPK, f32x4.splat(<f32>(1.0 / 6.0)), 160);
  v128.store(EXPK, f32x4.splat(<f32>0.5), 176);
  v128.store(EXPK, f32x4.splat(<f32>1.0), 192);
  v128.store(EXPK, i32x4.splat(127), 208);
}

// ---- image sets: 0 = training set (or a gradient batch), 1 = test set -------------------------------------------
// Row r's nonzero pixels are entries[rowStart[r] .. rowStart[r + 1]), each (pixel << 8) | value.

export let rowStart0: usize = 0;
export let entries0: usize = 0;
export let labels0: usize = 0;
export let count0: i32 = 0;
export let rowStart1: usize = 0;
export let entries1: usize = 0;
export let labels1: usize = 0;
export let count1: i32 = 0;

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

// exp by 2^n · e^r with |r| ≤ ln2/2 and a degree-7 Taylor polynomial (Estrin's scheme: a short dependency chain), within
// ~2 ulp; the clamp keeps 2^n a normal number. `k` is EXPK. pmin/pmax are single instructions, unlike min/max, whose
// NaN rules cost V8 about seven each (a NaN still comes out NaN, and a diverging run is caught by its loss).
// @ts-ignore: decorator
@inline export function expK(x: v128, k: usize): v128 {
  x = f32x4.pmin(f32x4.pmax(x, v128.load(k, 16)), v128.load(k, 32));
  const shift = v128.load(k, 0);
  const t = f32x4.add(f32x4.mul(x, v128.load(k, 48)), shift);
  const n = f32x4.sub(t, shift);
  const r = f32x4.sub(f32x4.sub(x, f32x4.mul(n, v128.load(k, 64))), f32x4.mul(n, v128.load(k, 80)));
  const r2 = f32x4.mul(r, r);
  const r4 = f32x4.mul(r2, r2);
  const p01 = f32x4.add(v128.load(k, 192), r);
  const p23 = f32x4.add(v128.load(k, 176), f32x4.mul(v128.load(k, 160), r));
  const p45 = f32x4.add(v128.load(k, 144), f32x4.mul(v128.load(k, 128), r));
  const p67 = f32x4.add(v128.load(k, 112), f32x4.mul(v128.load(k, 96), r));
  const p = f32x4.add(f32x4.add(p01, f32x4.mul(r2, p23)), f32x4.mul(r4, f32x4.add(p45, f32x4.mul(r2, p67))));
  return f32x4.mul(p, i32x4.shl(i32x4.add(t, v128.load(k, 208)), 23));
}

// The same in float64, to full double precision (degree 13), so the probe's loss is smooth to ~1e-16.
// @ts-ignore: decorator
@inline export function exp64(x: v128): v128 {
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

// Sets the padded lanes of a row's last vector to 0 and the real ones to all-ones, as a mask.
export function laneMask(p: usize, real: i32, lanes: i32): void {
  for (let i = 0; i < lanes; i++) {
    const keep = real % lanes == 0 || i < real % lanes;
    if (lanes == 4) store<i32>(p + (<usize>i << 2), keep ? -1 : 0);
    else store<i64>(p + (<usize>i << 3), keep ? -1 : 0);
  }
}
