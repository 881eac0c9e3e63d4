import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { crossEntropyError, sigmoid, softmax } from '../../src/core/functions';

const close = (a: number, b: number, tol = 1e-12) => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

describe("the book's functions", () => {
	it('softmax matches values computed by hand', () => {
		// exp(1), exp(2), exp(3) over their sum 30.19287485...
		const y = softmax(Float64Array.of(1, 2, 3), 1, 3);
		close(y[0], 0.09003057317038046);
		close(y[1], 0.24472847105479767);
		close(y[2], 0.6652409557748219);
	});

	it('softmax subtracts the row max, so huge inputs do not overflow', () => {
		const y = softmax(Float64Array.of(1010, 1000, 990, 1, 2, 3), 2, 3);
		close(y[0], 0.999954600070331);
		close(y[3] + y[4] + y[5], 1);
		close(y[5], 0.6652409557748219);
	});

	it('cross-entropy equals the book examples (with the 1e-7 inside the log)', () => {
		const y = Float64Array.of(0.1, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0);
		close(crossEntropyError(y, [2], 1, 10), 0.510825457099338, 1e-12);
		close(crossEntropyError(y, [7], 1, 10), 2.302584092994546, 1e-12);
		// a zero probability stays finite thanks to 1e-7: -log(1e-7)
		close(crossEntropyError(y, [3], 1, 10), 16.11809565095832, 1e-9);
	});

	it('cross-entropy averages over the batch', () => {
		const y = Float64Array.of(0.5, 0.5, 0.25, 0.75);
		close(crossEntropyError(y, [0, 1], 2, 2, 0), (Math.log(2) + Math.log(4 / 3)) / 2);
	});

	it('sigmoid at 0 and symmetric points', () => {
		const s = sigmoid(Float64Array.of(0, 2, -2));
		close(s[0], 0.5);
		close(s[1] + s[2], 1);
		close(s[1], 0.8807970779778823);
	});
});
