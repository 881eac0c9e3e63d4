/** Theme colours for the canvases, which cannot use CSS variables: read them, and read them again when VS Code changes theme. */
import type { SamplerId } from '../src/shared/protocol';

/** One chart colour per sampler, shared by the curves and the table's swatches. Blue/orange stay apart for most colour-blind readers. */
const SAMPLER_VARS: Record<SamplerId, string> = {
	replacement: '--vscode-charts-orange',
	'epoch-shuffle': '--vscode-charts-blue',
	sequential: '--vscode-charts-purple',
};

export interface Palette {
	foreground: string;
	/** The editor background, painted under the chart when it is saved as PNG. */
	background: string;
	/** A dark or high-contrast dark theme: the bands need a little more opacity to show. */
	dark: boolean;
	grid: string;
	fontFamily: string;
	fontSize: number;
	highContrast: boolean;
	sampler: Record<SamplerId, string>;
}

/** For DOM elements: a `var()` that follows the theme without any script. */
export function samplerCssColor(s: SamplerId): string {
	return `var(${SAMPLER_VARS[s]})`;
}

function cssVar(style: CSSStyleDeclaration, name: string, fallback: string): string {
	return style.getPropertyValue(name).trim() || fallback;
}

export function themeClass(): string {
	return [...document.body.classList].filter((c) => c.startsWith('vscode-')).join(' ');
}

export function readPalette(): Palette {
	const style = getComputedStyle(document.documentElement);
	const highContrast = /\bvscode-high-contrast/.test(document.body.className);
	const dark = /\bvscode-(dark|high-contrast)\b/.test(document.body.className) && !/\bvscode-high-contrast-light\b/.test(document.body.className);
	const foreground = cssVar(style, '--vscode-charts-foreground', cssVar(style, '--vscode-foreground', cssVar(style, '--vscode-editor-foreground', '#888888')));
	// High contrast themes draw borders with contrastBorder; elsewhere charts.lines is the theme's own grid colour.
	const grid = highContrast ? cssVar(style, '--vscode-contrastBorder', foreground) : cssVar(style, '--vscode-charts-lines', 'rgba(128, 128, 128, 0.35)');
	const size = parseFloat(cssVar(style, '--vscode-font-size', '13'));
	const sampler = {} as Record<SamplerId, string>;
	for (const [id, name] of Object.entries(SAMPLER_VARS) as [SamplerId, string][]) sampler[id] = cssVar(style, name, foreground);
	return {
		foreground,
		background: cssVar(style, '--vscode-editor-background', dark ? '#1e1e1e' : '#ffffff'),
		dark,
		grid,
		fontFamily: cssVar(style, '--vscode-font-family', 'system-ui, sans-serif'),
		fontSize: Number.isFinite(size) ? size : 13,
		highContrast,
		sampler,
	};
}

/** Calls `onChange` once per theme switch: VS Code swaps the body class and rewrites the variables on <html>. */
export function watchTheme(onChange: () => void): void {
	let queued = false;
	const fire = () => {
		if (queued) return;
		queued = true;
		// Both mutations land in the same task; wait for both before reading.
		requestAnimationFrame(() => {
			queued = false;
			onChange();
		});
	};
	const observer = new MutationObserver(fire);
	observer.observe(document.body, { attributes: true, attributeFilter: ['class'] });
	observer.observe(document.documentElement, { attributes: true, attributeFilter: ['style'] });
}

let scratch: CanvasRenderingContext2D | null | undefined;

/**
 * The colour with the given opacity, for the std bands and the per-seed lines. Any CSS colour a theme uses (#rgb,
 * #rrggbbaa, rgb(), a name) goes through a canvas, which hands it back as #rrggbb or rgba().
 */
export function withAlpha(colour: string, alpha: number): string {
	scratch ??= document.createElement('canvas').getContext('2d');
	if (!scratch) return colour;
	scratch.fillStyle = '#000000';
	scratch.fillStyle = colour;
	const norm = String(scratch.fillStyle);
	const hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(norm);
	if (hex) return `rgba(${parseInt(hex[1], 16)}, ${parseInt(hex[2], 16)}, ${parseInt(hex[3], 16)}, ${alpha})`;
	const rgba = /^rgba?\(([^,]+),([^,]+),([^,)]+)(?:,([^)]+))?\)$/.exec(norm);
	if (rgba) return `rgba(${rgba[1].trim()}, ${rgba[2].trim()}, ${rgba[3].trim()}, ${alpha * (rgba[4] === undefined ? 1 : Number(rgba[4]))})`;
	return colour;
}
