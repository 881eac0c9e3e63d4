import * as vscode from 'vscode';
import { analyseCells, analysePython, hoverAt, hoverInCell, samplingActionsAt, type CellsModel, type HoverInfo, type PythonModel, type SamplingAction } from '../../python';
import { showInfo } from '../notify';
import { APPLY_SAMPLING_FIX_COMMAND, formatHover, samplingFixTitle, type ApplySamplingFixArgs } from './hoverText';

/** Python files and notebook cells whose language is Python. */
const SELECTOR: vscode.DocumentSelector = [{ language: 'python' }];

/** One analysis per document version: hovers and code actions on an unchanged document reuse it. */
class ModelCache {
	private readonly cache = new WeakMap<vscode.TextDocument, { version: number; text: string; model: PythonModel }>();
	get(doc: vscode.TextDocument): { text: string; model: PythonModel } {
		const hit = this.cache.get(doc);
		if (hit && hit.version === doc.version) return hit;
		const text = doc.getText();
		const entry = { version: doc.version, text, model: analysePython(text) };
		this.cache.set(doc, entry);
		return entry;
	}
}

/**
 * A notebook cell's hover is read from all the notebook's Python code cells joined, analysed once per set of cell
 * versions: the cell with the training loop gets its settings from the cell above.
 */
class NotebookCache {
	private readonly cache = new WeakMap<vscode.NotebookDocument, { key: string; cells: CellsModel }>();
	/** The notebook holding cell document `doc`, its Python code cells' model, and the index of `doc` among them. */
	get(doc: vscode.TextDocument): { cells: CellsModel; index: number } | undefined {
		if (doc.uri.scheme !== 'vscode-notebook-cell') return undefined;
		for (const nb of vscode.workspace.notebookDocuments) {
			const code = nb.getCells().filter((c) => c.kind === vscode.NotebookCellKind.Code && c.document.languageId === 'python');
			const index = code.findIndex((c) => c.document === doc);
			if (index < 0) continue;
			const key = code.map((c) => `${c.document.uri.toString()}@${c.document.version}`).join('\n');
			let hit = this.cache.get(nb);
			if (!hit || hit.key !== key) {
				hit = { key, cells: analyseCells(code.map((c) => c.document.getText())) };
				this.cache.set(nb, hit);
			}
			return { cells: hit.cells, index };
		}
		return undefined;
	}
}

function toWorkspaceEdit(doc: vscode.TextDocument, action: SamplingAction): vscode.WorkspaceEdit {
	const edit = new vscode.WorkspaceEdit();
	for (const e of action.edits) edit.replace(doc.uri, new vscode.Range(doc.positionAt(e.start), doc.positionAt(e.end)), e.newText);
	return edit;
}

export function registerPythonHelp(): vscode.Disposable[] {
	const models = new ModelCache();
	const notebooks = new NotebookCache();
	const t = vscode.l10n.t;
	const infoAt = (doc: vscode.TextDocument, offset: number): HoverInfo | undefined => {
		const nb = notebooks.get(doc);
		if (nb) return hoverInCell(nb.cells, nb.index, offset);
		const { text, model } = models.get(doc);
		return hoverAt(model, text, offset);
	};

	const hover: vscode.HoverProvider = {
		provideHover(doc, position, token) {
			if (token.isCancellationRequested) return undefined;
			const info = infoAt(doc, doc.offsetAt(position));
			if (!info || token.isCancellationRequested) return undefined;
			const { markdown, commandLinks } = formatHover(info, t, { documentUri: doc.uri.toString(), documentVersion: doc.version });
			const md = new vscode.MarkdownString(markdown);
			md.isTrusted = { enabledCommands: commandLinks };
			return new vscode.Hover(md, new vscode.Range(doc.positionAt(info.range.start), doc.positionAt(info.range.end)));
		},
	};

	const actions: vscode.CodeActionProvider = {
		provideCodeActions(doc, range, _context, token) {
			if (token.isCancellationRequested) return undefined;
			const { model } = models.get(doc);
			return samplingActionsAt(model, doc.offsetAt(range.start), doc.offsetAt(range.end)).map((a) => {
				const action = new vscode.CodeAction(samplingFixTitle(a.direction, t), vscode.CodeActionKind.QuickFix);
				action.edit = toWorkspaceEdit(doc, a);
				action.isPreferred = a.direction === 'apply';
				return action;
			});
		},
	};

	/** The hover's link. A link from a hover on an older version of the text does nothing: the offset it carries is stale. */
	const applyFix = async (args?: ApplySamplingFixArgs): Promise<boolean> => {
		if (!args || typeof args.uri !== 'string' || typeof args.offset !== 'number') return false;
		const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === args.uri);
		if (!doc) return false;
		if (args.version !== doc.version) {
			void showInfo(t('The file changed after this hover was shown, so the quick fix was not applied. Hover again to get a fresh link.'));
			return false;
		}
		const { model } = models.get(doc);
		const action = samplingActionsAt(model, args.offset).find((a) => a.direction === args.direction);
		if (!action) return false;
		return vscode.workspace.applyEdit(toWorkspaceEdit(doc, action));
	};

	return [
		vscode.languages.registerHoverProvider(SELECTOR, hover),
		vscode.languages.registerCodeActionsProvider(SELECTOR, actions, { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] }),
		vscode.commands.registerCommand(APPLY_SAMPLING_FIX_COMMAND, applyFix),
	];
}
