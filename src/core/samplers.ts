import type { NumpyRandom } from './rng';

/** Draws the indices of one minibatch per call. New samplers implement this and register in SAMPLERS. */
export interface Sampler {
	readonly id: SamplerId;
	/** Writes the next batch's indices into `out` and returns how many it wrote (an epoch's last slice may be short). */
	next(out: Int32Array): number;
}

export const SAMPLER_IDS = ['replacement', 'epoch-shuffle', 'sequential'] as const;
export type SamplerId = (typeof SAMPLER_IDS)[number];

export const SAMPLER_LABELS: Record<SamplerId, string> = {
	replacement: 'with replacement (book)',
	'epoch-shuffle': 'per-epoch shuffle',
	sequential: 'sequential (no shuffle)',
};

export function isSamplerId(s: string): s is SamplerId {
	return (SAMPLER_IDS as readonly string[]).includes(s);
}

/** The book's `np.random.choice(train_size, batch_size)`: every draw independent, so repeats happen. */
class ReplacementSampler implements Sampler {
	readonly id = 'replacement';
	constructor(
		private readonly trainSize: number,
		private readonly batchSize: number,
		private readonly rng: NumpyRandom,
	) {}
	next(out: Int32Array): number {
		this.rng.choice(this.trainSize, this.batchSize, out);
		return this.batchSize;
	}
}

/** Walks an index order in consecutive slices; `reorder` runs before each pass (a reshuffle, or nothing). */
class SlicingSampler implements Sampler {
	private readonly order: Int32Array;
	private pos: number;
	constructor(
		readonly id: SamplerId,
		trainSize: number,
		private readonly batchSize: number,
		private readonly reorder: (order: Int32Array) => void,
	) {
		this.order = new Int32Array(trainSize);
		this.pos = trainSize; // forces the first reorder on the first call
	}
	next(out: Int32Array): number {
		const n = this.order.length;
		if (this.pos >= n) {
			for (let i = 0; i < n; i++) this.order[i] = i;
			this.reorder(this.order);
			this.pos = 0;
		}
		const len = Math.min(this.batchSize, n - this.pos);
		out.set(this.order.subarray(this.pos, this.pos + len));
		this.pos += len;
		return len;
	}
}

export function createSampler(id: SamplerId, trainSize: number, batchSize: number, rng: NumpyRandom): Sampler {
	switch (id) {
		case 'replacement':
			return new ReplacementSampler(trainSize, batchSize, rng);
		case 'epoch-shuffle':
			// The study group's fix: `np.random.shuffle` once per epoch, then consecutive slices.
			return new SlicingSampler(id, trainSize, batchSize, (order) => rng.shuffle(order));
		case 'sequential':
			return new SlicingSampler(id, trainSize, batchSize, () => undefined);
	}
}
