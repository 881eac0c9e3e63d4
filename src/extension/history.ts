import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { RunMessage } from '../shared/protocol';

/**
 * The last run as the stream of messages the panel was sent. The host is the source of truth: a panel that was
 * hidden, reloaded or revived after a restart is rebuilt by replaying this.
 */
export class RunHistory {
	private messages: RunMessage[] = [];

	constructor(private readonly file?: string) {}

	reset(first: RunMessage): void {
		this.messages = [first];
	}

	/** Drops the in-memory copy only; the saved file stays for `load`. */
	forget(): void {
		this.messages = [];
	}

	push(m: RunMessage): void {
		this.messages.push(m);
	}

	all(): readonly RunMessage[] {
		return this.messages;
	}

	get isEmpty(): boolean {
		return this.messages.length === 0;
	}

	/** Written when a run ends, so a window reload can still show it. Best effort: a failed write only loses the replay. */
	save(): string | undefined {
		if (!this.file) return undefined;
		try {
			mkdirSync(dirname(this.file), { recursive: true });
			writeFileSync(this.file, JSON.stringify(this.messages));
			return undefined;
		} catch (e) {
			return (e as Error).message;
		}
	}

	load(): boolean {
		if (!this.file || !this.isEmpty) return false;
		try {
			const parsed: unknown = JSON.parse(readFileSync(this.file, 'utf8'));
			if (Array.isArray(parsed) && parsed.every((m) => typeof m === 'object' && m !== null && typeof (m as { type?: unknown }).type === 'string')) {
				this.messages = parsed as RunMessage[];
				return true;
			}
		} catch {
			// no saved run yet, or an unreadable one: start empty
		}
		return false;
	}
}
