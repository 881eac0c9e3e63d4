import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { NumpyRandom } from '../../src/core/rng';
import { PARAM_NAMES, TwoLayerNet, initParams, type Params } from '../../src/core/twoLayerNet';

/** Largest |a−b| / max(|a|,|b|) over elements whose gradient is not negligible. */
function maxRelError(a: Params, b: Params): number {
	let worst = 0;
	for (const k of PARAM_NAMES) {
		for (let i = 0; i < a[k].length; i++) {
			const scale = Math.max(Math.abs(a[k][i]), Math.abs(b[k][i]));
			if (scale > 1e-6) worst = Math.max(worst, Math.abs(a[k][i] - b[k][i]) / scale);
		}
	}
	return worst;
}

function smallNet(lossDelta: number): { net: TwoLayerNet; x: Float64Array; t: number[] } {
	const rng = new NumpyRandom(3);
	const [I, H, O, n] = [7, 5, 4, 6];
	const net = new TwoLayerNet(I, H, O, initParams(rng, I, H, O, 0.5), lossDelta);
	const x = rng.randnArray(n * I);
	for (let i = 0; i < x.length; i += 3) x[i] = 0; // zeros exercise the sparse skip
	const t = Array.from({ length: n }, () => rng.interval(O - 1));
	return { net, x, t };
}

describe('backprop against the numerical gradient', () => {
	it('agrees to a relative error ≤ 1e-6 with an exact log (float64)', () => {
		const { net, x, t } = smallNet(0);
		const err = maxRelError(net.gradient(x, t, 6), net.numericalGradient(x, t, 6));
		assert.ok(err <= 1e-6, `relative error ${err}`);
	});

	it('is measurably off with the book’s 1e-7 inside the log, which backprop ignores', () => {
		const { net, x, t } = smallNet(1e-7);
		const exact = smallNet(0);
		const errBook = maxRelError(net.gradient(x, t, 6), net.numericalGradient(x, t, 6));
		const errExact = maxRelError(exact.net.gradient(exact.x, exact.t, 6), exact.net.numericalGradient(exact.x, exact.t, 6));
		assert.ok(errBook > errExact, `book ${errBook} should exceed exact ${errExact}`);
	});

	it('every gradient has its parameter’s shape', () => {
		const { net, x, t } = smallNet(0);
		const g = net.gradient(x, t, 6);
		for (const k of PARAM_NAMES) assert.equal(g[k].length, net.params[k].length, k);
	});
});
