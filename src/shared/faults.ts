/**
 * Fault injection, for the in-host fault tests only: a worker that throws, runs out of memory or is killed mid-run, so
 * a test can see the run marked failed with its reason, the other samplers still reporting, and no worker left.
 * What both sides agree on lives here; src/runner/faults.ts arms a fault (host), src/worker/misbehave.ts carries it out.
 */
import type { WorkerJob } from './protocol';

export type FaultKind = NonNullable<WorkerJob['fault']>;
export const FAULT_KINDS: readonly string[] = ['throw', 'oom', 'kill'] satisfies FaultKind[];

/** The iteration where the worker misbehaves: after real training steps, so the fault is mid-run. */
export const FAULT_ITER = 20;

/** Heap limits of an 'oom' worker: small, so it runs out in a moment instead of after eating the machine's memory. */
export const OOM_LIMITS = { maxOldGenerationSizeMb: 32, maxYoungGenerationSizeMb: 4 };
