/**
 * Fault injection, for the in-host fault tests only: a worker that throws, runs out of memory or is killed mid-run, so
 * a test can see the run marked failed with its reason, the other samplers still reporting, and no worker left.
 * Armed only by the internal command `minibatchLab._injectFault` (registered but not contributed, so not in the palette;
 * no setting reaches it); the next comparison takes it, once.
 */
import { isSamplerId, type SamplerId } from '../core/samplers';
import type { WorkerJob } from '../shared/protocol';

export type FaultKind = NonNullable<WorkerJob['fault']>;
const KINDS: readonly string[] = ['throw', 'oom', 'kill'] satisfies FaultKind[];

export interface InjectedFault {
	/** Every run of this sampler misbehaves; the others train normally. */
	sampler: SamplerId;
	kind: FaultKind;
}

/** The iteration where the worker misbehaves: after real training steps, so the fault is mid-run. */
export const FAULT_ITER = 20;

/** Heap limits of an 'oom' worker: small, so it runs out in a moment instead of after eating the machine's memory. */
export const OOM_LIMITS = { maxOldGenerationSizeMb: 32, maxYoungGenerationSizeMb: 4 };

let armed: InjectedFault | undefined;

/** Arms the fault for the next comparison, or disarms with undefined. Any extension can run a command, so check it. */
export function armFault(f: unknown): void {
	if (f === undefined) {
		armed = undefined;
		return;
	}
	const { sampler, kind } = (typeof f === 'object' && f !== null ? f : {}) as Record<string, unknown>;
	if (typeof sampler !== 'string' || !isSamplerId(sampler) || typeof kind !== 'string' || !KINDS.includes(kind)) {
		throw new TypeError(`not a fault: ${JSON.stringify(f)}`);
	}
	armed = { sampler, kind: kind as FaultKind };
}

/** The armed fault, if any, disarming it. */
export function takeFault(): InjectedFault | undefined {
	const f = armed;
	armed = undefined;
	return f;
}

/**
 * In the worker at FAULT_ITER, after its losses so far are posted. 'kill' hangs here until the host terminates the
 * worker on that post (see Comparison), so the kill always lands mid-run.
 */
export function misbehave(kind: FaultKind, cancel: Int32Array): void {
	switch (kind) {
		case 'throw':
			throw new Error(`injected fault at iteration ${FAULT_ITER}`);
		case 'oom': {
			// Ends only when V8 stops the worker at its heap limit (OOM_LIMITS).
			const hog: number[][] = [];
			for (;;) hog.push(new Array<number>(10_000).fill(hog.length));
		}
		case 'kill':
			Atomics.wait(cancel, 0, 0, 60_000);
	}
}
