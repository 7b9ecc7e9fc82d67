import { createHmac } from 'node:crypto'
import { rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { E2eScope, leaksOf, poll, postJson, runToExit, type TempDirOptions } from '@secretkit/e2e-support'
import { afterEach, describe, expect, it } from 'vitest'

/** A value that must never appear in a response, a log line or stderr. */
const CANARY = 'canary-webhook-key-3b7e0d52-do-not-leak'
const ADMIN_TOKEN = 'example-admin-token-not-a-secret'
const appDir = fileURLToPath(new URL('..', import.meta.url))
const entry = join(appDir, 'dist/main.js')
const committedSecrets = { copyFrom: join(appDir, 'secrets') } satisfies TempDirOptions

const expectedSignature = (key: string, payload: string) =>
  `sha256=${createHmac('sha256', key).update(payload).digest('hex')}`
const sign = (url: string, payload: string) => postJson(`${url}/webhooks/sign`, { payload })

describe('express-api, end to end over HTTP', () => {
  const scope = new E2eScope()
  afterEach(() => scope.close())

  async function start(env: Record<string, string> = {}) {
    const { dir } = await scope.tempDir({ ...committedSecrets, files: { 'webhook-key.txt': `${CANARY}\n` } })
    const app = await scope.startApp({ entry, env: { NODE_ENV: 'development', SECRETS_DIR: dir, ...env } })
    return { app, dir }
  }

  it('signs a payload with the webhook key and returns only the signature', async () => {
    const { app } = await start()
    const payload = JSON.stringify({ event: 'invoice.paid', id: 42 })
    const { status, text } = await sign(app.url, payload)
    expect(status).toBe(200)
    expect(JSON.parse(text)).toEqual({ signature: expectedSignature(CANARY, payload) })
    expect(leaksOf(CANARY, { text })).toEqual([])
  })

  it('picks up a rotated key file in the background; the next request signs with it, same process', async () => {
    const { app, dir } = await start({ SECRETS_TTL: '300ms' })
    const pid = app.child.pid
    const signature = async () => JSON.parse((await sign(app.url, 'hello')).text).signature
    expect(await signature()).toBe(expectedSignature(CANARY, 'hello'))

    const rotated = `${CANARY}-rotated`
    await writeFile(join(dir, 'webhook-key.txt'), `${rotated}\n`)
    // Background refresh runs every ~270 ms; ask until it has (bounded: 10 s), never restarting anything.
    expect(await poll(signature, (s) => s === expectedSignature(rotated, 'hello'))).toBe(
      expectedSignature(rotated, 'hello'),
    )
    expect(app.child.pid).toBe(pid)
    expect(app.child.exitCode).toBeNull()
    expect(app.output().stdout).toMatch(/secret webhookKey changed \(version [\d.]+\)/)
    expect(leaksOf(CANARY, app.output())).toEqual([])
  })

  it('fails to start when a required secret is missing: non-zero exit, aggregate error, no values', async () => {
    const { dir } = await scope.tempDir({ ...committedSecrets, files: { 'admin.env': `OTHER=${CANARY}\n` } }) // the file is there, its key is not
    await rm(join(dir, 'webhook-key.txt')) // and WEBHOOK_KEY is not in the child's environment
    const { code, stdout, stderr } = await runToExit({
      entry,
      env: { NODE_ENV: 'development', SECRETS_DIR: dir },
    })
    expect(code).not.toBe(0)
    expect(stdout).not.toContain('listening on')
    expect(stderr).toContain('SecretsLoadError: 2 secrets failed to load')
    expect(stderr).toContain('webhookKey (file://webhook-key.txt -> env://WEBHOOK_KEY)')
    expect(stderr).toContain('adminToken (file://admin.env#ADMIN_TOKEN -> env://ADMIN_TOKEN)')
    expect(leaksOf(CANARY, { stdout, stderr })).toEqual([])
  })

  it('leak canary: errors that embed the key come back and are logged scrubbed', async () => {
    const { app } = await start()

    const plain = await fetch(`${app.url}/debug/leak`)
    const plainBody = await plain.text()
    expect(plain.status).toBe(500)
    expect(JSON.parse(plainBody)).toEqual({ error: { status: 500, message: 'Internal Server Error' } })

    const exposed = await fetch(`${app.url}/debug/leak-exposed`)
    const exposedBody = await exposed.text()
    expect(exposed.status).toBe(422)
    expect(JSON.parse(exposedBody)).toEqual({
      error: {
        status: 422,
        message: 'signature made with [redacted] did not verify',
        code: 'SIGNATURE_MISMATCH',
        details: { keyTried: '[redacted]' },
      },
    })

    const admin = await fetch(`${app.url}/admin/secrets`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    })
    const adminBody = await admin.text()
    expect(admin.status).toBe(200)
    expect(JSON.parse(adminBody).map((secret: { name: string }) => secret.name)).toEqual([
      'webhookKey',
      'adminToken',
    ])

    expect(await app.stop()).toBe(0) // SIGTERM: graceful shutdown closes server and store
    const logs = app.output()
    expect(logs.stderr).toContain('GET /debug/leak 500: Error: upstream rejected webhook key [redacted]')
    expect(logs.stdout).toContain('express-api: shutting down')
    const places = { plainBody, exposedBody, adminBody, ...logs }
    expect(leaksOf(CANARY, places)).toEqual([])
    expect(leaksOf(ADMIN_TOKEN, places)).toEqual([])
  })
})
