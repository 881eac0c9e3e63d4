import { historyFileText, readHistoryFile } from '../shared/historyFile';
import type { RunMessage } from '../shared/protocol';
import { trackKey } from '../shared/runFold';

/** Where the history says what it did with the saved file. */
export interface HistoryLog {
	info(message: string): void;
	warn(message: string): void;
}

type LossMessage = Extract<RunMessage, { type: 'loss' }>;

/**
 * Where the saved run lives: a file through workspace.fs in the extension (on disk on the desktop, in the browser's own
 * storage on the web: workspaceFiles.ts), a plain file in the unit tests.
 */
export interface HistoryStore {
	/** For log lines. */
	readonly name: string;
	/** The text, or undefined when nothing is saved yet. */
	read(): Promise<string | undefined>;
	write(text: string): Promise<void>;
}

/**
 * The last run as the stream of messages the panel was sent. The host is the source of truth: a panel that was
 * hidden, reloaded or revived after a restart is rebuilt by replaying this. It is also the host's one copy of the
 * losses: each run's loss points (already capped, src/shared/lossSeries.ts) grow one message in place, so a long run
 * holds one array per run, not one message per post.
 */
export class RunHistory {
	private messages: RunMessage[] = [];
	/** Each run's loss message in `messages`, by run key, while the run may still add to it. */
	private losses = new Map<string, LossMessage>();

	constructor(
		private readonly store?: HistoryStore,
		private readonly log?: HistoryLog,
	) {}

	reset(first: RunMessage): void {
		this.messages = [first];
		this.losses.clear();
	}

	/** Drops the in-memory copy only; the saved file stays for `load`. */
	forget(): void {
		this.messages = [];
		this.losses.clear();
	}

	push(m: RunMessage): void {
		if (m.type !== 'loss') {
			this.messages.push(m);
			return;
		}
		const start = this.messages[0];
		const stride = start?.type === 'runStarted' && start.run.id === m.runId ? start.run.lossStride : undefined;
		const key = trackKey(m.sampler, m.seed, m.source);
		const held = this.losses.get(key);
		if (stride !== undefined && held && held.fromIter + held.losses.length * stride === m.fromIter) {
			for (const v of m.losses) held.losses.push(v);
			return;
		}
		// Its own copy: the message itself may still sit in the panel's queue.
		const copy: LossMessage = { ...m, losses: [...m.losses] };
		this.messages.push(copy);
		if (stride !== undefined && !held) this.losses.set(key, copy);
	}

	all(): readonly RunMessage[] {
		return this.messages;
	}

	get isEmpty(): boolean {
		return this.messages.length === 0;
	}

	/** Written when a run ends, so a window reload can still show it. Best effort: a failed write only loses the replay. */
	async save(): Promise<string | undefined> {
		if (!this.store) return undefined;
		try {
			await this.store.write(historyFileText(this.messages));
			return undefined;
		} catch (e) {
			return (e as Error).message;
		}
	}

	/** Reads the saved run when nothing is in memory. An old file is migrated, an unreadable one ignored: both say so in the log. */
	async load(): Promise<boolean> {
		if (!this.store || !this.isEmpty) return false;
		let text: string | undefined;
		try {
			text = await this.store.read();
		} catch (e) {
			this.log?.warn(`Could not read the saved last run ${this.store.name}: ${(e as Error).message}.`);
			return false;
		}
		if (text === undefined) return false; // no saved run yet
		// A run may have started while the file was read: it wins.
		if (!this.isEmpty) return false;
		const read = readHistoryFile(text);
		if ('ignored' in read) {
			this.log?.warn(`Ignored the saved last run ${this.store.name}: ${read.ignored}.`);
			return false;
		}
		if (read.migrated) this.log?.info(`Read the saved last run ${this.store.name}: ${read.migrated}.`);
		this.messages = read.messages;
		this.losses.clear();
		return this.messages.length > 0;
	}
}
