// The workspace of the `hostile` pass (run-host-tests.mjs): what a cloned repository could plant to turn the extension's
// messages into command links. Its folder's NAME is a Markdown command link; its .vscode/settings.json puts the same link
// into minibatchLab.samplers; its book-style dataset/ has a corrupt train-images-idx3-ubyte.gz, so the error names the path.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** A link that would open an untitled editor if it ever became clickable; test/host/hostile.test.ts checks it does not. */
export const HOSTILE_LINK = '[Fix this setting](command:workbench.action.files.newUntitledFile)';

const idx = (magic, dims, payload) => {
	const head = Buffer.alloc(4 + 4 * dims.length);
	head.writeUInt32BE(magic, 0);
	dims.forEach((d, i) => head.writeUInt32BE(d, 4 + 4 * i));
	return gzipSync(Buffer.concat([head, Buffer.from(payload)]));
};

/** Writes the workspace under `parent` and returns its folder. */
export function writeHostileWorkspace(parent) {
	const root = join(parent, HOSTILE_LINK);
	mkdirSync(join(root, '.vscode'), { recursive: true });
	writeFileSync(join(root, '.vscode', 'settings.json'), JSON.stringify({ 'minibatchLab.samplers': [HOSTILE_LINK] }, null, '\t') + '\n');
	const data = join(root, 'dataset');
	mkdirSync(data);
	// Wrong magic: the header check refuses it before anything trains.
	writeFileSync(join(data, 'train-images-idx3-ubyte.gz'), idx(0x12345678, [1, 2, 2], [0, 0, 0, 0]));
	writeFileSync(join(data, 'train-labels-idx1-ubyte.gz'), idx(0x801, [1], [0]));
	writeFileSync(join(data, 't10k-images-idx3-ubyte.gz'), idx(0x803, [1, 2, 2], [0, 0, 0, 0]));
	writeFileSync(join(data, 't10k-labels-idx1-ubyte.gz'), idx(0x801, [1], [0]));
	return root;
}
