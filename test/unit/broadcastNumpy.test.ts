import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { analysePython, hoverAt, type ReductionHover } from '../../src/python';
import { formatHover, type Translate } from '../../src/extension/hover/hoverText';
import { needPython } from '../support/python';

// The keepdims/axis verdicts were derived by hand. Here NumPy decides: every case is a small Python file whose shape the
// analyser reads (`x = np.random.randn(…)`), hovered on `keepdims`; the same reduction then runs in NumPy, which says
// whether the axis is refused (and with which exception), the shapes with and without keepdims, and whether
// `x - reduce(x)` raises, gives what keepdims=True gives ('ok'), or silently pairs the wrong values ('misaligned').

interface Case {
	fn: string;
	shape: number[];
	/** Python source of the axis argument, or undefined for no axis. */
	axis?: string;
}

interface NumpyVerdict {
	raises?: string;
	without?: number[];
	with?: number[];
	back?: 'ok' | 'misaligned' | 'error';
}

const SHAPES = [[7], [1], [4, 3], [3, 3], [1, 5], [5, 1], [2, 3, 4], [2, 1, 3], [3, 2, 2], [1, 1, 4]];
const AXES = [undefined, 'None', '0', '1', '2', '-1', '-2', '-3', '3', '(0,)', '(0, 1)', '(1, 2)', '(0, 2)', '(-1, 0)', '(0, 0)', '(1, -2)', '(2, 5)', '(0, 1, 2)'];

function cases(): Case[] {
	const out: Case[] = [];
	for (const shape of SHAPES) for (const axis of AXES) for (const fn of ['max', 'sum']) out.push({ fn, shape, axis });
	// argmax/argmin take one axis: a tuple is a different error.
	for (const shape of [[4, 3], [2, 3, 4]]) for (const axis of [undefined, '1', '-1', '(0,)', '(0, 1)', '3']) out.push({ fn: 'argmax', shape, axis });
	return out;
}

const source = (c: Case) => ['import numpy as np', `x = np.random.randn(${c.shape.join(', ')})`, `y = x - np.${c.fn}(x${c.axis === undefined ? '' : `, axis=${c.axis}`}, keepdims=True)`, ''].join('\n');

/** What the analyser says, in NumPy's terms. */
function analyserVerdict(c: Case): NumpyVerdict {
	const text = source(c);
	const h = hoverAt(analysePython(text), text, text.indexOf('keepdims') + 2) as ReductionHover | undefined;
	assert.equal(h?.kind, 'keepdims', `no keepdims hover in:\n${text}`);
	assert.deepEqual(h.inputShape, c.shape, 'the analyser read the shape from the file');
	if (h.axisProblem) return { raises: { outOfRange: 'AxisError', repeated: 'ValueError', tuple: 'TypeError' }[h.axisProblem] };
	assert.equal(h.axisError, false);
	return { without: [...(h.without ?? [])], with: [...(h.with ?? [])], back: h.broadcastWithout };
}

/** One Python process for every case: the reductions and `x - r` with random values, so a wrong pairing shows. */
const NUMPY_SCRIPT = `
import json, sys
import numpy as np
rng = np.random.RandomState(0)
out = []
for c in json.load(sys.stdin):
    x = rng.standard_normal(c['shape'])
    f = getattr(np, c['fn'])
    kw = {} if c.get('axis') is None else {'axis': eval(c['axis'])}
    try:
        r = f(x, **kw)
        rk = f(x, keepdims=True, **kw)
    except Exception as e:
        out.append({'raises': type(e).__name__})
        continue
    v = {'without': list(np.shape(r)), 'with': list(np.shape(rk))}
    try:
        d = x - r
        v['back'] = 'ok' if d.shape == x.shape and np.array_equal(d, x - rk) else 'misaligned'
    except ValueError:
        v['back'] = 'error'
    out.append(v)
json.dump(out, sys.stdout)
`;

describe('keepdims/axis verdicts against NumPy', () => {
	const numpy = needPython(['numpy'], ['python3-numpy']);

	it('every verdict of the keepdims hover is what NumPy does with the same expression and shape', { ...numpy.options, timeout: 120_000 }, (t) => {
		const all = cases();
		const r = spawnSync(numpy.require(), ['-c', NUMPY_SCRIPT], { input: JSON.stringify(all), encoding: 'utf8', timeout: 60_000 });
		assert.equal(r.error, undefined, `python did not finish: ${String(r.error)}`);
		assert.equal(r.status, 0, r.stderr);
		const fromNumpy = JSON.parse(r.stdout) as NumpyVerdict[];
		assert.equal(fromNumpy.length, all.length);
		const wrong: string[] = [];
		const seen = new Map<string, number>();
		all.forEach((c, k) => {
			const ours = analyserVerdict(c);
			const kind = fromNumpy[k].raises ?? fromNumpy[k].back ?? '?';
			seen.set(kind, (seen.get(kind) ?? 0) + 1);
			try {
				assert.deepEqual(ours, fromNumpy[k]);
			} catch {
				wrong.push(`np.${c.fn}(x${c.axis === undefined ? '' : `, axis=${c.axis}`}) on ${JSON.stringify(c.shape)}: analyser ${JSON.stringify(ours)}, NumPy ${JSON.stringify(fromNumpy[k])}`);
			}
		});
		t.diagnostic(`${all.length} cases: ${[...seen].map(([k, n]) => `${n} ${k}`).join(', ')}`);
		assert.deepEqual(wrong, [], `${wrong.length} of ${all.length} verdicts differ from NumPy`);
		// Every verdict is reached, so the grid tests each of them.
		for (const kind of ['ok', 'misaligned', 'error', 'AxisError', 'ValueError', 'TypeError']) assert.ok((seen.get(kind) ?? 0) > 0, `no case where NumPy says ${kind}`);
	});

	it('the hover names the exception NumPy raises', () => {
		const en: Translate = (m, ...args) => m.replace(/\{(\d+)\}/g, (_, i: string) => String(args[Number(i)]));
		const says = (c: Case) => {
			const text = source(c);
			const h = hoverAt(analysePython(text), text, text.indexOf('keepdims') + 2);
			assert.ok(h);
			return formatHover(h, en, { documentUri: 'file:///x.py', documentVersion: 1 }).markdown;
		};
		assert.match(says({ fn: 'sum', shape: [4, 3], axis: '2' }), /NumPy raises an AxisError/);
		assert.match(says({ fn: 'sum', shape: [4, 3], axis: '(0, 0)' }), /NumPy raises a ValueError/);
		assert.match(says({ fn: 'sum', shape: [4, 3], axis: '(1, -1)' }), /NumPy raises a ValueError/);
		assert.match(says({ fn: 'argmax', shape: [4, 3], axis: '(0, 1)' }), /NumPy raises a TypeError/);
	});
});
