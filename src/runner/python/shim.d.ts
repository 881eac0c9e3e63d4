/** esbuild inlines the shim's Python source as a string (scripts/build.mjs: loader `.py` → text). */
declare module '*.py' {
	const source: string;
	export default source;
}
