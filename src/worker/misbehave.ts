/** The worker's side of fault injection (tests only; see src/shared/faults.ts). */
import { FAULT_ITER, type FaultKind } from '../shared/faults';

export { FAULT_ITER };

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
			// Atomics.wait needs shared memory; without it (a browser's worker) spin until terminated.
			if (typeof SharedArrayBuffer === 'function' && cancel.buffer instanceof SharedArrayBuffer) Atomics.wait(cancel, 0, 0, 60_000);
			else for (const end = Date.now() + 60_000; Date.now() < end; );
	}
}
