/** Python numbers: the type, its repr, and the builtins the evaluator knows (`max`, `int`, `round`, `math.ceil`, …). */

/** A Python number: ints and floats differ in what they print (600 vs 600.0) and in what they may index. */
export interface PyNum {
	readonly value: number;
	readonly isFloat: boolean;
}

/** Python's repr for a number: 600 for an int, 600.0 for a float. */
export function pyRepr(n: PyNum): string {
	const v = n.value;
	if (Number.isNaN(v)) return 'nan';
	if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
	if (!n.isFloat) return Number.isSafeInteger(v) ? String(v) : BigInt(Math.trunc(v)).toString();
	if (Number.isInteger(v) && Math.abs(v) < 1e16) return v.toFixed(1);
	const a = Math.abs(v);
	if (a < 1e-4 || a >= 1e16) return v.toExponential().replace(/e([+-])(\d)$/, 'e$10$2');
	return String(v);
}

export const KNOWN_FUNCS = new Set(['max', 'min', 'int', 'float', 'round', 'abs']);
/** Rounding through a module: math's return an int, NumPy's a float. */
export const ROUNDING: Readonly<Record<string, string>> = {
	'math.ceil': 'ceil',
	'math.floor': 'floor',
	'np.ceil': 'np.ceil',
	'np.floor': 'np.floor',
	'numpy.ceil': 'np.ceil',
	'numpy.floor': 'np.floor',
};

export function applyFunc(name: string, a: PyNum[]): PyNum | undefined {
	switch (name) {
		case 'max':
		case 'min': {
			// Python keeps the first of equal extremes, with its own type: max(600.0, 1) is 600.0.
			let best = a[0];
			for (const x of a.slice(1)) if (name === 'max' ? x.value > best.value : x.value < best.value) best = x;
			return best;
		}
		case 'int':
			return a.length === 1 && Number.isFinite(a[0].value) ? { value: Math.trunc(a[0].value), isFloat: false } : undefined;
		case 'float':
			return a.length === 1 ? { value: a[0].value, isFloat: true } : undefined;
		case 'abs':
			return a.length === 1 ? { value: Math.abs(a[0].value), isFloat: a[0].isFloat } : undefined;
		case 'ceil':
		case 'floor':
		case 'np.ceil':
		case 'np.floor': {
			if (a.length !== 1 || !Number.isFinite(a[0].value)) return undefined;
			const v = name.endsWith('ceil') ? Math.ceil(a[0].value) : Math.floor(a[0].value);
			return { value: v, isFloat: name.startsWith('np.') };
		}
		case 'round':
			return a.length === 1 && Number.isFinite(a[0].value) ? { value: roundHalfEven(a[0].value), isFloat: false } : undefined;
		default:
			return undefined;
	}
}

function roundHalfEven(v: number): number {
	const f = Math.floor(v);
	const d = v - f;
	if (d > 0.5) return f + 1;
	if (d < 0.5) return f;
	return f % 2 === 0 ? f : f + 1;
}
