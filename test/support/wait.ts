/**
 * Bounded waits for the unit tests: each names what it waits for and fails with that name when the limit passes, so a
 * test that would hang fails with a message instead. The limits are generous (2 busy cores); the tests assert the order
 * of events, never how long they took.
 */

/** Resolves with `p`, or rejects after `timeoutMs` with "timed out after N ms waiting for <what>". */
export async function within<T>(what: string, p: Promise<T>, timeoutMs: number): Promise<T> {
	let timer: ReturnType<typeof setTimeout> | undefined;
	const limit = new Promise<never>((_, reject) => {
		timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs);
	});
	try {
		return await Promise.race([p, limit]);
	} finally {
		clearTimeout(timer);
	}
}

/** Polls `cond` every `everyMs` until it holds, or fails after `timeoutMs`. */
export async function waitFor(what: string, cond: () => boolean, timeoutMs: number, everyMs = 20): Promise<void> {
	const end = Date.now() + timeoutMs;
	while (!cond()) {
		if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
		await new Promise((r) => setTimeout(r, everyMs));
	}
}
