/** Loops written with `while`: `epoch = 0`, `while epoch < max_epochs:`, `epoch += 1`, counted like a `range` loop. */
import type { Fallback, ForLoop, PythonModel } from './model';
import { exprSource, isDottedName, quantity, type Quantity } from './quantities';

/**
 * The counter's first value (set before the loop) of `while counter < bound:` whose body adds 1 to it (`counter += 1`)
 * in one place. Undefined for any other while loop.
 */
export function whileStart(model: PythonModel, loop: ForLoop, fallback?: Fallback): number | undefined {
	if (!loop.whileTest) return undefined;
	const steps = (model.assignments.get(loop.varName) ?? []).filter((a) => a.stmt >= loop.bodyFirst && a.stmt < loop.bodyEnd);
	const step = steps[0];
	if (steps.length !== 1 || step.kind !== 'augmented' || step.op !== '+' || step.rhsEnd - step.rhsStart !== 1 || model.tok(step.rhsStart) !== '1') return undefined;
	const init = model.assignmentBefore(loop.varName, loop.stmt);
	const start = init && !init.kind ? model.valueOfAssignment(init, fallback) : undefined;
	return start && !start.isFloat && Number.isInteger(start.value) ? start.value : undefined;
}

/** The count of a counting while loop as a quantity of `role`: the bound itself when the counter starts at 0 and the test is `<`. */
export function whileCount(model: PythonModel, loop: ForLoop, role: 'epochs' | 'itersNum', fallback: Fallback): Quantity | undefined {
	const start = whileStart(model, loop, fallback);
	const test = loop.whileTest;
	if (start === undefined || !test) return undefined;
	const [s, e] = test.bound;
	const single = isDottedName(model, s, e) ? model.compact(s, e) : undefined;
	const bound = quantity(model, role, single, single ? undefined : [s, e], s, fallback);
	if (start === 0 && test.op === '<') return bound;
	const plus = test.op === '<=' ? ' + 1' : '';
	const count = Math.max(0, bound.value - start + (test.op === '<=' ? 1 : 0));
	const known = { role, expr: `len(range(${start}, ${exprSource(model, s, e)}${plus}))`, substituted: `len(range(${start}, ${bound.value}${plus}))` };
	if (bound.source === 'assumed') return { ...bound, ...known, value: count, name: undefined };
	return { value: count, isFloat: false, ...known, source: 'computed', ...(bound.defaults ? { defaults: bound.defaults } : {}) };
}

