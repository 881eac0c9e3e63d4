/**
 * The child process of the bad-data tests (./badData.ts): runs the reader calls it is given in MINIBATCH_LAB_ROBUSTNESS_CHILD,
 * in order, and prints one JSON result per call. Its own bundle, so that no test file is loaded in the child.
 */
import { DatasetError } from '../../src/core/errors';
import type { ChildCall, ChildResult } from './badData';
import { loadMnistFolder, peekIdxDims, peekMnistFolder, readIdxFile } from './nodeData';

async function main(calls: ChildCall[]): Promise<void> {
	const results: Partial<ChildResult>[] = [];
	for (const { op, path } of calls) {
		const peakBefore = process.resourceUsage().maxRSS;
		const out: Partial<ChildResult> = { ok: true };
		try {
			if (op === 'readIdxFile') await readIdxFile(path);
			else if (op === 'peekIdxDims') await peekIdxDims(path);
			else if (op === 'loadMnistFolder') await loadMnistFolder(path);
			else if (op === 'peekMnistFolder') await peekMnistFolder(path);
			else Buffer.alloc(64 << 20).fill(1);
		} catch (e) {
			Object.assign(out, { ok: false, name: (e as Error).name, message: (e as Error).message });
			if (e instanceof DatasetError) Object.assign(out, { file: e.file, problem: e.problem });
		}
		out.peakGrowthMB = (process.resourceUsage().maxRSS - peakBefore) / 1024;
		out.uid = process.getuid?.() ?? -1;
		results.push(out);
	}
	process.stdout.write(JSON.stringify(results));
}

void main(JSON.parse(process.env.MINIBATCH_LAB_ROBUSTNESS_CHILD ?? '[]') as ChildCall[]);
