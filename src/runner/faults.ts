/**
 * Arms a fault for the next comparison (host side). Reached only through the internal command `minibatchLab._injectFault`
 * (registered but not contributed, so not in the palette; no setting reaches it); the next comparison takes it, once.
 */
import { isSamplerId, type SamplerId } from '../core/samplers';
import { FAULT_KINDS, type FaultKind } from '../shared/faults';

export { FAULT_ITER, OOM_LIMITS, type FaultKind } from '../shared/faults';

export interface InjectedFault {
	/** Every run of this sampler misbehaves; the others train normally. */
	sampler: SamplerId;
	kind: FaultKind;
}

let armed: InjectedFault | undefined;

/** Arms the fault for the next comparison, or disarms with undefined. Any extension can run a command, so check it. */
export function armFault(f: unknown): void {
	if (f === undefined) {
		armed = undefined;
		return;
	}
	const { sampler, kind } = (typeof f === 'object' && f !== null ? f : {}) as Record<string, unknown>;
	if (typeof sampler !== 'string' || !isSamplerId(sampler) || typeof kind !== 'string' || !FAULT_KINDS.includes(kind)) {
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
