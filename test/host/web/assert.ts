/**
 * `node:assert/strict` for the in-host suite in the browser (the web worker host has no Node built-ins): the functions the
 * suite uses, with node's strict semantics (Object.is, deep equality that compares prototypes). test/unit/webAssert.test.ts
 * checks it against node's own on the same cases.
 */

export class AssertionError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'AssertionError';
	}
}

function show(v: unknown): string {
	if (typeof v === 'string') return JSON.stringify(v);
	if (typeof v === 'bigint') return `${v}n`;
	if (v instanceof RegExp || typeof v !== 'object' || v === null) return String(v);
	try {
		return JSON.stringify(v, (_k, x: unknown) => (ArrayBuffer.isView(x) && !(x instanceof DataView) ? Array.from(x as unknown as ArrayLike<number>) : x))?.slice(0, 500) ?? String(v);
	} catch {
		return Object.prototype.toString.call(v);
	}
}

function fail(message: string | Error | undefined, fallback: string): never {
	if (message instanceof Error) throw message;
	throw new AssertionError(message ?? fallback);
}

export function ok(value: unknown, message?: string | Error): asserts value {
	if (!value) fail(message, `The expression evaluated to a falsy value: ${show(value)}`);
}

export function equal<T>(actual: unknown, expected: T, message?: string | Error): asserts actual is T {
	if (!Object.is(actual, expected)) fail(message, `Expected values to be strictly equal:\n${show(actual)} !== ${show(expected)}`);
}

export function notEqual(actual: unknown, expected: unknown, message?: string | Error): void {
	if (Object.is(actual, expected)) fail(message, `Expected "actual" to be strictly unequal to: ${show(expected)}`);
}

export function match(actual: string, pattern: RegExp, message?: string | Error): void {
	if (typeof actual !== 'string' || !pattern.test(actual)) fail(message, `The input did not match the regular expression ${pattern}. Input:\n${show(actual)}`);
}

export function doesNotMatch(actual: string, pattern: RegExp, message?: string | Error): void {
	if (typeof actual !== 'string' || pattern.test(actual)) fail(message, `The input was expected to not match the regular expression ${pattern}. Input:\n${show(actual)}`);
}

/** node's isDeepStrictEqual for what tests compare: primitives, arrays, plain objects and classes, typed arrays, Maps, Sets, Dates, RegExps. */
export function isDeepStrictEqual(a: unknown, b: unknown, seen = new Map<object, object>()): boolean {
	if (Object.is(a, b)) return true;
	if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
	if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
	if (seen.get(a) === b) return true;
	seen.set(a, b);
	if (a instanceof Date) return Object.is(a.getTime(), (b as Date).getTime());
	if (a instanceof RegExp) return String(a) === String(b);
	if (ArrayBuffer.isView(a)) {
		const x = a as unknown as ArrayLike<unknown>;
		const y = b as unknown as ArrayLike<unknown>;
		if (x.length !== y.length) return false;
		for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) return false;
	}
	if (a instanceof Map) {
		const m = b as Map<unknown, unknown>;
		if (a.size !== m.size) return false;
		for (const [k, v] of a) if (!m.has(k) || !isDeepStrictEqual(v, m.get(k), seen)) return false;
	}
	if (a instanceof Set) {
		const s = b as Set<unknown>;
		if (a.size !== s.size) return false;
		for (const v of a) if (!s.has(v)) return false;
	}
	if (Array.isArray(a) && a.length !== (b as unknown[]).length) return false;
	const ka = Object.keys(a);
	const kb = Object.keys(b);
	if (ka.length !== kb.length) return false;
	for (const k of ka) {
		if (!Object.prototype.hasOwnProperty.call(b, k)) return false;
		if (!isDeepStrictEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], seen)) return false;
	}
	return true;
}

export function deepEqual<T>(actual: unknown, expected: T, message?: string | Error): asserts actual is T {
	if (!isDeepStrictEqual(actual, expected)) fail(message, `Expected values to be strictly deep-equal:\n${show(actual)}\nshould equal\n${show(expected)}`);
}

export function notDeepEqual(actual: unknown, expected: unknown, message?: string | Error): void {
	if (isDeepStrictEqual(actual, expected)) fail(message, `Expected "actual" not to be strictly deep-equal to: ${show(expected)}`);
}

type ErrorClass = abstract new (...args: never[]) => unknown;

/** node's throws: `expected` a class (instanceof), a RegExp (tested on String(error)), a validation function, or an object of properties. */
export function throws(fn: () => unknown, expected?: RegExp | ErrorClass | ((e: unknown) => boolean) | Record<string, unknown>, message?: string | Error): void {
	let error: unknown;
	let threw = false;
	try {
		fn();
	} catch (e) {
		threw = true;
		error = e;
	}
	const name = typeof expected === 'function' && expected.prototype instanceof Error ? ` (${expected.name})` : '';
	if (!threw) fail(message, `Missing expected exception${name}.`);
	if (expected === undefined) return;
	if (expected instanceof RegExp) {
		if (!expected.test(String(error))) fail(message, `The input did not match the regular expression ${expected}. Input:\n${show(String(error))}`);
	} else if (typeof expected === 'function') {
		if (expected.prototype !== undefined && (expected.prototype instanceof Error || expected === Error)) {
			if (!(error instanceof (expected as ErrorClass))) fail(message, `The error is expected to be an instance of "${expected.name}". Received ${show(error)}`);
		} else if ((expected as (e: unknown) => boolean)(error) !== true) {
			fail(message, 'The validation function is expected to return "true". Received false');
		}
	} else {
		for (const [key, want] of Object.entries(expected)) {
			const got = (error as Record<string, unknown> | null | undefined)?.[key];
			const same = want instanceof RegExp && typeof got === 'string' ? want.test(got) : isDeepStrictEqual(got, want);
			if (!same) fail(message, `Expected values to be strictly deep-equal: error.${key} ${show(got)} should equal ${show(want)}`);
		}
	}
}
