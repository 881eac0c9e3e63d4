// The verdict of a script run against the reference, its sentences in English and Japanese, and the ETA.
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { MATCH_TOLERANCE, checkAgainstReference, missingReferenceIters, numericalGradientCost } from '../../src/core/scriptCheck';
import { trainRun } from '../../src/core/train';
import { Eta, formatDuration } from '../../src/runner/eta';
import { syntheticDataset } from '../support/synthetic';
import { mismatches } from '../../src/runner/scriptSession';
import { verdictText } from '../../src/shared/scriptVerdict';
import { ENGLISH } from '../../src/shared/strings/l10n';
import { scriptStrings } from '../../src/shared/strings/script';

const english = scriptStrings(ENGLISH);

const root = join(__dirname, '..', '..', '..');
const ref = [
	{ iter: 0, trainAcc: 0.09915, testAcc: 0.1009 },
	{ iter: 600, trainAcc: 0.7823333333333333, testAcc: 0.7915 },
	{ iter: 1200, trainAcc: 0.87895, testAcc: 0.8814 },
];

describe('a script run against the reference', () => {
	it('identical when every value is the reference’s, bit for bit', () => {
		const c = checkAgainstReference(ref, ref);
		assert.deepEqual([c.match, c.identical, c.compared, c.firstDifference, c.largestGap], [true, true, 3, null, { iter: 0, gap: 0 }]);
		assert.equal(verdictText(c, english).verdict, 'identical to the reference at all 3 evaluations');
	});

	it('matches within rounding, naming the largest gap', () => {
		const mine = ref.map((p, k) => ({ ...p, testAcc: p.testAcc + (k === 2 ? 1.5e-4 : 1e-4) }));
		const c = checkAgainstReference(mine, ref);
		assert.deepEqual([c.match, c.identical, c.largestGap?.iter], [true, false, 1200]);
		assert.ok(Math.abs((c.largestGap?.gap ?? 0) - 1.5e-4) < 1e-12);
		assert.equal(verdictText(c, english).verdict, 'matches the reference within rounding at all 3 evaluations; the largest gap is 1.5e-4 at iteration 1200');
	});

	it('differs from the first evaluation off by more than the tolerance, with both numbers and a hint', () => {
		const mine = [ref[0], { iter: 600, trainAcc: 0.5903, testAcc: 0.5875 }, { iter: 1200, trainAcc: 0.7, testAcc: 0.7 }];
		const c = checkAgainstReference(mine, ref);
		assert.deepEqual(c.firstDifference, { iter: 600, trainAcc: 0.5903, testAcc: 0.5875, referenceTrainAcc: 0.7823333333333333, referenceTestAcc: 0.7915 });
		const v = verdictText(c, english);
		assert.equal(v.verdict, 'differs from iteration 600: yours 0.5903 / 0.5875, reference 0.7823 / 0.7915');
		assert.match(v.hint ?? '', /gradient .* update/);
		// Off from the very first evaluation: the initialisation and the data scaling come first.
		const first = verdictText(checkAgainstReference([{ iter: 0, trainAcc: 0.2, testAcc: 0.2 }], ref), english);
		assert.match(first.hint ?? '', /^It differs at the first evaluation already: look first at the initialisation order/);
		// Just past the tolerance counts as a difference; at it, a match.
		assert.equal(checkAgainstReference([{ ...ref[0], trainAcc: ref[0].trainAcc + MATCH_TOLERANCE * 1.01 }], ref).match, false);
		assert.equal(checkAgainstReference([{ ...ref[0], trainAcc: ref[0].trainAcc + MATCH_TOLERANCE * 0.99 }], ref).match, true);
	});

	it('compares only what the script computed, and lists the iterations the reference must still evaluate', () => {
		const c = checkAgainstReference([{ iter: 600, trainAcc: null, testAcc: 0.7915 }], ref);
		assert.deepEqual([c.identical, c.compared], [true, 1]);
		const none = checkAgainstReference([], ref);
		assert.deepEqual([none.match, none.identical, none.compared], [false, false, 0]);
		assert.equal(verdictText(none, english).verdict, 'no evaluation to compare with the reference');
		assert.deepEqual(missingReferenceIters([{ iter: 599, trainAcc: 1, testAcc: 1 }, { iter: 600, trainAcc: 1, testAcc: 1 }, { iter: -1, trainAcc: 1, testAcc: 1 }], ref), [-1, 599]);
	});

	it('says which setting the script ran with that the reference did not use', () => {
		const settings = { iters: 1201, batchSize: 100, lr: 0.1, hidden: 50, trainSize: 60000 };
		assert.deepEqual(mismatches({ loopLength: 1201, batchSize: 100, lr: 0.1, hidden: 50, trainSize: 60000 }, settings, true), []);
		assert.deepEqual(mismatches({ loopLength: 500, batchSize: 128, lr: 0.1 }, settings, true), [
			{ key: 'iters', script: 500, reference: 1201 },
			{ key: 'batchSize', script: 128, reference: 100 },
		]);
		assert.deepEqual(mismatches({ loopLength: 600 }, settings, false), [], 'an inner loop’s length is not the iteration count');
	});
});

describe('the reference evaluating where a script does', () => {
	it('evaluates after exactly the given iterations (-1: before the first update), on the same trajectory, and stops after the last', () => {
		const data = syntheticDataset(600, 200, 6, 1);
		const settings = { iters: 130, batchSize: 10, lr: 0.5, hidden: 8, seed: 7 };
		const book = trainRun({ settings, data, sampler: 'replacement' });
		const at = trainRun({ settings, data, sampler: 'replacement', evalAt: [-1, 59, 60, 99] });
		assert.deepEqual(at.evals.map((e) => e.iter), [-1, 59, 60, 99]);
		assert.deepEqual(at.evals[2], book.evals[1]);
		assert.equal(at.losses.length, 100);
		assert.deepEqual(Array.from(at.losses), Array.from(book.losses.subarray(0, 100)));
	});
});

describe('the numerical gradient’s cost in a training run', () => {
	it('follows the gradient check’s cost model: 2 × P loss evaluations per iteration', () => {
		const c = numericalGradientCost(10000, 784, 50, 10);
		assert.equal(c.parameters, 39760);
		assert.equal(c.lossEvaluations, 79520);
		// 10,000 × 79,520 passes at 1/3 ms to 4 ms each: days, not minutes.
		assert.ok(c.hoursLow > 70 && c.hoursLow < 80, String(c.hoursLow));
		assert.ok(Math.abs(c.hoursHigh / c.hoursLow - 12) < 1e-9);
	});
});

describe('ETA', () => {
	it('waits for two seconds and 2% of the work, then extrapolates the rate so far', () => {
		let now = 0;
		const eta = new Eta(1000, () => now);
		eta.update('a', 0);
		now = 1000;
		eta.update('a', 100);
		assert.equal(eta.secondsLeft(), undefined);
		now = 4000;
		eta.update('a', 200);
		eta.update('b', 200);
		// 400 done in 4 s: 600 left at 100 per second.
		assert.equal(eta.secondsLeft(), 6);
		eta.finish('a', 500);
		assert.equal(eta.fraction(), 0.7);
		assert.deepEqual([formatDuration(45), formatDuration(80), formatDuration(3720)], ['45 s', '1 min 20 s', '1 h 2 min']);
	});
});

describe('own-script sentences in Japanese', () => {
	it('every t(...) message of the feature (src/runner/scriptText.ts, src/extension/script/) has a translation with the same placeholders', () => {
		const ja = JSON.parse(readFileSync(join(root, 'l10n', 'bundle.l10n.ja.json'), 'utf8')) as Record<string, string>;
		const dir = join(root, 'src', 'extension', 'script');
		const files = [join(root, 'src', 'runner', 'scriptText.ts'), ...readdirSync(dir).filter((f) => f.endsWith('.ts')).map((f) => join(dir, f))];
		const placeholders = (s: string) => [...s.matchAll(/\{\d+\}/g)].map((m) => m[0]).sort();
		let checked = 0;
		for (const file of files) {
			const src = readFileSync(file, 'utf8');
			for (const m of src.matchAll(/\bt\(\s*(['"])((?:\\.|(?!\1)[^\\])*)\1/g)) {
				const key = m[2].replace(/\\(['"\\])/g, '$1');
				assert.ok(key in ja, `${file}: no Japanese for "${key}"`);
				assert.deepEqual(placeholders(ja[key]), placeholders(key), key);
				checked++;
			}
		}
		assert.ok(checked >= 40, `only ${checked} messages found`);
	});
});
