import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { scratchTree } from '@secretkit/e2e-support'

/** The built hook, imported the way users do: node --import @secretkit/preload. */
export const hook = fileURLToPath(new URL('../dist/index.js', import.meta.url))
export const CANARY = 'canary-31d7a0f2-preload-do-not-leak'

export function folder(files: Record<string, string>, base?: string): string {
  return scratchTree(files, { prefix: 'secretkit-preload-', ...(base === undefined ? {} : { base }) })
}

export interface Result {
  code: number
  stdout: string
  stderr: string
}

export function node(cwd: string, args: string[], env: Record<string, string> = {}): Promise<Result> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      args,
      { cwd, env: { PATH: process.env.PATH ?? '', ...env }, timeout: 20_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    )
  })
}
