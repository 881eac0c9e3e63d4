import { reasonText, type DatasetProblem, type DatasetReason, type Reason, type SettingsProblem, type SettingsReason } from './reasons';

/** An error whose cause is a Reason (./reasons.ts): its message is the English sentence, `reason` the data to translate. */
export class ReasonError extends Error {
	constructor(readonly reason: Reason) {
		super(reasonText(reason));
		this.name = 'ReasonError';
	}
}

/** A problem with a dataset file or folder. `file` names what the user should look at. */
export class DatasetError extends ReasonError {
	declare readonly reason: DatasetReason;
	constructor(
		readonly file: string,
		problem: DatasetProblem,
	) {
		super({ ...problem, file });
		this.name = 'DatasetError';
	}

	/** The English sentence without the file: what the message says after `${file}: `. */
	get problem(): string {
		return this.message.slice(this.file.length + 2);
	}
}

/** A setting or flag with a value outside what the training loop accepts. A string is a sentence of the CLI's own. */
export class SettingsError extends ReasonError {
	declare readonly reason: SettingsReason;
	constructor(
		readonly setting: string,
		problem: SettingsProblem | string,
	) {
		super({ ...(typeof problem === 'string' ? { code: 'settings.text', text: problem } : problem), setting });
		this.name = 'SettingsError';
	}
}

/** The reason of any error: its own, or its message as text. */
export function reasonOf(e: unknown): Reason {
	if (e instanceof ReasonError) return e.reason;
	return { code: 'text', text: e instanceof Error ? e.message : String(e) };
}
