/**
 * A notebook's Python cells read as one program: Jupyter runs them in one namespace, top to bottom, so the settings of
 * one cell are the values of the training loop in another. Hovers in a cell are asked of the joined text and given back
 * in the cell's own offsets; line numbers count within each cell, as the editor shows them.
 */
import { hoverAt, type HoverInfo } from './hover';
import { analysePython, type PythonModel } from './model';

export interface CellsModel {
	readonly text: string;
	readonly model: PythonModel;
	/** Where each cell's text starts in `text`. */
	readonly starts: readonly number[];
	readonly lengths: readonly number[];
}

/** Joins the cells' texts (each on lines of its own) and analyses the result once. */
export function analyseCells(cells: readonly string[]): CellsModel {
	const starts: number[] = [];
	let text = '';
	for (const c of cells) {
		starts.push(text.length);
		text += c.endsWith('\n') || c.length === 0 ? c : c + '\n';
	}
	return { text, model: analysePython(text, starts), starts, lengths: cells.map((c) => c.length) };
}

/** The hover at `offset` of cell `index`, in that cell's offsets; undefined when there is none or it lies outside the cell. */
export function hoverInCell(cells: CellsModel, index: number, offset: number): HoverInfo | undefined {
	const start = cells.starts[index];
	if (start === undefined || !(offset >= 0) || offset > cells.lengths[index]) return undefined;
	const info = hoverAt(cells.model, cells.text, start + offset);
	if (!info || info.range.start < start || info.range.end > start + cells.lengths[index]) return undefined;
	const range = { start: info.range.start - start, end: info.range.end - start };
	if ((info.kind === 'choice' || info.kind === 'withoutReplacement') && info.fix) return { ...info, range, fix: { ...info.fix, offset: info.fix.offset - start } };
	return { ...info, range };
}
