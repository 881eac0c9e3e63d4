// Reads and prints the JSON results file written by test/host/index.ts; shared by both runners so their output matches.
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { repoRoot } from './paths.mjs';

/** @returns {import('../../test/host/index').TestResults | undefined} */
export function readResults(file) {
	if (!existsSync(file)) return undefined;
	try {
		return JSON.parse(readFileSync(file, 'utf8'));
	} catch {
		return undefined; // only possible if something other than index.ts wrote it
	}
}

const maps = new Map();
function sourceMapFor(file) {
	if (!maps.has(file)) {
		let map;
		try {
			if (existsSync(`${file}.map`)) map = new SourceMap(JSON.parse(readFileSync(`${file}.map`, 'utf8')));
		} catch {
			map = undefined;
		}
		maps.set(file, map);
	}
	return maps.get(file);
}

/**
 * Maps bundle positions (dist/**.js:line:col) in a stack back to the .ts sources, since the host runs without --enable-source-maps,
 * and drops mocha's and node's own frames. Mocha already made paths relative to the host's cwd, the repository root.
 */
export function mapStack(stack, baseDir = repoRoot) {
	const mapped = stack.replace(/([^\s()]+\.js):(\d+):(\d+)/g, (whole, path, line, col) => {
		const file = isAbsolute(path) ? path : resolve(baseDir, path);
		const entry = sourceMapFor(file)?.findEntry(Number(line) - 1, Number(col) - 1);
		if (!entry?.originalSource) return whole;
		const source = entry.originalSource.startsWith('file://') ? new URL(entry.originalSource).pathname : resolve(dirname(file), entry.originalSource);
		return `${relative(baseDir, source)}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
	});
	return mapped
		.split('\n')
		.filter((l) => !/^\s+at .*(node_modules[\\/]mocha[\\/]|node:internal)/.test(l))
		.map((l) => l.replace(/^\s+at /, '    at '))
		.join('\n');
}

const indent = (text, pad) => text.split('\n').map((l) => pad + l).join('\n');

export function formatTest(t) {
	const mark = t.state === 'passed' ? 'PASS' : t.state === 'failed' ? 'FAIL' : 'SKIP';
	const time = t.durationMs === undefined ? '' : ` (${t.durationMs} ms)`;
	return `  ${mark} ${t.fullTitle}${time}`;
}

export function formatFailure(t, { stack = true } = {}) {
	const message = t.error?.message ?? 'no error message';
	if (!stack || !t.error?.stack) return indent(message, '      ');
	const body = mapStack(t.error.stack);
	// Error stacks normally start with the message already.
	return indent(body.includes(message) ? body : `${message}\n${body}`, '      ');
}

/** Prints new tests since `printedCount` and returns the new count, so a runner can stream progress while polling. */
export function printNewTests(results, printedCount) {
	for (const t of results.tests.slice(printedCount)) {
		console.log(formatTest(t));
		// Only the message here; the recap at the end has the stacks.
		if (t.state === 'failed') console.log(formatFailure(t, { stack: false }));
	}
	return results.tests.length;
}

/** Prints a recap of failures and the closing `N passed, N failed, N skipped` line that CI reads. */
export function printSummary({ passed, failed, pending = 0, failures = [] }) {
	if (failures.length > 0) {
		console.log('\nFailures:');
		failures.forEach((t, i) => {
			console.log(`  ${i + 1}) ${t.fullTitle}`);
			console.log(formatFailure(t));
		});
	}
	console.log(`${passed} passed, ${failed} failed, ${pending} skipped`);
}
