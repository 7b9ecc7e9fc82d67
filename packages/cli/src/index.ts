export { type CheckOptions, check } from './check.js'
export { EXIT_USAGE, main } from './main.js'
export { type RunOptions, run } from './run.js'
