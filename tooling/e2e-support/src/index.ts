export {
  type ExitedApp,
  exportTypes,
  type NodeProcessOptions,
  type ProcessOutput,
  type RunningApp,
  runNode,
  runToExit,
  type StartAppOptions,
  startApp,
} from './app-process.js'
export { leaksOf, type PollOptions, poll } from './checks.js'
export { replaceFile, scratchTree, type TempDir, type TempDirOptions, tempDir } from './files.js'
export { fetchText, postJson, type TextResponse } from './http.js'
export { E2eScope } from './scope.js'
