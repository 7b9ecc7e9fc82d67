import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { E2eScope, fetchText, leaksOf, poll, replaceFile, runToExit } from '@secretkit/e2e-support'
import { afterEach, describe, expect, it } from 'vitest'
import { sign } from '../src/app.js'

/** A value no response, log line or stderr output may ever contain. */
const CANARY = 'canary-0c6d2e9a-fastify-api-do-not-leak'
const entry = fileURLToPath(new URL('../dist/server.js', import.meta.url))

const scope = new E2eScope()
afterEach(() => scope.close())

/** A folder for the file provider, holding `webhook-key.txt` when `key` is given. */
async function secretsDir(key?: string): Promise<string> {
  const files: Record<string, string> = key === undefined ? {} : { 'webhook-key.txt': `${key}\n` }
  return (await scope.tempDir({ prefix: 'secretkit-fastify-api-', files })).dir
}

const start = (env: Record<string, string>) => scope.startApp({ entry, env })

/** POSTs `body` as it is: the signature covers the exact bytes sent. */
const postSign = (url: string, body: string) =>
  fetchText(`${url}/webhooks/sign`, { method: 'POST', headers: { 'content-type': 'application/json' }, body })

async function signRemotely(url: string, body: string): Promise<string> {
  const response = await postSign(url, body)
  expect(response.status).toBe(200)
  return (JSON.parse(response.text) as { signature: string }).signature
}

const PAYLOAD = JSON.stringify({ event: 'order.paid', id: 42, note: 'caf\u00e9 \u2713' })

describe('fastify-api over HTTP', () => {
  it('signs the body with the loaded key and returns only the signature', async () => {
    const key = 'e2e-webhook-key-5b7d3f1a'
    const server = await start({ SECRETS_DIR: await secretsDir(key) })

    const { status, text } = await postSign(server.url, PAYLOAD)
    expect(status).toBe(200)
    expect(JSON.parse(text)).toEqual({ signature: sign(key, PAYLOAD) })
    expect(leaksOf(key, { text })).toEqual([])
  })

  it('falls back to $WEBHOOK_KEY when the file is absent', async () => {
    const key = 'e2e-env-webhook-key-91c4'
    const server = await start({ SECRETS_DIR: await secretsDir(), WEBHOOK_KEY: key })
    expect(await signRemotely(server.url, PAYLOAD)).toBe(sign(key, PAYLOAD))
    const health = (await (await fetch(`${server.url}/health/secrets`)).json()) as {
      secrets: { name: string; source: string }[]
    }
    expect(health.secrets).toEqual([
      expect.objectContaining({ name: 'webhookKey', source: 'env://WEBHOOK_KEY' }),
    ])
  })

  it('picks up a rotated key through background refresh, without a restart', async () => {
    const first = 'rotation-key-one-3e8a'
    const second = 'rotation-key-two-7c2f'
    const dir = await secretsDir(first)
    const server = await start({ SECRETS_DIR: dir, SECRETS_TTL: '300ms' })
    const pid = server.child.pid
    expect(await signRemotely(server.url, PAYLOAD)).toBe(sign(first, PAYLOAD))

    await replaceFile(join(dir, 'webhook-key.txt'), `${second}\n`)
    // Bounded poll: the refresh runs about every 270–330 ms; 60 × 100 ms leaves ample room on a busy machine.
    const signature = await poll(
      () => signRemotely(server.url, PAYLOAD),
      (value) => value === sign(second, PAYLOAD),
      { attempts: 60 },
    )

    expect(signature).toBe(sign(second, PAYLOAD))
    expect(server.child.pid).toBe(pid)
    expect(server.child.exitCode).toBeNull()
    expect(server.output().stdout).toContain('secret \\"webhookKey\\" changed upstream')
    await server.stop()
    const { stdout, stderr } = server.output()
    for (const key of [first, second]) expect(leaksOf(key, { stdout, stderr })).toEqual([])
  })

  it('fails to start with the aggregate error and a non-zero exit when the key is missing', async () => {
    const result = await runToExit({ entry, env: { SECRETS_DIR: await secretsDir() } })

    expect(result.code).not.toBe(0)
    expect(result.code).not.toBeNull()
    expect(result.stderr).toContain('SecretsLoadError: 1 secret failed to load')
    expect(result.stderr).toContain('webhookKey (file://webhook-key.txt -> env://WEBHOOK_KEY)')
    expect(result.stderr).toContain('SECRET_NOT_FOUND')
    expect(result.stdout).not.toContain('Server listening')
  })

  it('fails without printing a value when a source is misconfigured and the fallback holds the canary', async () => {
    // A directory where the key file should be is a config error, which a chain never falls
    // through, so startup fails even though $WEBHOOK_KEY (the canary) would have resolved.
    const dir = await secretsDir()
    await mkdir(join(dir, 'webhook-key.txt'))
    const exited = await runToExit({ entry, env: { SECRETS_DIR: dir, WEBHOOK_KEY: CANARY } })

    expect(exited.code).not.toBe(0)
    expect(exited.stderr).toContain('SecretsLoadError: 1 secret failed to load')
    expect(exited.stderr).toContain('SECRET_CONFIG_INVALID')
    expect(leaksOf(CANARY, exited)).toEqual([])
  })

  it('leak canary: errors and log lines that embed the key come back scrubbed', async () => {
    const server = await start({ SECRETS_DIR: await secretsDir(CANARY) })

    const error = await fetch(`${server.url}/demo/leaky-error`)
    const errorBody = await error.text()
    expect(error.status).toBe(500)
    expect(errorBody).toContain('upstream rejected webhook key [redacted]')
    const health = await (await fetch(`${server.url}/health/secrets`)).text()
    expect(await signRemotely(server.url, PAYLOAD)).toBe(sign(CANARY, PAYLOAD))

    expect(await server.stop()).toBe(0)
    const { stdout, stderr } = server.output()
    expect(stdout).toContain('about to call upstream with key [redacted]')
    expect(stdout).toContain('upstream rejected webhook key [redacted]')
    expect(leaksOf(CANARY, { errorBody, health, stdout, stderr })).toEqual([])
  })
})
