/** A problem with a dataset file or folder. `file` names what the user should look at. */
export class DatasetError extends Error {
	constructor(
		readonly file: string,
		readonly problem: string,
	) {
		super(`${file}: ${problem}`);
		this.name = 'DatasetError';
	}
}

/** A setting or flag with a value outside what the training loop accepts. */
export class SettingsError extends Error {
	constructor(
		readonly setting: string,
		message: string,
	) {
		super(message);
		this.name = 'SettingsError';
	}
}
