import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { historyFileText, readHistoryFile } from '../shared/historyFile';
import type { RunMessage } from '../shared/protocol';

/** Where the history says what it did with the saved file. */
export interface HistoryLog {
	info(message: string): void;
	warn(message: string): void;
}

/**
 * The last run as the stream of messages the panel was sent. The host is the source of truth: a panel that was
 * hidden, reloaded or revived after a restart is rebuilt by replaying this.
 */
export class RunHistory {
	private messages: RunMessage[] = [];

	constructor(
		private readonly file?: string,
		private readonly log?: HistoryLog,
	) {}

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
			writeFileSync(this.file, historyFileText(this.messages));
			return undefined;
		} catch (e) {
			return (e as Error).message;
		}
	}

	/** Reads the saved run when nothing is in memory. An old file is migrated, an unreadable one ignored: both say so in the log. */
	load(): boolean {
		if (!this.file || !this.isEmpty) return false;
		let text: string;
		try {
			text = readFileSync(this.file, 'utf8');
		} catch {
			return false; // no saved run yet
		}
		const read = readHistoryFile(text);
		if ('ignored' in read) {
			this.log?.warn(`Ignored the saved last run ${this.file}: ${read.ignored}.`);
			return false;
		}
		if (read.migrated) this.log?.info(`Read the saved last run ${this.file}: ${read.migrated}.`);
		this.messages = read.messages;
		return this.messages.length > 0;
	}
}
