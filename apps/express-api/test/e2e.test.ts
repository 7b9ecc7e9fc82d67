import { rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { CANARY, copySecrets, expectedSignature, runToExit, startApp } from './support.js'

async function sign(url: string, payload: string): Promise<{ status: number; text: string }> {
  const response = await fetch(`${url}/webhooks/sign`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ payload }),
  })
  return { status: response.status, text: await response.text() }
}

describe('express-api, end to end over HTTP', () => {
  const cleanup: (() => Promise<unknown>)[] = []
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step()
  })

  async function start(env: Record<string, string> = {}, key = CANARY) {
    const secrets = await copySecrets()
    cleanup.push(secrets.remove)
    await writeFile(join(secrets.dir, 'webhook-key.txt'), `${key}\n`)
    const app = await startApp('dist/main.js', { SECRETS_DIR: secrets.dir, ...env })
    cleanup.push(() => app.stop())
    return { app, dir: secrets.dir }
  }

  it('signs a payload with the webhook key and returns only the signature', async () => {
    const { app } = await start()
    const payload = JSON.stringify({ event: 'invoice.paid', id: 42 })
    const { status, text } = await sign(app.url, payload)
    expect(status).toBe(200)
    expect(JSON.parse(text)).toEqual({ signature: expectedSignature(CANARY, payload) })
    expect(text).not.toContain(CANARY)
  })

  it('picks up a rotated key file in the background; the next request signs with it, same process', async () => {
    const { app, dir } = await start({ SECRETS_TTL: '300ms' })
    const pid = app.child.pid
    expect(JSON.parse((await sign(app.url, 'hello')).text).signature).toBe(expectedSignature(CANARY, 'hello'))

    const rotated = `${CANARY}-rotated`
    await writeFile(join(dir, 'webhook-key.txt'), `${rotated}\n`)
    // Background refresh runs every ~270 ms; ask until it has (bounded: 10 s), never restarting anything.
    let signature = ''
    for (let attempt = 0; attempt < 100 && signature !== expectedSignature(rotated, 'hello'); attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100))
      signature = JSON.parse((await sign(app.url, 'hello')).text).signature
    }
    expect(signature).toBe(expectedSignature(rotated, 'hello'))
    expect(app.child.pid).toBe(pid)
    expect(app.child.exitCode).toBeNull()
    expect(app.output()).toMatch(/secret webhookKey changed \(version [\d.]+\)/)
    expect(app.output()).not.toContain(CANARY)
  })

  it('fails to start when a required secret is missing: non-zero exit, aggregate error, no values', async () => {
    const secrets = await copySecrets()
    cleanup.push(secrets.remove)
    await writeFile(join(secrets.dir, 'admin.env'), `OTHER=${CANARY}\n`) // the file is there, its key is not
    await rm(join(secrets.dir, 'webhook-key.txt')) // and WEBHOOK_KEY is not in the child's environment
    const { code, stdout, stderr } = await runToExit('dist/main.js', { SECRETS_DIR: secrets.dir })
    expect(code).not.toBe(0)
    expect(stdout).not.toContain('listening on')
    expect(stderr).toContain('SecretsLoadError: 2 secrets failed to load')
    expect(stderr).toContain('webhookKey (file://webhook-key.txt -> env://WEBHOOK_KEY)')
    expect(stderr).toContain('adminToken (file://admin.env#ADMIN_TOKEN -> env://ADMIN_TOKEN)')
    expect(stdout + stderr).not.toContain(CANARY)
  })

  it('leak canary: errors that embed the key come back and are logged scrubbed', async () => {
    const { app } = await start()
    const responses: string[] = []

    const plain = await fetch(`${app.url}/debug/leak`)
    responses.push(await plain.text())
    expect(plain.status).toBe(500)
    expect(JSON.parse(responses[0]!)).toEqual({ error: { status: 500, message: 'Internal Server Error' } })

    const exposed = await fetch(`${app.url}/debug/leak-exposed`)
    responses.push(await exposed.text())
    expect(exposed.status).toBe(422)
    expect(JSON.parse(responses[1]!)).toEqual({
      error: {
        status: 422,
        message: 'signature made with [redacted] did not verify',
        code: 'SIGNATURE_MISMATCH',
        details: { keyTried: '[redacted]' },
      },
    })

    const admin = await fetch(`${app.url}/admin/secrets`, {
      headers: { authorization: 'Bearer example-admin-token-not-a-secret' },
    })
    responses.push(await admin.text())
    expect(admin.status).toBe(200)
    expect(JSON.parse(responses[2]!).map((secret: { name: string }) => secret.name)).toEqual([
      'webhookKey',
      'adminToken',
    ])

    expect(await app.stop()).toBe(0) // SIGTERM: graceful shutdown closes server and store
    const logs = app.output()
    expect(logs).toContain('GET /debug/leak 500: Error: upstream rejected webhook key [redacted]')
    expect(logs).toContain('express-api: shutting down')
    for (const text of [...responses, logs]) {
      expect(text).not.toContain(CANARY)
      expect(text).not.toContain('example-admin-token-not-a-secret')
    }
  })
})
