import { execFile } from 'node:child_process'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { extname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'

const appDir = fileURLToPath(new URL('..', import.meta.url))
const secretsDir = join(appDir, 'secrets')
const run = promisify(execFile)

/** Every value in the example secret files long enough to be a secret (skips `demo`, `5432`). */
function exampleSecretValues(dir: string): string[] {
  const values: string[] = []
  for (const name of readdirSync(dir)) {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) {
      values.push(...exampleSecretValues(path))
      continue
    }
    const text = readFileSync(path, 'utf8')
    if (extname(path) === '.json') values.push(...Object.values(JSON.parse(text) as Record<string, string>))
    else if (extname(path) === '.env') {
      for (const line of text.split('\n'))
        if (line.includes('=')) values.push(line.slice(line.indexOf('=') + 1))
    } else values.push(text.trim())
  }
  return values.filter((value) => value.length >= 8)
}

describe('demo app', () => {
  it('loads from files and env, reports names and sources, and never prints a value', async () => {
    const smtpCanary = `canary-smtp-${process.pid}-${Date.now()}`
    const env: NodeJS.ProcessEnv = { ...process.env, DEMO_SMTP_PASSWORD: smtpCanary }
    for (const key of Object.keys(env))
      if (key.startsWith('DEMO_') && key !== 'DEMO_SMTP_PASSWORD') delete env[key]
    // The child resolves @secretkit/core to its built dist, like a real consumer.
    delete env.NODE_OPTIONS

    const { stdout, stderr } = await run(process.execPath, ['src/main.mjs'], {
      cwd: appDir,
      env,
      timeout: 20_000,
    })

    const row = (name: string) => stdout.split('\n').find((line) => line.startsWith(`${name} `)) ?? ''
    expect(row('dbPassword')).toMatch(/fresh\s+file:\/\/db\.env#DB_PASSWORD\s+file/)
    expect(row('dbPort')).toMatch(/fresh\s+file:\/\/db\.env#DB_PORT\s+file/)
    expect(row('stripeKey')).toMatch(/fresh\s+file:\/\/stripe\.json#api_key\s+file/)
    expect(row('stripeWebhookSecret')).toMatch(/fresh\s+file:\/\/stripe\.json#webhook_secret\s+file/)
    expect(row('smtpPassword')).toMatch(/fresh\s+env:\/\/SMTP_PASSWORD\s+env/)
    expect(row('sentryDsn')).toMatch(/missing\s+\(none: optional, not set\)/)
    expect(stdout).toContain('dbPort passed its schema: a number')
    expect(stdout).toContain('tenant acme: stripe#api_key resolved from file://acme/stripe')
    expect(stdout).toContain('tenant "../globex" refused: SECRET_CONFIG_INVALID')
    expect(stdout).toContain('log: connecting to postgres with password [redacted]')
    expect(stderr).toBe('')

    const canaries = [...exampleSecretValues(secretsDir), smtpCanary]
    expect(canaries.length).toBeGreaterThanOrEqual(5)
    for (const canary of canaries) {
      expect(stdout, 'a secret value leaked to stdout').not.toContain(canary)
      expect(stderr, 'a secret value leaked to stderr').not.toContain(canary)
    }
  })
})
