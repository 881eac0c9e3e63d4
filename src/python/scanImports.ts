/** The names import statements bind: numpy and numpy.random aliases, functions taken from numpy.random, and other imported names. */
import { K_NAME, K_OPEN, matchOf } from './tokens';
import type { TargetSource } from './scanTargets';

export interface Imports {
	/** Names bound to the numpy module. */
	readonly numpyAliases: Set<string>;
	/** Names bound to numpy.random itself. */
	readonly numpyRandomAliases: Set<string>;
	/** Names bound by `from numpy.random import choice as pick`: the local name → numpy.random's own name. */
	readonly randomFunctions: Map<string, string>;
	/** Other names bound by `from module import name [as alias]`: the local name → the module as written; '*' → the first module imported with `*`. */
	readonly importedNames: Map<string, string>;
}

/** What `from numpy.random import *` brings that the hovers explain. */
const RANDOM_STAR = ['choice', 'shuffle', 'permutation', 'default_rng', 'RandomState', 'Generator'];

export function emptyImports(): Imports {
	return { numpyAliases: new Set(['np', 'numpy']), numpyRandomAliases: new Set(), randomFunctions: new Map(), importedNames: new Map() };
}

/** `import numpy as np, os` and `import numpy.random as npr`. */
export function scanImport(m: TargetSource, a: number, e: number, found: Imports): void {
	for (let j = a + 1; j < e; j++) {
		if (!m.isName(j, 'numpy')) continue;
		if (m.isOp(j + 1, '.')) {
			if (m.isName(j + 2, 'random') && m.isName(j + 3, 'as') && m.isName(j + 4)) found.numpyRandomAliases.add(m.tok(j + 4));
			continue;
		}
		if (m.isName(j + 1, 'as') && m.isName(j + 2)) found.numpyAliases.add(m.tok(j + 2));
		else found.numpyAliases.add('numpy');
	}
}

/** `from module import a, b as c` and `from module import (a, b)`. */
export function scanFromImport(m: TargetSource, a: number, e: number, found: Imports): void {
	// The module: dotted, possibly relative (`from . import x`, `from ..common import y`).
	let j = a + 1;
	let module = '';
	while (j < e && !m.isName(j, 'import')) module += m.tok(j++);
	if (j >= e) return;
	let s = j + 1;
	let end = e;
	if (s < e && m.tokens.kind[s] === K_OPEN) {
		const c = matchOf(m.tokens, s);
		end = c > s ? c : e;
		s++;
	}
	const isNumpy = module === 'numpy';
	const isRandom = module === 'numpy.random';
	if (isRandom && m.isOp(s, '*')) {
		for (const f of RANDOM_STAR) found.randomFunctions.set(f, f);
		return;
	}
	// `from config import *`: any name the file does not set may come from there (kept under the key '*').
	if (m.isOp(s, '*')) {
		if (!isNumpy && !found.importedNames.has('*')) found.importedNames.set('*', module);
		return;
	}
	for (let k = s; k < end; k++) {
		if (m.tokens.kind[k] !== K_NAME) continue;
		const name = m.tok(k);
		let local = name;
		if (m.isName(k + 1, 'as') && m.isName(k + 2)) {
			local = m.tok(k + 2);
			k += 2;
		}
		if (isNumpy && name === 'random') found.numpyRandomAliases.add(local);
		else if (isRandom) found.randomFunctions.set(local, name);
		else found.importedNames.set(local, module);
	}
}
