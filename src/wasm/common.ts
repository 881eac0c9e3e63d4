// What the float32 training kernel (kernel.ts) and the float64 gradient probe (probe.ts) share: memory, the pixel
// tables, the two image sets and the vector math.

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
export let SCALE32: usize = 0;
export let SCALE64: usize = 0;

export function initTables(): void {
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

// exp by 2^k · e^r with |r| ≤ ln2/2 and a Taylor polynomial, within ~2 ulp; the clamp keeps 2^k a normal number.
// @ts-ignore: decorator
@inline export function exp32(x: v128): v128 {
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

// @ts-ignore: decorator
@inline export function hsum32(v: v128): f32 {
  return (f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1)) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

// Sets the padded lanes of a row's last vector to 0 and the real ones to all-ones, as a mask.
export function laneMask(p: usize, real: i32, lanes: i32): void {
  for (let i = 0; i < lanes; i++) {
    const keep = real % lanes == 0 || i < real % lanes;
    if (lanes == 4) store<i32>(p + (<usize>i << 2), keep ? -1 : 0);
    else store<i64>(p + (<usize>i << 3), keep ? -1 : 0);
  }
}
