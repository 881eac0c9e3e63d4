import { loadMnistFolder, peekMnistFolder, type Dataset } from '../core/dataset';
import type { Logger } from '../core/io';
import { checkFitsInMemory } from '../core/sharedDataset';
import type { DatasetChoice } from './datasetDiscovery';
import type { Platform } from './platform';

/** The bundled MNIST as last decoded, where reading it is slow (a browser fetches it from the server or the web). */
let kept: { dir: string; shared: boolean; data: Dataset } | undefined;

/**
 * The dataset a run trains on, decoded here on the host in both extension hosts (in a browser the workers have no files
 * to read): into shared memory where workers share it, else as plain arrays that each worker gets a copy of. Only now is
 * it fetched, so activation reads nothing. Throws a DatasetError naming the file.
 */
export async function loadRunData(platform: Platform, choice: DatasetChoice, shared: boolean, log: Logger): Promise<Dataset> {
	// The bundled files never change while the extension runs; a workspace's or a setting's folder may, so it is read again.
	const keep = platform.keepBundledData === true && choice.origin === 'bundled';
	if (keep && kept?.dir === choice.dir && kept.shared === shared) {
		log.info(`Using the ${choice.label} decoded for an earlier run`);
		return kept.data;
	}
	const io = { files: platform.files, gunzip: platform.gunzip };
	const started = performance.now();
	const head = await peekMnistFolder(io, choice.dir);
	// Which file is read where the folder offers two (X and X.gz).
	for (const note of head.notes) log.info(note);
	// Refused before decoding when it would not fit; a browser does not say how much memory is free.
	if (platform.freeMemory) checkFitsInMemory(choice.dir, head, platform.freeMemory());
	const data = await loadMnistFolder(io, choice.dir, { shared });
	log.info(`Loaded ${data.train.count} + ${data.test.count} images from ${choice.label} in ${((performance.now() - started) / 1000).toFixed(2)} s${shared ? ' into shared memory' : ''}`);
	if (keep) kept = { dir: choice.dir, shared, data };
	return data;
}
