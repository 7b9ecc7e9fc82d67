import { spawn } from 'node:child_process'
import { constants } from 'node:os'
import { err } from './output.js'
import { resolveOrReport } from './resolve.js'

export interface RunOptions {
  /** Config file instead of `SECRETKIT_CONFIG` and discovery. */
  configFile?: string | undefined
  /** The command and its arguments. */
  command: readonly string[]
}

const FORWARDED_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const

/**
 * Resolves the environment and runs the command in it. Resolves to the command's exit code,
 * 128 + signal number when it was killed by a signal, 1 when a required secret failed, 2 for
 * a bad config file and 127 when the command does not exist.
 */
export async function run(options: RunOptions): Promise<number> {
  const result = await resolveOrReport(options.configFile)
  if (result === undefined) return 2
  await result.store?.close()
  for (const { name, provider } of result.unconfigured) {
    err(`secretkit: ${name} looks like a secret reference, but no provider named "${provider}" is configured`)
  }
  if (result.error !== undefined) {
    err(`secretkit: ${result.error.message}\nsecretkit: the command was not started.`)
    return 1
  }
  const env: Record<string, string | undefined> = { ...process.env, ...result.values }
  for (const name of result.unset) delete env[name]
  const [file, ...args] = options.command as [string, ...string[]]
  return new Promise<number>((resolve) => {
    const child = spawn(file, args, { stdio: 'inherit', env })
    const forward = (signal: NodeJS.Signals) => child.kill(signal)
    for (const signal of FORWARDED_SIGNALS) process.on(signal, forward)
    const done = (code: number) => {
      for (const signal of FORWARDED_SIGNALS) process.off(signal, forward)
      resolve(code)
    }
    child.on('error', (error: NodeJS.ErrnoException) => {
      err(
        error.code === 'ENOENT'
          ? `secretkit: command not found: ${file}`
          : `secretkit: could not start ${file} (${error.code ?? error.message})`,
      )
      done(error.code === 'ENOENT' ? 127 : 126)
    })
    child.on('exit', (code, signal) => {
      done(signal === null ? (code ?? 0) : 128 + (constants.signals[signal] ?? 0))
    })
  })
}
