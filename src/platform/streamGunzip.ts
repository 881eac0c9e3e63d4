/**
 * Gunzip over the web's DecompressionStream('gzip'): the browser's side of the Gunzip interface (node:zlib serves Node).
 * Web-standard only, so it also runs, and is unit-tested, in Node.
 */
import { GunzipError, type Gunzip } from '../core/io';

/** What Chrome ("Compressed input was truncated.") and Node ("unexpected end of file") say of a stream cut short. */
const TRUNCATED = /truncat|unexpected end/i;

interface Inflation {
	reader: ReadableStreamDefaultReader<Uint8Array>;
	/** Settles once the input is written and closed: which step failed tells corrupt data from a stream cut short. */
	fed: Promise<'ok' | 'invalid' | 'truncated'>;
	failure(): unknown;
}

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

function inflate(data: Uint8Array): Inflation {
	const stream = new DecompressionStream('gzip');
	const writer = stream.writable.getWriter();
	let failure: unknown;
	const fed = (async () => {
		try {
			await writer.write(data);
		} catch (e) {
			failure = e;
			return 'invalid' as const;
		}
		try {
			await writer.close();
		} catch (e) {
			failure = e;
			// Chrome reports corrupt data on write and a missing end on close; Node's stream reports both on close, by name.
			return TRUNCATED.test(messageOf(e)) ? ('truncated' as const) : ('invalid' as const);
		}
		return 'ok' as const;
	})();
	return { reader: stream.readable.getReader() as ReadableStreamDefaultReader<Uint8Array>, fed, failure: () => failure };
}

async function stop(inf: Inflation): Promise<void> {
	await inf.reader.cancel().catch(() => undefined);
	await inf.fed;
}

export const streamGunzip: Gunzip = {
	async all(data, limit) {
		// Inflated straight into one buffer of the size the idx header implies: no chunk list, no second copy.
		const out = new Uint8Array(limit);
		let n = 0;
		const inf = inflate(data);
		for (;;) {
			let chunk: Awaited<ReturnType<typeof inf.reader.read>>;
			try {
				chunk = await inf.reader.read();
			} catch (e) {
				const how = await inf.fed;
				throw new GunzipError(how === 'truncated' ? 'truncated' : 'invalid', messageOf(inf.failure() ?? e));
			}
			if (chunk.done) break;
			if (n + chunk.value.length > limit) {
				await stop(inf);
				throw new GunzipError('too-large', `more than ${limit} bytes`);
			}
			out.set(chunk.value, n);
			n += chunk.value.length;
		}
		return out.subarray(0, n);
	},

	async head(data, bytes) {
		const parts: Uint8Array[] = [];
		let n = 0;
		const inf = inflate(data);
		try {
			while (n < bytes) {
				const chunk = await inf.reader.read();
				if (chunk.done) break;
				parts.push(chunk.value);
				n += chunk.value.length;
			}
			await stop(inf);
		} catch (e) {
			// As zlib's sync flush does: a stream cut short gives what it has; only corrupt data is an error.
			if ((await inf.fed) !== 'truncated') throw new GunzipError('invalid', messageOf(inf.failure() ?? e));
		}
		const out = new Uint8Array(Math.min(n, bytes));
		let at = 0;
		for (const p of parts) {
			if (at >= out.length) break;
			out.set(p.subarray(0, out.length - at), at);
			at += Math.min(p.length, out.length - at);
		}
		return out;
	},
};
