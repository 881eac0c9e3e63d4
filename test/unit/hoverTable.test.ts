/**
 * The keepdims/axis hover's shape table holds text from the file. A `|` in it would end the cell even inside a code span,
 * and what follows would render as Markdown: a link, a remote image. Each row keeps exactly its two cells.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { formatHover, type Translate } from '../../src/extension/hover/hoverText';
import { analysePython, hoverAt } from '../../src/python';

const en: Translate = (message, ...args) => message.replace(/\{(\d+)\}/g, (m, i: string) => (Number(i) < args.length ? String(args[Number(i)]) : m));

/** The cells of a GFM table row as a renderer splits them: at every `|` that is not escaped, code spans included. */
function cells(row: string): string[] {
	return row
		.trim()
		.replace(/^\|/, '')
		.replace(/\|$/, '')
		.split(/(?<!\\)\|/);
}

describe('the shape table in a keepdims hover', () => {
	it('keeps a `|` from the file inside its cell: no link, no image', () => {
		// The second cell is where a break-out would land: a 2-column table drops any cell after it.
		const input = 'x | [Fix](https://example.com/x) ![i](https://example.com/t.png) | 0';
		const text = `x = np.zeros((100, 10))\ny = np.max(${input}, axis=1, keepdims=True)\n`;
		const at = text.indexOf('keepdims');
		const info = hoverAt(analysePython(text), text, at + 2);
		assert.ok(info, 'a keepdims hover');
		const { markdown } = formatHover(info, en, { documentUri: 'file:///x.py', documentVersion: 1 });
		const table = markdown.split('\n').filter((l) => l.startsWith('|'));
		assert.ok(table.length >= 4, markdown);
		for (const row of table) assert.equal(cells(row).length, 2, `a row with more than its two cells: ${row}`);
		assert.ok(table.some((row) => row.includes('x \\| [Fix](https://example.com/x) ![i](https://example.com/t.png) \\| 0')), 'the expression is shown, with its pipes escaped');
	});
});
