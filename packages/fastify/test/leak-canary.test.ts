import { createSecrets, type SecretStore } from '@secretkit/core'
import { createTestingProvider } from '@secretkit/core/testing'
import Fastify, { type FastifyInstance } from 'fastify'
import { afterEach, describe, expect, it } from 'vitest'
import { secretkit, secretkitLoggerOptions } from '../src/index.js'
import { CANARY, captureLogs, listen } from './support.js'

const apps: FastifyInstance[] = []
afterEach(async () => {
  await Promise.allSettled(apps.splice(0).map((instance) => instance.close()))
})

function canaryStore() {
  return createSecrets({
    providers: { up: createTestingProvider({ secrets: { 'webhook-key': CANARY } }) },
    secrets: { webhookKey: 'up://webhook-key' },
  })
}

class UpstreamError extends Error {
  constructor(
    message: string,
    readonly token: string,
    options?: ErrorOptions,
  ) {
    super(message, options)
  }
}

/** Routes that each push the secret towards a response or a log line a different way. */
function leakyRoutes(app: FastifyInstance, store: SecretStore<any>): void {
  const key = () => store.get('webhookKey') as string
  app.get('/throw-500', async () => {
    throw new Error(`upstream rejected key ${key()}`)
  })
  app.get('/throw-400', async () => {
    throw Object.assign(new Error(`bad signature for ${key()}`), { statusCode: 400 })
  })
  app.get('/throw-cause', async () => {
    throw new Error('request failed', { cause: new Error(`with key ${encodeURIComponent(key())}`) })
  })
  app.get('/throw-property', async () => {
    throw new UpstreamError('rejected', key())
  })
  app.get('/throw-json', async () => {
    throw new Error(`config was ${JSON.stringify({ key: key() })}`)
  })
  app.get('/send-400', async (_request, reply) => reply.code(400).send({ detail: `key ${key()} expired` }))
  app.get('/log', async (request) => {
    request.log.info({ key: key() }, `signing with ${key()}`)
    return { ok: true }
  })
}

const LEAKY_PATHS = [
  '/throw-500',
  '/throw-400',
  '/throw-cause',
  '/throw-property',
  '/throw-json',
  '/send-400',
]

describe('leak canary', () => {
  it('scrubs error responses and every log line, with the logger helper', async () => {
    const logs = captureLogs()
    const store = canaryStore()
    const app = Fastify({ logger: secretkitLoggerOptions(store, { stream: logs.stream }) })
    apps.push(app)
    await app.register(secretkit, { secrets: store })
    leakyRoutes(app, store)
    const base = await listen(app)

    const bodies: string[] = []
    for (const path of [...LEAKY_PATHS, '/log']) {
      const response = await fetch(`${base}${path}`)
      bodies.push(await response.text())
    }

    expect(bodies.join('\n')).not.toContain(CANARY)
    expect(bodies[0]).toContain('upstream rejected key [redacted]')
    expect(bodies[1]).toContain('bad signature for [redacted]')
    expect(bodies[5]).toContain('key [redacted] expired')
    const logText = logs.text()
    expect(logText).not.toContain(CANARY)
    expect(logText).not.toContain(encodeURIComponent(CANARY))
    expect(logText).toContain('signing with [redacted]')
    // The 500s were logged with their (scrubbed) errors: the log is not empty by accident.
    expect(logText).toContain('upstream rejected key [redacted]')
  })

  it('scrubs thrown errors in the default error log line even without the logger helper', async () => {
    const logs = captureLogs()
    const store = canaryStore()
    const app = Fastify({ logger: { stream: logs.stream } })
    apps.push(app)
    await app.register(secretkit, { secrets: store })
    leakyRoutes(app, store)
    const base = await listen(app)

    const bodies: string[] = []
    for (const path of LEAKY_PATHS) bodies.push(await (await fetch(`${base}${path}`)).text())

    expect(bodies.join('\n')).not.toContain(CANARY)
    expect(logs.text()).not.toContain(CANARY)
    expect(logs.text()).toContain('upstream rejected key [redacted]')
  })

  it('scrubs logs through a store getter when the plugin creates the store from { config }', async () => {
    const logs = captureLogs()
    let app: FastifyInstance | undefined
    const server = Fastify({
      logger: secretkitLoggerOptions(() => app?.secrets, { stream: logs.stream }),
    })
    app = server
    apps.push(server)
    await server.register(secretkit, {
      config: {
        providers: { up: createTestingProvider({ secrets: { 'webhook-key': CANARY } }) },
        secrets: { webhookKey: 'up://webhook-key' },
      },
    })
    server.get('/log', async (request) => {
      request.log.info(`signing with ${server.secrets.get('webhookKey')}`)
      return { ok: true }
    })
    const base = await listen(server)
    await fetch(`${base}/log`)

    expect(logs.text()).toContain('signing with [redacted]')
    expect(logs.text()).not.toContain(CANARY)
  })

  it('runs an existing streamWrite hook before scrubbing', () => {
    const options = secretkitLoggerOptions(
      { scrub: (line: string) => line.replaceAll(CANARY, '[redacted]') },
      { level: 'warn', hooks: { streamWrite: (line: string) => line.toUpperCase() } },
    )
    expect(options.level).toBe('warn')
    expect(options.hooks?.streamWrite?.(`key ${CANARY.toLowerCase()}`)).toBe(`KEY ${CANARY.toUpperCase()}`)
    const plain = secretkitLoggerOptions({ scrub: (line: string) => line.replaceAll(CANARY, '[redacted]') })
    expect(plain.hooks?.streamWrite?.(`key ${CANARY}`)).toBe('key [redacted]')
  })

  it('scrubs what a custom error handler sends', async () => {
    const store = canaryStore()
    const app = Fastify()
    apps.push(app)
    await app.register(secretkit, { secrets: store })
    app.setErrorHandler((error: Error, _request, reply) => {
      reply.code(502).send({ problem: error.message, raw: String((error as UpstreamError).token) })
    })
    leakyRoutes(app, store)
    const base = await listen(app)

    for (const path of ['/throw-500', '/throw-property']) {
      const response = await fetch(`${base}${path}`)
      expect(response.status).toBe(502)
      expect(await response.text()).not.toContain(CANARY)
    }
  })

  it('the canary does reach a response when scrubbing is turned off (control)', async () => {
    const store = canaryStore()
    const app = Fastify()
    apps.push(app)
    await app.register(secretkit, { secrets: store, scrubErrors: false })
    leakyRoutes(app, store)
    const base = await listen(app)

    const body = await (await fetch(`${base}/throw-500`)).text()
    expect(body.includes(CANARY)).toBe(true)
  })
})
