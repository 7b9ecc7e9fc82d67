/**
 * `node --import @secretkit/preload app.js`: importing this module resolves the secret
 * references in `process.env` before the app's first line runs (top-level await holds the
 * entry point back until it is done).
 */
import { preload } from './preload.js'

await preload()
