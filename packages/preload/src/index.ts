/**
 * `node --import @secretkit/preload app.js`: importing this module resolves the secret
 * references in `process.env` before the app's first line runs (top-level await holds the
 * entry point back until it is done).
 *
 * This file only loads the hook: `dist/hook.js`, compiled with a code cache of itself.
 */
import { runHook } from './code-cache.js'

/** Set by the build: a digest of `dist/hook.js`. */
declare const __SECRETKIT_HOOK_ID__: string

await runHook({
  file: `${import.meta.dirname}/hook.js`,
  id: __SECRETKIT_HOOK_ID__,
  // Beside the code it caches: whoever may write there may change the code anyway.
  defaultCacheDir: `${import.meta.dirname}/../.cache`,
  importModule: (specifier) => import(specifier),
})
