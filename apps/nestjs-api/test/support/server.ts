import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

/** A value no response or log line may ever contain. */
export const CANARY = 'canary-nestjs-api-0c9d4e71-do-not-leak'

/** The built app; vitest runs with the app folder as working directory. */
export const MAIN = resolve('dist/main.js')
export const COMMITTED_SECRETS = resolve('secrets')

export interface RunningApp {
  readonly url: string
  readonly child: ChildProcess
  /** Everything the process wrote so far. */
  output(): { stdout: string; stderr: string }
  /** SIGTERM, then waits for the exit. */
  stop(): Promise<number | null>
}

export interface StartOptions {
  env?: Record<string, string>
  /** Node binary. @default process.execPath */
  node?: string
}

const STARTUP_LIMIT_MS = 20_000

function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', HOST: '127.0.0.1', NO_COLOR: '1' }
  for (const name of [
    'WEBHOOK_KEY',
    'SECRETS_DIR',
    'SECRETS_TTL',
    'PLATFORM',
    'NODE_OPTIONS',
    'FORCE_COLOR',
  ]) {
    delete env[name]
  }
  return { ...env, ...extra }
}

/** Spawns `node dist/main.js`; resolves once it prints its URL, rejects if it exits first. */
export function spawnApp(options: StartOptions = {}): {
  child: ChildProcess
  output: () => { stdout: string; stderr: string }
  exited: Promise<number | null>
} {
  const child = spawn(options.node ?? process.execPath, [MAIN], {
    env: childEnv(options.env ?? {}),
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk
  })
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk
  })
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)))
  return { child, output: () => ({ stdout, stderr }), exited }
}

export async function startApp(options: StartOptions = {}): Promise<RunningApp> {
  const { child, output, exited } = spawnApp(options)
  const url = await new Promise<string>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`no URL after ${STARTUP_LIMIT_MS} ms`)), STARTUP_LIMIT_MS)
    const check = () => {
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output().stdout)
      if (match) {
        clearTimeout(timer)
        done(match[1]!)
      }
    }
    child.stdout!.on('data', check)
    void exited.then((code) => {
      clearTimeout(timer)
      fail(new Error(`app exited with ${code} before listening:\n${output().stderr}`))
    })
  })
  return {
    url,
    child,
    output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
      return exited
    },
  }
}

/** A fresh secrets folder holding `webhook-key.txt`. */
export async function secretsDir(webhookKey?: string): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'nestjs-api-secrets-'))
  if (webhookKey !== undefined) await writeFile(join(dir, 'webhook-key.txt'), `${webhookKey}\n`)
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) }
}
