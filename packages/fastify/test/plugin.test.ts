import { createSecrets, SecretConfigError, SecretsLoadError } from '@secretkit/core'
import { createTestingProvider } from '@secretkit/core/testing'
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import { afterEach, describe, expect, it } from 'vitest'
import { type SecretsReadinessReport, secretkit } from '../src/index.js'
import { CANARY, captureLogs, closeCounting, listen } from './support.js'

const apps: FastifyInstance[] = []
function app(options: Pick<FastifyServerOptions, 'logger'> = {}): FastifyInstance {
  const instance = Fastify(options)
  apps.push(instance)
  return instance
}
afterEach(async () => {
  await Promise.allSettled(apps.splice(0).map((instance) => instance.close()))
})

function storeWith(values: Record<string, string> = { 'webhook-key': CANARY }) {
  const upstream = createTestingProvider({ secrets: values })
  const provider = closeCounting(upstream)
  const store = createSecrets({
    providers: { up: provider },
    secrets: { webhookKey: 'up://webhook-key' },
    cache: { ttl: '1h' },
  })
  return { upstream, provider, store }
}

describe('registration', () => {
  it('loads a passed-in store before ready and decorates app.secrets', async () => {
    const { upstream, store } = storeWith()
    const server = app()
    await server.register(secretkit, { secrets: store })
    server.get('/length', async () => ({ length: server.secrets.get('webhookKey').length }))
    const base = await listen(server)

    expect(server.secrets).toBe(store)
    expect(upstream.calls.total).toBe(1)
    const response = await fetch(`${base}/length`)
    expect(await response.json()).toEqual({ length: CANARY.length })
  })

  it('creates the store from { config } and closes it with the app', async () => {
    const upstream = createTestingProvider({ secrets: { 'webhook-key': 'first-value' } })
    const provider = closeCounting(upstream)
    const server = app()
    await server.register(secretkit, {
      config: { providers: { up: provider }, secrets: { webhookKey: 'up://webhook-key' } },
    })
    await server.ready()
    expect(server.secrets.get('webhookKey')).toBe('first-value')

    await server.close()
    expect(provider.closes).toBe(1)
    expect(() => server.secrets.get('webhookKey')).toThrow(SecretConfigError)
  })

  it('closes a passed-in store on close unless closeOnShutdown is false', async () => {
    const closing = storeWith()
    const first = app()
    await first.register(secretkit, { secrets: closing.store })
    await first.ready()
    await first.close()
    expect(closing.provider.closes).toBe(1)

    const kept = storeWith()
    const second = app()
    await second.register(secretkit, { secrets: kept.store, closeOnShutdown: false })
    await second.ready()
    await second.close()
    expect(kept.provider.closes).toBe(0)
    expect(kept.store.get('webhookKey')).toBe(CANARY)
    await kept.store.close()
  })

  it('makes ready() reject with the aggregate SecretsLoadError, naming every missing secret', async () => {
    const upstream = createTestingProvider({ secrets: { present: CANARY } })
    const provider = closeCounting(upstream)
    const server = app()
    server.register(secretkit, {
      config: {
        providers: { up: provider },
        secrets: { present: 'up://present', webhookKey: 'up://webhook-key', dbPassword: 'up://db' },
      },
    })
    const error = await server.ready().then(
      () => undefined,
      (caught: unknown) => caught,
    )

    expect(error).toBeInstanceOf(SecretsLoadError)
    const load = error as SecretsLoadError
    expect(load.failures.map((failure) => failure.name).sort()).toEqual(['dbPassword', 'webhookKey'])
    expect(load.message).toContain('up://webhook-key')
    expect(JSON.stringify(load)).not.toContain(CANARY)
    // The plugin created that store, so it stopped it rather than leaving timers behind.
    expect(provider.closes).toBe(1)
  })

  it('leaves a failed passed-in store to its owner', async () => {
    const { provider, store } = storeWith({})
    const server = app()
    server.register(secretkit, { secrets: store })
    await expect(server.ready()).rejects.toBeInstanceOf(SecretsLoadError)
    expect(provider.closes).toBe(0)
    await store.close()
  })

  it('refuses a second registration on the same decorator, and accepts another name', async () => {
    const server = app()
    await server.register(secretkit, { secrets: storeWith().store })
    await expect(server.register(secretkit, { secrets: storeWith().store })).rejects.toThrow(
      /already has a "secrets" decorator/,
    )

    const other = app()
    const { store } = storeWith()
    await other.register(secretkit, { secrets: store, decorator: 'vault' })
    expect(other.hasDecorator('vault')).toBe(true)
    expect(other.hasDecorator('secrets')).toBe(false)
    expect((other as unknown as { vault: unknown }).vault).toBe(store)
  })

  it('needs exactly one of { secrets } or { config }', async () => {
    await expect(app().register(secretkit, {} as never)).rejects.toBeInstanceOf(SecretConfigError)
    const both = {
      secrets: storeWith().store,
      config: { providers: {}, secrets: {} },
    }
    await expect(app().register(secretkit, both as never)).rejects.toBeInstanceOf(SecretConfigError)
  })
})

describe('readiness route', () => {
  it('is off unless asked for', async () => {
    const server = app()
    await server.register(secretkit, { secrets: storeWith().store })
    const base = await listen(server)
    expect((await fetch(`${base}/health/secrets`)).status).toBe(404)
  })

  it('reports names, states, sources and ages, never values; 503 once a required secret errors', async () => {
    const upstream = createTestingProvider({ secrets: { 'webhook-key': CANARY } })
    const store = createSecrets({
      providers: { up: upstream },
      secrets: {
        webhookKey: 'up://webhook-key',
        sentryDsn: { from: 'up://sentry', optional: true },
      },
      retry: { attempts: 1 },
    })
    const server = app()
    await server.register(secretkit, { secrets: store, readiness: { path: '/ready/secrets' } })
    const base = await listen(server)

    const healthy = await fetch(`${base}/ready/secrets`)
    const text = await healthy.text()
    expect(healthy.status).toBe(200)
    expect(healthy.headers.get('cache-control')).toBe('no-store')
    expect(text).not.toContain(CANARY)
    const report = JSON.parse(text) as SecretsReadinessReport
    expect(report.status).toBe('ok')
    expect(report.secrets).toEqual([
      expect.objectContaining({
        name: 'webhookKey',
        state: 'fresh',
        source: 'up://webhook-key',
        provider: 'testing',
        optional: false,
        ageMs: expect.any(Number),
      }),
      expect.objectContaining({ name: 'sentryDsn', state: 'missing', optional: true }),
    ])

    upstream.fail('5xx')
    await expect(store.refresh('webhookKey')).rejects.toThrow()
    const failing = await fetch(`${base}/ready/secrets`)
    expect(failing.status).toBe(503)
    const failed = (await failing.json()) as SecretsReadinessReport
    expect(failed.status).toBe('unavailable')
    expect(failed.secrets[0]).toMatchObject({ name: 'webhookKey', state: 'error' })
  })
})

describe('plugin log lines', () => {
  it('reports rotation and refresh failures by name and code only', async () => {
    const logs = captureLogs()
    const upstream = createTestingProvider({ secrets: { 'webhook-key': 'first-value-0001' } })
    const store = createSecrets({
      providers: { up: upstream },
      secrets: { webhookKey: 'up://webhook-key' },
      retry: { attempts: 1 },
    })
    const server = app({ logger: { stream: logs.stream } })
    await server.register(secretkit, { secrets: store })
    await server.ready()

    upstream.set('webhook-key', CANARY)
    await store.refresh('webhookKey')
    upstream.fail('5xx')
    await expect(store.refresh('webhookKey')).rejects.toThrow()
    await new Promise((resolve) => setImmediate(resolve))

    const messages = logs.records().map((record) => record.msg)
    expect(messages).toContain('loaded 1 secret')
    expect(messages).toContain('secret "webhookKey" changed upstream')
    expect(
      messages.some((message) => String(message).startsWith('refreshing secret "webhookKey" failed')),
    ).toBe(true)
    expect(logs.text()).not.toContain(CANARY)
    expect(logs.text()).not.toContain('first-value-0001')
  })
})
