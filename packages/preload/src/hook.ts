/**
 * The hook itself, built as a script (`dist/hook.js`) that `dist/index.js` compiles with a V8
 * code cache (see `code-cache.ts`). Its dynamic imports go through the `importModule` the
 * loader passes in, so they resolve from `dist/` as they would from an ES module.
 */
export { preload } from './preload.js'
