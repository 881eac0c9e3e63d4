/**
 * `mocha` for the in-host suite in the browser. Mocha's own browser build (mocha/mocha.js: it brings its process shim and
 * needs no DOM) sets the global `Mocha`; its `describe`, `it`, … are set on globalThis only when a file is loaded
 * ('pre-require'), so these forward to them at call time, as node's mocha does.
 */
import 'mocha/mocha.js';

type Global = typeof globalThis & Record<'describe' | 'it' | 'before' | 'after' | 'beforeEach' | 'afterEach', (...args: unknown[]) => unknown>;
const g = globalThis as Global;

export const describe = ((...args: unknown[]) => g.describe(...args)) as unknown as Mocha.SuiteFunction;
export const it = ((...args: unknown[]) => g.it(...args)) as unknown as Mocha.TestFunction;
export const before = ((...args: unknown[]) => g.before(...args)) as unknown as Mocha.HookFunction;
export const after = ((...args: unknown[]) => g.after(...args)) as unknown as Mocha.HookFunction;
export const beforeEach = ((...args: unknown[]) => g.beforeEach(...args)) as unknown as Mocha.HookFunction;
export const afterEach = ((...args: unknown[]) => g.afterEach(...args)) as unknown as Mocha.HookFunction;

export default (globalThis as unknown as { Mocha: typeof Mocha }).Mocha;
