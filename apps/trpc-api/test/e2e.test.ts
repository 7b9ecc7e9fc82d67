import { createHmac } from 'node:crypto'
import { rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { E2eScope, leaksOf, poll, postJson, runToExit } from '@secretkit/e2e-support'
import { afterEach, describe, expect, it } from 'vitest'

/** A value that must never appear in a response, a log line or stderr. */
const CANARY = 'canary-webhook-key-3b7e0d52-do-not-leak'
const ADMIN_TOKEN = 'example-admin-token-not-a-secret'
const appDir = fileURLToPath(new URL('..', import.meta.url))
const entry = join(appDir, 'dist/main.js')
const env = { NODE_ENV: 'development' } // tRPC adds data.stack to error shapes outside production

const hmac = (key: string, payload: string) =>
  `sha256=${createHmac('sha256', key).update(payload).digest('hex')}`

async function sign(
  url: string,
  payload: string,
): Promise<{ status: number; text: string; signature?: string }> {
  const { status, text } = await postJson(`${url}/webhooks.sign`, { payload })
  return { status, text, signature: JSON.parse(text).result?.data?.signature }
}

describe('trpc-api, end to end over HTTP', () => {
  const scope = new E2eScope()
  afterEach(() => scope.close())

  /** A private copy of the committed secrets folder, with `files` written over it. */
  const secretsDir = (files: Record<string, string>) =>
    scope.tempDir({ copyFrom: join(appDir, 'secrets'), files })

  async function start(extra: Record<string, string> = {}) {
    const { dir } = await secretsDir({ 'webhook-key.txt': `${CANARY}\n` })
    return { app: await scope.startApp({ entry, env: { ...env, SECRETS_DIR: dir, ...extra } }), dir }
  }

  it('signs a payload with the webhook key and returns only the signature', async () => {
    const { app } = await start()
    const payload = JSON.stringify({ event: 'invoice.paid', id: 42 })
    const { status, text, signature } = await sign(app.url, payload)
    expect(status).toBe(200)
    expect(signature).toBe(hmac(CANARY, payload))
    expect(leaksOf(CANARY, { text })).toEqual([])
  })

  it('picks up a rotated key file in the background; the next call signs with it, same process', async () => {
    const { app, dir } = await start({ SECRETS_TTL: '300ms' })
    const pid = app.child.pid
    const signature = async () => (await sign(app.url, 'hello')).signature
    expect(await signature()).toBe(hmac(CANARY, 'hello'))

    const rotated = `${CANARY}-rotated`
    await writeFile(join(dir, 'webhook-key.txt'), `${rotated}\n`)
    // Background refresh runs every ~270 ms; ask until it has (bounded: 10 s), never restarting anything.
    expect(await poll(signature, (s) => s === hmac(rotated, 'hello'))).toBe(hmac(rotated, 'hello'))
    expect(app.child.pid).toBe(pid)
    expect(app.child.exitCode).toBeNull()
    expect(app.output().stdout).toMatch(/secret webhookKey changed \(version [\d.]+\)/)
    expect(leaksOf(CANARY, app.output())).toEqual([])
  })

  it('fails to start when a required secret is missing: non-zero exit, aggregate error, no values', async () => {
    const { dir } = await secretsDir({ 'admin.env': `OTHER=${CANARY}\n` }) // the file is there, its key is not
    await rm(join(dir, 'webhook-key.txt')) // and WEBHOOK_KEY is not in the child's environment
    const { code, stdout, stderr } = await runToExit({ entry, env: { ...env, SECRETS_DIR: dir } })
    expect(code).not.toBe(0)
    expect(stdout).not.toContain('listening on')
    expect(stderr).toContain('SecretsLoadError: 2 secrets failed to load')
    expect(stderr).toContain('webhookKey (file://webhook-key.txt -> env://WEBHOOK_KEY)')
    expect(stderr).toContain('adminToken (file://admin.env#ADMIN_TOKEN -> env://ADMIN_TOKEN)')
    expect(leaksOf(CANARY, { stdout, stderr })).toEqual([])
  })

  it('leak canary: errors that embed the key come back and are logged scrubbed', async () => {
    const { app } = await start()

    const leak = await fetch(`${app.url}/debug.leak`)
    const leakBody = await leak.text()
    expect(leak.status).toBe(500)
    const { error } = JSON.parse(leakBody)
    expect(error.message).toBe('upstream rejected webhook key [redacted]')
    expect(error.data.code).toBe('INTERNAL_SERVER_ERROR')
    expect(error.data.stack).toContain('upstream rejected webhook key [redacted]') // NODE_ENV=development

    const admin = await fetch(`${app.url}/adminSecrets`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    })
    const adminBody = await admin.text()
    expect(admin.status).toBe(200)
    expect(JSON.parse(adminBody).result.data.map((secret: { name: string }) => secret.name)).toEqual([
      'webhookKey',
      'adminToken',
    ])
    const denied = await fetch(`${app.url}/adminSecrets`, { headers: { authorization: `Bearer ${CANARY}` } })
    const deniedBody = await denied.text()
    expect(denied.status).toBe(401)

    expect(await app.stop()).toBe(0) // SIGTERM: graceful shutdown closes server and store
    const logs = app.output()
    expect(logs.stderr).toContain('debug.leak INTERNAL_SERVER_ERROR: ')
    expect(logs.stderr).toContain('upstream rejected webhook key [redacted]')
    expect(logs.stdout).toContain('trpc-api: shutting down')
    const places = { leakBody, adminBody, deniedBody, ...logs }
    expect(leaksOf(CANARY, places)).toEqual([])
    expect(leaksOf(ADMIN_TOKEN, places)).toEqual([])
  })
})
