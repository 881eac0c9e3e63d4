import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const root = join(__dirname, '..', '..', '..');
const placeholders = (s: string) => [...s.matchAll(/\{\d+\}/g)].map((m) => m[0]).sort();

describe('Japanese bundles', () => {
	it('translate every runtime string of the extension, with the same placeholders', () => {
		const ja = JSON.parse(readFileSync(join(root, 'l10n', 'bundle.l10n.ja.json'), 'utf8')) as Record<string, string>;
		let checked = 0;
		// Host code and the string tables in src/shared/strings (the webviews' strings are built there with the host's l10n).
		const files = readdirSync(join(root, 'src'), { recursive: true, encoding: 'utf8' }).filter((n) => n.endsWith('.ts') && !n.startsWith('wasm'));
		for (const f of files) {
			const src = readFileSync(join(root, 'src', f), 'utf8');
			for (const m of src.matchAll(/l10n\.t\(\s*'((?:\\.|[^'\\])*)'/g)) {
				const key = m[1].replace(/\\'/g, "'");
				assert.ok(key in ja, `${f}: no Japanese for "${key}"`);
				assert.deepEqual(placeholders(ja[key]), placeholders(key), key);
				checked++;
			}
		}
		assert.ok(checked > 10, `only ${checked} strings found`);
	});

	it('translate every contribution title and description', () => {
		const en = JSON.parse(readFileSync(join(root, 'package.nls.json'), 'utf8')) as Record<string, string>;
		const ja = JSON.parse(readFileSync(join(root, 'package.nls.ja.json'), 'utf8')) as Record<string, string>;
		assert.deepEqual(Object.keys(ja).sort(), Object.keys(en).sort());
		const pkg = readFileSync(join(root, 'package.json'), 'utf8');
		for (const m of pkg.matchAll(/"%([^%"]+)%"/g)) assert.ok(m[1] in en, `package.json uses %${m[1]}% but package.nls.json lacks it`);
	});
});

describe('webview strings', () => {
	it('every string table entry is a literal the bundle check above can read', () => {
		const dir = join(root, 'src', 'shared', 'strings');
		for (const f of readdirSync(dir).filter((n) => n.endsWith('.ts'))) {
			const src = readFileSync(join(dir, f), 'utf8');
			const calls = [...src.matchAll(/l10n\.t\(/g)].length;
			const literal = [...src.matchAll(/l10n\.t\(\s*'(?:\\.|[^'\\])*'\s*\)/g)].length;
			assert.equal(literal, calls, `${f}: every l10n.t call takes one single-quoted literal`);
		}
	});

	it('the pages carry no translation of their own', () => {
		for (const f of readdirSync(join(root, 'media')).filter((n) => n.endsWith('.ts'))) {
			const src = readFileSync(join(root, 'media', f), 'utf8');
			assert.doesNotMatch(src, /[\u3040-\u30ff\u4e00-\u9fff]/, `${f} holds Japanese text`);
		}
		for (const f of ['panelHtml.ts', 'gradPanelHtml.ts']) assert.doesNotMatch(readFileSync(join(root, 'src', 'extension', f), 'utf8'), /[\u3040-\u30ff\u4e00-\u9fff]/, f);
	});
});

describe('the panel names the palette command by its title', () => {
	it('in both languages, as package.nls gives it', () => {
		const read = (...p: string[]) => JSON.parse(readFileSync(join(root, ...p), 'utf8')) as Record<string, string>;
		const ja = read('l10n', 'bundle.l10n.ja.json');
		const panel = readFileSync(join(root, 'src', 'shared', 'strings', 'panel.ts'), 'utf8');
		const key = /command: l10n\.t\('([^']+)'\)/.exec(panel)?.[1];
		assert.equal(key, read('package.nls.json')['command.runComparison']);
		assert.equal(ja[key!], read('package.nls.ja.json')['command.runComparison']);
	});
});
