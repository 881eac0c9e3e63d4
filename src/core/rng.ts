/**
 * MT19937 seeded and consumed exactly as NumPy's legacy `np.random.seed(s)` / `RandomState` does,
 * so a seed here draws the same weights, batches and shuffles as the book's code run with that seed.
 * References: NumPy `random/src/mt19937/mt19937.c`, `random/src/legacy/legacy-distributions.c` (legacy_gauss),
 * `random/src/distributions/distributions.c` (random_interval, buffered_bounded_masked_uint32).
 */
export class NumpyRandom {
	private readonly mt = new Uint32Array(624);
	private pos = 624;
	private hasGauss = false;
	private gauss = 0;

	constructor(seed: number) {
		if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new RangeError(`seed must be an integer from 0 to 4294967295, got ${seed}`);
		const mt = this.mt;
		mt[0] = seed >>> 0;
		for (let i = 1; i < 624; i++) {
			const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
			mt[i] = (Math.imul(1812433253, prev) + i) >>> 0;
		}
	}

	/** A copy with the same state, so several samplers can continue from one seeded point. */
	clone(): NumpyRandom {
		const c = new NumpyRandom(0);
		c.mt.set(this.mt);
		c.pos = this.pos;
		c.hasGauss = this.hasGauss;
		c.gauss = this.gauss;
		return c;
	}

	private twist(): void {
		const mt = this.mt;
		for (let i = 0; i < 624; i++) {
			const y = (mt[i] & 0x80000000) | (mt[(i + 1) % 624] & 0x7fffffff);
			let v = mt[(i + 397) % 624] ^ (y >>> 1);
			if (y & 1) v ^= 0x9908b0df;
			mt[i] = v >>> 0;
		}
		this.pos = 0;
	}

	nextUint32(): number {
		if (this.pos >= 624) this.twist();
		let y = this.mt[this.pos++];
		y ^= y >>> 11;
		y ^= (y << 7) & 0x9d2c5680;
		y ^= (y << 15) & 0xefc60000;
		y ^= y >>> 18;
		return y >>> 0;
	}

	/** `np.random.random_sample()`: 53 random bits from two draws. */
	nextDouble(): number {
		const a = this.nextUint32() >>> 5;
		const b = this.nextUint32() >>> 6;
		return (a * 67108864.0 + b) / 9007199254740992.0;
	}

	/** `np.random.randn()`: the legacy polar method, which caches its second value. */
	randn(): number {
		if (this.hasGauss) {
			this.hasGauss = false;
			const g = this.gauss;
			this.gauss = 0;
			return g;
		}
		let x1: number, x2: number, r2: number;
		do {
			x1 = 2.0 * this.nextDouble() - 1.0;
			x2 = 2.0 * this.nextDouble() - 1.0;
			r2 = x1 * x1 + x2 * x2;
		} while (r2 >= 1.0 || r2 === 0.0);
		const f = Math.sqrt((-2.0 * logCorrectlyRounded(r2)) / r2);
		this.gauss = f * x1;
		this.hasGauss = true;
		return f * x2;
	}

	/** `scale * np.random.randn(n)` as a flat array in C order. */
	randnArray(n: number, scale = 1): Float64Array {
		const out = new Float64Array(n);
		for (let i = 0; i < n; i++) out[i] = scale * this.randn();
		return out;
	}

	/** An integer in [0, max] by masked rejection, as NumPy's legacy bounded integers and `random_interval` do for max < 2^32. */
	interval(max: number): number {
		if (max === 0) return 0;
		let mask = max;
		mask |= mask >>> 1;
		mask |= mask >>> 2;
		mask |= mask >>> 4;
		mask |= mask >>> 8;
		mask |= mask >>> 16;
		mask >>>= 0;
		let v: number;
		do v = (this.nextUint32() & mask) >>> 0;
		while (v > max);
		return v;
	}

	/** `np.random.choice(n, size)` with replacement (= `randint(0, n, size)`), written into `out[0..size)`. */
	choice(n: number, size: number, out: Int32Array): void {
		for (let i = 0; i < size; i++) out[i] = this.interval(n - 1);
	}

	/** `np.random.shuffle(x)` on a 1-d array: Fisher–Yates from the end. */
	shuffle(x: Int32Array): void {
		for (let i = x.length - 1; i >= 1; i--) {
			const j = this.interval(i);
			const t = x[i];
			x[i] = x[j];
			x[j] = t;
		}
	}
}

// Double-double helpers: a value is hi + lo with |lo| <= ulp(hi)/2.
const SPLITTER = 134217729; // 2^27 + 1 (Veltkamp split)

function twoSum(a: number, b: number): [number, number] {
	const s = a + b;
	const bb = s - a;
	return [s, a - (s - bb) + (b - bb)];
}

function fastTwoSum(a: number, b: number): [number, number] {
	const s = a + b;
	return [s, b - (s - a)];
}

function twoProd(a: number, b: number): [number, number] {
	const p = a * b;
	let c = SPLITTER * a;
	const ah = c - (c - a);
	const al = a - ah;
	c = SPLITTER * b;
	const bh = c - (c - b);
	const bl = b - bh;
	return [p, ah * bh - p + ah * bl + al * bh + al * bl];
}

function ddMul(ah: number, al: number, bh: number, bl: number): [number, number] {
	const [p, e] = twoProd(ah, bh);
	return fastTwoSum(p, e + (ah * bl + al * bh));
}

function ddAdd(ah: number, al: number, bh: number, bl: number): [number, number] {
	const [s, e] = twoSum(ah, bh);
	const [t, f] = twoSum(al, bl);
	const [s2, e2] = fastTwoSum(s, e + t);
	return fastTwoSum(s2, e2 + f);
}

/** a / (bh + bl) for a double a. */
function ddDivD(a: number, bh: number, bl: number): [number, number] {
	const q = a / bh;
	const [p, e] = twoProd(q, bh);
	return fastTwoSum(q, (a - p - e - q * bl) / bh);
}

/** 1 / (2j + 1): the atanh series coefficients, to double-double precision. */
const ATANH_COEF = Array.from({ length: 23 }, (_, j) => ddDivD(1, 2 * j + 1, 0));
const LN2_HI = 0.6931471805599453;
const LN2_LO = 2.3190468138462996e-17;
const logView = new DataView(new ArrayBuffer(8));

/**
 * log(x) rounded to nearest. V8's Math.log (fdlibm) is off by an ulp for about 7% of legacy_gauss's r2 values,
 * while glibc's log, which NumPy calls, is correctly rounded for all but about 0.08% of them.
 * x = 2^k·m with m in [√½, √2); log m = 2·atanh(s), s = (m-1)/(m+1), summed in double-double (error ~2^-100).
 */
export function logCorrectlyRounded(x: number): number {
	if (!(x > 0) || x === Infinity) return Math.log(x);
	let k = 0;
	if (x < 2.2250738585072014e-308) {
		x *= 18014398509481984; // 2^54: make a subnormal normal
		k = -54;
	}
	logView.setFloat64(0, x);
	const hiWord = logView.getUint32(0);
	k += (hiWord >>> 20) - 1023;
	logView.setUint32(0, (hiWord & 0x000fffff) | 0x3ff00000);
	let m = logView.getFloat64(0);
	if (m > Math.SQRT2) {
		m *= 0.5;
		k++;
	}
	// m - 1 is exact (Sterbenz); m + 1 is kept exact as a pair.
	const [dh, dl] = twoSum(m, 1);
	const [sh, sl] = ddDivD(m - 1, dh, dl);
	const [zh, zl] = ddMul(sh, sl, sh, sl);
	// z <= 0.0295, so terms from z^11 on are below 2^-60 of the sum and plain doubles suffice.
	let tail = ATANH_COEF[22][0];
	for (let j = 21; j >= 11; j--) tail = tail * zh + ATANH_COEF[j][0];
	let ph = tail;
	let pl = 0;
	for (let j = 10; j >= 0; j--) {
		[ph, pl] = ddMul(ph, pl, zh, zl);
		[ph, pl] = ddAdd(ph, pl, ATANH_COEF[j][0], ATANH_COEF[j][1]);
	}
	const [lh, ll] = ddMul(ph, pl, 2 * sh, 2 * sl);
	const [kh, ke] = twoProd(k, LN2_HI);
	return ddAdd(lh, ll, kh, ke + k * LN2_LO)[0];
}
