import { type ChildProcess, spawn } from 'node:child_process'
import { createHmac } from 'node:crypto'
import { cp, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const appDir = fileURLToPath(new URL('..', import.meta.url))

/** A value that must never appear in a response, a log line or stderr. */
export const CANARY = 'canary-webhook-key-3b7e0d52-do-not-leak'

export const expectedSignature = (key: string, payload: string) =>
  `sha256=${createHmac('sha256', key).update(payload).digest('hex')}`

export interface RunningApp {
  readonly url: string
  readonly child: ChildProcess
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>
}

/** A private copy of the example secrets folder that a test may rewrite. */
export async function copySecrets(): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'secretkit-app-'))
  await cp(join(appDir, 'secrets'), dir, { recursive: true })
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) }
}

/** The environment of the child: the parent's PATH only, no inherited secrets. */
function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, NODE_ENV: 'development', PORT: '0', HOST: '127.0.0.1', ...env }
}

/** Runs `node <entry>` to completion (for startup failures). */
export function runToExit(
  entry: string,
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [join(appDir, entry)], { env: childEnv(env), stdio: 'pipe' })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk) => {
    stdout += chunk
  })
  child.stderr.on('data', (chunk) => {
    stderr += chunk
  })
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000)
  return new Promise((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    }),
  )
}

/** Starts the real server (`node <entry>`) on a free loopback port and waits for its "listening on" line. */
export async function startApp(entry: string, env: Record<string, string>): Promise<RunningApp> {
  const child = spawn(process.execPath, [join(appDir, entry)], { env: childEnv(env), stdio: 'pipe' })
  let output = ''
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)))
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "listening on" line within 20s:\n${output}`)), 20_000)
    const onData = (chunk: Buffer) => {
      output += chunk
      const match = /listening on (http:\/\/\S+)\r?\n/.exec(output)
      if (match) {
        clearTimeout(timer)
        resolve(match[1]!)
      }
    }
    child.stdout.on('data', onData)
    child.stderr.on('data', onData)
    exited.then((code) => reject(new Error(`exited with ${code} before listening:\n${output}`)))
  })
  return {
    url,
    child,
    output: () => output,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
      const code = await exited
      clearTimeout(timer)
      return code
    },
  }
}
