import type { Server } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cliPath, PASSWORD, type RunResult, runNode, startDatabase } from './support.js'

let database: Awaited<ReturnType<typeof startDatabase>>
let server: Server
const outputs: RunResult[] = []

beforeAll(async () => {
  database = await startDatabase()
  server = database.server
})
afterAll(() => {
  server.close()
})

/** DB_PASSWORD comes from the config file's declaration; DB_USER is a reference in the environment. */
function appEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { DB_PORT: String(database.port), DB_USER: 'file://db.env#DB_USER', ...extra }
}

async function run(args: readonly string[], env: Record<string, string>): Promise<RunResult> {
  const result = await runNode(args, env)
  outputs.push(result)
  return result
}

describe('the sample script', () => {
  it('connects when started with node --import @secretkit/preload (ESM entry)', async () => {
    const before = database.attempts.length
    const result = await run(['--import', '@secretkit/preload', 'app.mjs'], appEnv())
    expect(result).toMatchObject({ code: 0, stdout: 'connected as sample_app\n', stderr: '' })
    expect(database.attempts.slice(before)).toEqual(['sample_app'])
  })

  it('connects when the hook comes from NODE_OPTIONS (CommonJS entry)', async () => {
    const result = await run(['app.cjs'], appEnv({ NODE_OPTIONS: '--import @secretkit/preload' }))
    expect(result).toMatchObject({ code: 0, stdout: 'connected as sample_app\n', stderr: '' })
  })

  it('connects when started with secretkit run -- node app.mjs', async () => {
    const result = await run([cliPath, 'run', '--', process.execPath, 'app.mjs'], appEnv())
    expect(result).toMatchObject({ code: 0, stdout: 'connected as sample_app\n', stderr: '' })
  })

  it('is refused without secretkit: the references themselves are no password', async () => {
    const result = await run(['app.mjs'], appEnv({ DB_PASSWORD: 'file://db.env#DB_PASSWORD' }))
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('refused user file://db.env#DB_USER')
  })

  it('does not start when a required secret is missing: exit code 1, the aggregate error on stderr', async () => {
    const before = database.attempts.length
    const env = appEnv({ DB_PASSWORD: 'file://db.env#NO_SUCH_KEY', DB_USER: 'file://missing.env#DB_USER' })
    for (const args of [
      ['--import', '@secretkit/preload', 'app.mjs'],
      [cliPath, 'run', '--', process.execPath, 'app.mjs'],
    ]) {
      const result = await run(args, env)
      expect(result.code).toBe(1)
      expect(result.stdout).toBe('')
      expect(result.stderr).toContain('2 secrets failed to load')
      expect(result.stderr).toMatch(
        /DB_PASSWORD \(file:\/\/db\.env#NO_SUCH_KEY\): \[SECRET_NOT_FOUND\] the secret has no field "NO_SUCH_KEY"/,
      )
      expect(result.stderr).toMatch(/DB_USER \(file:\/\/missing\.env#DB_USER\): \[SECRET_NOT_FOUND\]/)
    }
    expect(database.attempts.length).toBe(before)
  })

  it('secretkit check prints a table of sources and states, never values', async () => {
    const result = await run([cliPath, 'check'], appEnv())
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/^NAME\s+FROM\s+PROVIDER\s+SOURCE\s+VERSION\s+AGE\s+STATUS$/m)
    expect(result.stdout).toMatch(
      /^DB_PASSWORD\s+config\s+file\s+file:\/\/db\.env#DB_PASSWORD\s+\S+\s+\S+\s+ok$/m,
    )
    expect(result.stdout).toMatch(/^DB_USER\s+env\s+file\s+file:\/\/db\.env#DB_USER\s+\S+\s+\S+\s+ok$/m)
  })

  it('secretkit check --json reports failures for CI with a non-zero exit code', async () => {
    const result = await run([cliPath, 'check', '--json'], appEnv({ DB_USER: 'file://missing.env#DB_USER' }))
    expect(result.code).toBe(1)
    const report = JSON.parse(result.stdout)
    expect(report.ok).toBe(false)
    expect(report.secrets).toEqual([
      expect.objectContaining({ name: 'DB_PASSWORD', origin: 'config', provider: 'file', status: 'ok' }),
      expect.objectContaining({ name: 'DB_USER', origin: 'env', status: 'failed (SECRET_NOT_FOUND)' }),
    ])
  })

  it('never prints the password (leak canary over every run above)', () => {
    expect(outputs.length).toBeGreaterThanOrEqual(8)
    for (const { stdout, stderr } of outputs) {
      expect(stdout).not.toContain(PASSWORD)
      expect(stderr).not.toContain(PASSWORD)
    }
  })
})
