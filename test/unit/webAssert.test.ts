import * as nodeAssert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as webAssert from '../host/web/assert';

// The browser's stand-in for node:assert/strict (test/host/web/assert.ts) must pass and fail exactly where node's does,
// or the in-host suite in the browser could pass what fails in Node.

class Point {
	constructor(
		readonly x: number,
		readonly y: number,
	) {}
}

const pairs: [string, unknown, unknown][] = [
	['equal numbers', 1, 1],
	['different numbers', 1, 2],
	['NaN', NaN, NaN],
	['0 and -0', 0, -0],
	['number and string', 1, '1'],
	['null and undefined', null, undefined],
	['strings', 'a', 'a'],
	['arrays', [1, [2, 3]], [1, [2, 3]]],
	['arrays of other lengths', [1, 2], [1, 2, 3]],
	['arrays, one element off', [1, 2, 3], [1, 2, 4]],
	['objects', { a: 1, b: { c: [1] } }, { a: 1, b: { c: [1] } }],
	['objects, a key missing', { a: 1, b: undefined }, { a: 1 }],
	['objects, a value off deep down', { a: { b: { c: 1 } } }, { a: { b: { c: '1' } } }],
	['class and plain object', new Point(1, 2), { x: 1, y: 2 }],
	['class instances', new Point(1, 2), new Point(1, 2)],
	['array and object', [1], { 0: 1 }],
	['typed arrays', Uint8Array.of(1, 2), Uint8Array.of(1, 2)],
	['typed arrays, different', Uint8Array.of(1, 2), Uint8Array.of(1, 3)],
	['typed arrays of two types', Uint8Array.of(1), Int8Array.of(1)],
	['dates', new Date(5), new Date(5)],
	['dates, different', new Date(5), new Date(6)],
	['maps', new Map([[1, { a: 1 }]]), new Map([[1, { a: 1 }]])],
	['maps, different', new Map([[1, 2]]), new Map([[1, 3]])],
	['sets', new Set([1, 2]), new Set([1, 2])],
	['sets, different', new Set([1, 2]), new Set([1, 3])],
	['nested NaN', [NaN], [NaN]],
	['nested -0', [0], [-0]],
];

const outcome = (fn: () => void) => {
	try {
		fn();
		return 'passes';
	} catch (e) {
		return e instanceof Error && e.name === 'AssertionError' ? 'fails' : `throws ${String(e)}`;
	}
};

describe('the browser suite’s assert (test/host/web/assert.ts)', () => {
	for (const [name, a, b] of pairs) {
		it(`agrees with node on ${name}`, () => {
			for (const op of ['equal', 'notEqual', 'deepEqual', 'notDeepEqual'] as const) {
				nodeAssert.equal(outcome(() => webAssert[op](a, b)), outcome(() => nodeAssert[op](a, b)), `${op}(${name})`);
			}
		});
	}

	it('agrees with node on ok, match and doesNotMatch', () => {
		for (const v of [0, 1, '', 'x', null, undefined, NaN, [], {}]) nodeAssert.equal(outcome(() => webAssert.ok(v)), outcome(() => nodeAssert.ok(v)), `ok(${String(v)})`);
		for (const [s, re] of [['abc', /b/], ['abc', /d/], ['', /^$/]] as const) {
			nodeAssert.equal(outcome(() => webAssert.match(s, re)), outcome(() => nodeAssert.match(s, re)), `match(${s}, ${re})`);
			nodeAssert.equal(outcome(() => webAssert.doesNotMatch(s, re)), outcome(() => nodeAssert.doesNotMatch(s, re)), `doesNotMatch(${s}, ${re})`);
		}
		// A non-string never matches (node throws a TypeError for it: a failure either way).
		nodeAssert.throws(() => webAssert.match(undefined as unknown as string, /x/), /did not match/);
	});

	it('agrees with node on throws', () => {
		const typeError = () => {
			throw new TypeError('abc');
		};
		const cases: [string, () => unknown, Parameters<typeof webAssert.throws>[1]][] = [
			['no exception', () => 1, undefined],
			['any exception', typeError, undefined],
			['its class', typeError, TypeError],
			['another class', typeError, RangeError],
			['Error itself', typeError, Error],
			['a RegExp on String(error)', typeError, /TypeError: abc/],
			['a RegExp that misses', typeError, /^abc/],
			['a validation function', typeError, (e: unknown) => e instanceof TypeError && e.message === 'abc'],
			['a validation function that says no', typeError, (e: unknown) => (e as Error).message === 'x'],
			['properties', typeError, { name: 'TypeError', message: 'abc' }],
			['properties, a RegExp', typeError, { message: /^ab/ }],
			['properties, one off', typeError, { name: 'RangeError' }],
			['a thrown string', () => {
				throw 'str';
			}, /str/],
		];
		for (const [name, fn, expected] of cases) {
			nodeAssert.equal(outcome(() => webAssert.throws(fn, expected)), outcome(() => nodeAssert.throws(fn, expected as never)), `throws: ${name}`);
		}
	});

	it('fails with the message it was given', () => {
		nodeAssert.throws(() => webAssert.equal(1, 2, 'one is not two'), { name: 'AssertionError', message: 'one is not two' });
		nodeAssert.throws(() => webAssert.ok(false, 'not ok'), { name: 'AssertionError', message: 'not ok' });
	});
});
