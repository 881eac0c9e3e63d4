import { argmaxRows, crossEntropyError, sigmoid, sigmoidGrad, softmax } from './functions';
import { numericalGradient } from './gradient';
import { addRowVector, dot, dotTransA, dotTransB, sumRows } from './matrix';
import type { NumpyRandom } from './rng';

/** W1 (input×hidden), b1 (hidden), W2 (hidden×output), b2 (output), row-major. */
export interface Params {
	W1: Float64Array;
	b1: Float64Array;
	W2: Float64Array;
	b2: Float64Array;
}

export const PARAM_NAMES = ['W1', 'b1', 'W2', 'b2'] as const;
export type ParamName = (typeof PARAM_NAMES)[number];

export function cloneParams(p: Params): Params {
	return { W1: p.W1.slice(), b1: p.b1.slice(), W2: p.W2.slice(), b2: p.b2.slice() };
}

export function paramCount(inputSize: number, hiddenSize: number, outputSize: number): number {
	return inputSize * hiddenSize + hiddenSize + hiddenSize * outputSize + outputSize;
}

/** `weight_init_std * np.random.randn(...)` for W1 then W2, biases zero: the book's constructor, in its RNG order. */
export function initParams(rng: NumpyRandom, inputSize: number, hiddenSize: number, outputSize: number, weightInitStd = 0.01): Params {
	return {
		W1: rng.randnArray(inputSize * hiddenSize, weightInitStd),
		b1: new Float64Array(hiddenSize),
		W2: rng.randnArray(hiddenSize * outputSize, weightInitStd),
		b2: new Float64Array(outputSize),
	};
}

/**
 * The book's `ch04/two_layer_net.py`, readable first. Batches are row-major (n rows of inputSize values) and
 * `t` holds label indices rather than one-hot rows; the arithmetic is the same.
 */
export class TwoLayerNet {
	constructor(
		readonly inputSize: number,
		readonly hiddenSize: number,
		readonly outputSize: number,
		public params: Params,
		/** The 1e-7 inside the log; 0 gives the exact log that backprop differentiates. */
		readonly lossDelta = 1e-7,
	) {}

	/** a1 = x·W1 + b1, z1 = sigmoid(a1), a2 = z1·W2 + b2, y = softmax(a2) */
	predict(x: Float64Array, n: number): Float64Array {
		const { W1, b1, W2, b2 } = this.params;
		const a1 = addRowVector(dot(x, W1, n, this.inputSize, this.hiddenSize), b1, n, this.hiddenSize);
		const z1 = sigmoid(a1);
		const a2 = addRowVector(dot(z1, W2, n, this.hiddenSize, this.outputSize), b2, n, this.outputSize);
		return softmax(a2, n, this.outputSize);
	}

	loss(x: Float64Array, t: ArrayLike<number>, n: number): number {
		return crossEntropyError(this.predict(x, n), t, n, this.outputSize, this.lossDelta);
	}

	/** Counts correct predictions (the book returns the fraction; callers add up chunks). */
	correct(x: Float64Array, t: ArrayLike<number>, n: number): number {
		const y = argmaxRows(this.predict(x, n), n, this.outputSize);
		let c = 0;
		for (let i = 0; i < n; i++) if (y[i] === t[i]) c++;
		return c;
	}

	accuracy(x: Float64Array, t: ArrayLike<number>, n: number): number {
		return this.correct(x, t, n) / n;
	}

	/** The book's `numerical_gradient` over every parameter. */
	numericalGradient(x: Float64Array, t: ArrayLike<number>, n: number): Params {
		const f = () => this.loss(x, t, n);
		const p = this.params;
		return { W1: numericalGradient(f, p.W1), b1: numericalGradient(f, p.b1), W2: numericalGradient(f, p.W2), b2: numericalGradient(f, p.b2) };
	}

	/** Backprop, as `gradient()` in the book: dy = (y − t) / batch_num, then back through W2 and the sigmoid. */
	gradient(x: Float64Array, t: ArrayLike<number>, n: number): Params {
		const { W1, b1, W2, b2 } = this.params;
		const H = this.hiddenSize;
		const O = this.outputSize;
		const a1 = addRowVector(dot(x, W1, n, this.inputSize, H), b1, n, H);
		const z1 = sigmoid(a1);
		const a2 = addRowVector(dot(z1, W2, n, H, O), b2, n, O);
		const y = softmax(a2, n, O);

		const dy = y; // reused in place: y is not needed after this
		for (let i = 0; i < n; i++) {
			dy[i * O + t[i]] -= 1;
			for (let j = 0; j < O; j++) dy[i * O + j] /= n;
		}
		const gW2 = dotTransA(z1, dy, n, H, O);
		const gb2 = sumRows(dy, n, O);
		const da1 = dotTransB(dy, W2, n, O, H);
		const dz1 = sigmoidGrad(a1);
		for (let i = 0; i < dz1.length; i++) dz1[i] *= da1[i];
		const gW1 = dotTransA(x, dz1, n, this.inputSize, H);
		const gb1 = sumRows(dz1, n, H);
		return { W1: gW1, b1: gb1, W2: gW2, b2: gb2 };
	}
}
