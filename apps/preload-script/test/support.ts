import { execFile } from 'node:child_process'
import { once } from 'node:events'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { createServer, type Server } from 'node:net'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const appDir = fileURLToPath(new URL('..', import.meta.url))
const require = createRequire(import.meta.url)
/** The built secretkit CLI, run with this Node (`secretkit run` in the README). */
export const cliPath = join(dirname(require.resolve('secretkit/package.json')), 'dist/cli.js')

/** The committed fake password: doubles as the leak canary. */
export const PASSWORD = /^DB_PASSWORD=(.*)$/m.exec(readFileSync(join(appDir, 'secrets/db.env'), 'utf8'))![1]!

/** A stand-in database on a loopback port: accepts `AUTH sample_app <password>` and counts attempts. */
export async function startDatabase(): Promise<{ port: number; attempts: string[]; server: Server }> {
  const attempts: string[] = []
  const server = createServer((socket) => {
    socket.setEncoding('utf8')
    socket.once('data', (line: string) => {
      const [, user, password] = line.trim().split(' ')
      attempts.push(user ?? '')
      socket.end(user === 'sample_app' && password === PASSWORD ? 'OK\n' : 'DENIED\n')
    })
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const address = server.address()
  return { port: typeof address === 'object' && address ? address.port : 0, attempts, server }
}

export interface RunResult {
  code: number | null
  stdout: string
  stderr: string
}

/** Runs `node args…` in the app folder with `env` on top of a clean environment. */
export function runNode(args: readonly string[], env: Record<string, string>): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      args,
      { cwd: appDir, env: { PATH: process.env.PATH ?? '', ...env }, timeout: 20_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? ((error.code as number | undefined) ?? 1) : 0, stdout, stderr })
      },
    )
  })
}
