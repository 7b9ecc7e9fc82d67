import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtemp, rename, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** A value no response, log line or stderr output may ever contain. */
export const CANARY = 'canary-0c6d2e9a-fastify-api-do-not-leak'

const SERVER = fileURLToPath(new URL('../dist/server.js', import.meta.url))
const START_TIMEOUT_MS = 20_000

export interface RunningServer {
  readonly url: string
  readonly child: ChildProcess
  /** Everything the process wrote so far. */
  output(): { stdout: string; stderr: string }
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>
}

export interface ExitedServer {
  code: number | null
  stdout: string
  stderr: string
}

/** A folder for the file provider, holding `webhook-key.txt` when `key` is given. */
export async function secretsDir(key?: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'secretkit-fastify-api-'))
  if (key !== undefined) await writeFile(join(dir, 'webhook-key.txt'), `${key}\n`)
  return dir
}

/** Replaces the key file the way a secret syncer does: write aside, then rename over. */
export async function rotateKey(dir: string, key: string): Promise<void> {
  const next = join(dir, '.webhook-key.txt.next')
  await writeFile(next, `${key}\n`)
  await rename(next, join(dir, 'webhook-key.txt'))
}

/**
 * Runs the built server (`node dist/server.js`) on a free loopback port with only the given
 * environment (plus PATH), and resolves once it listens — or with its exit when it fails to start.
 */
export function startServer(env: Record<string, string>): Promise<RunningServer | ExitedServer> {
  const child = spawn(process.execPath, [SERVER], {
    env: { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk
  })
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk
  })
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)))

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`server did not start within ${START_TIMEOUT_MS} ms`))
    }, START_TIMEOUT_MS)
    const onData = () => {
      const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)
      if (match === null) return
      clearTimeout(timer)
      child.stdout.off('data', onData)
      resolve({
        url: match[1]!,
        child,
        output: () => ({ stdout, stderr }),
        async stop() {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
          return exited
        },
      })
    }
    child.stdout.on('data', onData)
    exited.then((code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    })
  })
}

export function isRunning(server: RunningServer | ExitedServer): server is RunningServer {
  return 'url' in server
}
