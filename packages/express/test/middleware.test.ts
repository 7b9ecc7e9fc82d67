import { createHash } from 'node:crypto'
import { createSecrets } from '@secretkit/core'
import { createTestingProvider } from '@secretkit/core/testing'
import express from 'express'
import { afterEach, describe, expect, it } from 'vitest'
import { attachSecrets, secretsErrorHandler, secretsMiddleware } from '../src/index.js'
import { CANARY, serve } from './support.js'

const digest = (text: string) => createHash('sha256').update(text).digest('hex')

describe('secretsMiddleware', () => {
  const cleanup: (() => Promise<void>)[] = []
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step()
  })

  it('gives every request the store as req.secrets, read from memory', async () => {
    const upstream = createTestingProvider({ secrets: { db: CANARY } })
    const store = createSecrets({
      providers: { up: upstream },
      secrets: { db: 'up://db', apiKey: 'up://db' },
    })
    await store.load()
    cleanup.push(() => store.close())
    const app = express()
    app.use(secretsMiddleware(store))
    app.get('/digest', (req, res) => {
      res.json({ same: req.secrets === store, digest: digest(req.secrets.get('db')) })
    })
    const server = await serve(app)
    cleanup.push(server.close)
    const callsAfterLoad = upstream.calls.total

    for (let request = 0; request < 20; request++) {
      const response = await fetch(`${server.url}/digest`)
      const text = await response.text()
      expect(JSON.parse(text)).toEqual({ same: true, digest: digest(CANARY) })
      expect(text).not.toContain(CANARY)
    }
    expect(upstream.calls.total).toBe(callsAfterLoad)
  })

  it('sees a rotated value on the next request, without restart', async () => {
    const upstream = createTestingProvider({ secrets: { db: 'first-value' } })
    const store = createSecrets({
      providers: { up: upstream },
      secrets: { db: 'up://db', apiKey: 'up://db' },
    })
    await store.load()
    cleanup.push(() => store.close())
    const app = express()
    app.use(secretsMiddleware(store))
    app.get('/digest', (req, res) => {
      res.send(digest(req.secrets.get('db')))
    })
    const server = await serve(app)
    cleanup.push(server.close)

    expect(await (await fetch(`${server.url}/digest`)).text()).toBe(digest('first-value'))
    upstream.set('db', 'second-value')
    await store.refresh('db')
    expect(await (await fetch(`${server.url}/digest`)).text()).toBe(digest('second-value'))
  })
})

describe('attachSecrets', () => {
  const cleanup: (() => Promise<void>)[] = []
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step()
  })

  async function loadedStore(value: string) {
    const upstream = createTestingProvider({ secrets: { db: value } })
    const store = createSecrets({
      providers: { up: upstream },
      secrets: { db: 'up://db', apiKey: 'up://db' },
    })
    await store.load()
    cleanup.push(() => store.close())
    return { upstream, store }
  }

  it('gives every request of the app, its routers and mounted sub-apps the store, with no middleware', async () => {
    const { upstream, store } = await loadedStore(CANARY)
    const app = express()
    attachSecrets(app, store)
    const describeRequest = (req: express.Request, res: express.Response) => {
      res.json({
        same: req.secrets === store,
        // Nothing ran for this request: the store comes from the app's request prototype.
        own: Object.hasOwn(req, 'secrets'),
        digest: digest(req.secrets.get('db')),
      })
    }
    app.get('/digest', describeRequest)
    const router = express.Router()
    router.get('/digest', describeRequest)
    app.use('/router', router)
    const sub = express()
    sub.get('/digest', describeRequest)
    app.use('/sub', sub)
    const server = await serve(app)
    cleanup.push(server.close)
    const callsAfterLoad = upstream.calls.total

    for (let request = 0; request < 10; request++) {
      for (const path of ['/digest', '/router/digest', '/sub/digest']) {
        const response = await fetch(`${server.url}${path}`)
        const text = await response.text()
        expect(JSON.parse(text)).toEqual({ same: true, own: false, digest: digest(CANARY) })
        expect(text).not.toContain(CANARY)
      }
    }
    expect(upstream.calls.total).toBe(callsAfterLoad)
    expect(Object.keys(app.request)).not.toContain('secrets') // hidden from inspect(req) and for…in
  })

  it('keeps apps apart, sees rotation, and lets secretsMiddleware give a router its own store', async () => {
    const { upstream, store } = await loadedStore('first-value')
    const { store: other } = await loadedStore('router-value')
    const app = express()
    attachSecrets(app, store)
    const router = express.Router()
    router.use(secretsMiddleware(other))
    router.get('/digest', (req, res) => {
      res.send(digest(req.secrets.get('db')))
    })
    app.use('/router', router)
    app.get('/digest', (req, res) => {
      res.send(digest(req.secrets.get('db')))
    })
    const otherApp = express()
    attachSecrets(otherApp, other)
    otherApp.get('/digest', (req, res) => {
      res.send(digest(req.secrets.get('db')))
    })
    const server = await serve(app)
    cleanup.push(server.close)
    const otherServer = await serve(otherApp)
    cleanup.push(otherServer.close)

    expect(await (await fetch(`${server.url}/digest`)).text()).toBe(digest('first-value'))
    expect(await (await fetch(`${server.url}/router/digest`)).text()).toBe(digest('router-value'))
    expect(await (await fetch(`${otherServer.url}/digest`)).text()).toBe(digest('router-value'))
    upstream.set('db', 'second-value')
    await store.refresh('db')
    expect(await (await fetch(`${server.url}/digest`)).text()).toBe(digest('second-value'))
    expect(await (await fetch(`${otherServer.url}/digest`)).text()).toBe(digest('router-value'))
  })
})

describe('secretsErrorHandler', () => {
  const cleanup: (() => Promise<void>)[] = []
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step()
  })

  async function appWith(
    routes: (app: express.Express, key: string) => void,
    options: Parameters<typeof secretsErrorHandler>[1] = {},
  ) {
    const upstream = createTestingProvider({ secrets: { db: CANARY } })
    const store = createSecrets({
      providers: { up: upstream },
      secrets: { db: 'up://db', apiKey: 'up://db' },
    })
    await store.load()
    cleanup.push(() => store.close())
    const logged: string[] = []
    const app = express()
    app.use(secretsMiddleware(store))
    routes(app, store.get('db'))
    app.use(secretsErrorHandler(store, { log: (line) => logged.push(line), ...options }))
    const server = await serve(app)
    cleanup.push(server.close)
    return { url: server.url, logged, store }
  }

  it('answers a server error with the status text and logs it scrubbed', async () => {
    const { url, logged } = await appWith((app, key) => {
      app.get('/boom', () => {
        throw new Error(`upstream rejected key ${key}`, { cause: new Error(`cause also has ${key}`) })
      })
    })
    const response = await fetch(`${url}/boom?token=${CANARY}`)
    const text = await response.text()
    expect(response.status).toBe(500)
    expect(response.headers.get('content-type')).toMatch(/^application\/json/)
    expect(JSON.parse(text)).toEqual({ error: { status: 500, message: 'Internal Server Error' } })
    expect(logged).toHaveLength(1)
    expect(logged[0]).toContain('GET /boom?token=[redacted] 500')
    expect(logged[0]).toContain('upstream rejected key [redacted]')
    expect(logged[0]).toContain('cause also has [redacted]')
    expect(logged[0]).not.toContain(CANARY)
  })

  it('scrubs an exposed message, code and JSON details, in every encoding', async () => {
    const { url, logged } = await appWith((app, key) => {
      app.get('/bad', () => {
        throw Object.assign(new Error(`signature made with ${key} did not match`), {
          status: 422,
          code: 'BAD_SIGNATURE',
          details: { tried: [key, { nested: `Bearer ${key}` }], encoded: encodeURIComponent(key) },
        })
      })
    })
    const response = await fetch(`${url}/bad`)
    const text = await response.text()
    expect(response.status).toBe(422)
    expect(text).not.toContain(CANARY)
    expect(JSON.parse(text)).toEqual({
      error: {
        status: 422,
        message: 'signature made with [redacted] did not match',
        code: 'BAD_SIGNATURE',
        details: { tried: ['[redacted]', { nested: 'Bearer [redacted]' }], encoded: '[redacted]' },
      },
    })
    expect(logged).toEqual([]) // client errors are not logged
  })

  it('keeps the body valid JSON when a secret also appears as a number', async () => {
    const upstream = createTestingProvider({ secrets: { pin: '424242' } })
    const store = createSecrets({
      providers: { up: upstream },
      secrets: { db: 'up://pin', apiKey: 'up://pin' },
    })
    await store.load()
    cleanup.push(() => store.close())
    const app = express()
    app.get('/pin', () => {
      throw Object.assign(new Error('pin 424242 refused'), {
        status: 409,
        details: { pin: 424242, ok: 'yes' },
      })
    })
    app.get('/cycle', () => {
      const details: Record<string, unknown> = { note: 'pin 424242' }
      details.self = details
      throw Object.assign(new Error('cycle'), { status: 409, details })
    })
    app.use(secretsErrorHandler(store, { log: false }))
    const server = await serve(app)
    cleanup.push(server.close)
    const pin = await fetch(`${server.url}/pin`)
    const pinText = await pin.text()
    expect(pinText).not.toContain('424242')
    expect(JSON.parse(pinText)).toEqual({ error: { status: 409, message: 'Conflict' } })
    const cycle = await fetch(`${server.url}/cycle`)
    expect(await cycle.json()).toEqual({
      error: { status: 409, message: 'cycle', details: { note: 'pin [redacted]' } },
    })
  })

  it('scrubs the stack when asked to send it, and honours expose and statusCode', async () => {
    const { url } = await appWith(
      (app, key) => {
        app.get('/exposed', () => {
          throw Object.assign(new Error(`bad gateway for ${key}`), { statusCode: 502, expose: true })
        })
      },
      { stack: true },
    )
    const response = await fetch(`${url}/exposed`)
    const body = (await response.json()) as { error: { message: string; stack: string } }
    expect(response.status).toBe(502)
    expect(body.error.message).toBe('bad gateway for [redacted]')
    expect(body.error.stack).toContain('Error: bad gateway for [redacted]')
    expect(JSON.stringify(body)).not.toContain(CANARY)
  })

  it('answers 503 when a secret cannot be read, without naming values', async () => {
    const upstream = createTestingProvider({ secrets: { db: CANARY } })
    const store = createSecrets({
      providers: { up: upstream },
      secrets: { db: 'up://db', apiKey: 'up://db' },
    })
    cleanup.push(() => store.close())
    const logged: string[] = []
    const app = express()
    app.use(secretsMiddleware(store))
    app.get('/read', (req, res) => {
      res.send(digest(req.secrets.get('db'))) // never loaded
    })
    app.use(secretsErrorHandler(store, { log: (line) => logged.push(line) }))
    const server = await serve(app)
    cleanup.push(server.close)
    const response = await fetch(`${server.url}/read`)
    expect(response.status).toBe(503)
    expect(await response.json()).toEqual({ error: { status: 503, message: 'Service Unavailable' } })
    expect(logged[0]).toContain('SECRET_CONFIG_INVALID')
  })

  it('hands a scrubbed copy to the default handler once the response has started', async () => {
    const upstream = createTestingProvider({ secrets: { db: CANARY } })
    const store = createSecrets({
      providers: { up: upstream },
      secrets: { db: 'up://db', apiKey: 'up://db' },
    })
    await store.load()
    cleanup.push(() => store.close())
    const logged: string[] = []
    const received: unknown[] = []
    const app = express()
    app.use(secretsMiddleware(store))
    app.get('/partial', (req, res, next) => {
      res.status(200).write('{"items":[')
      next(Object.assign(new Error(`stream broke using ${req.secrets.get('db')}`), { status: 502 }))
    })
    app.use(secretsErrorHandler(store, { log: (line) => logged.push(line) }))
    // Stands in front of Express's final handler, recording what secretkit passes on to it.
    app.use((error: unknown, _req: express.Request, _res: express.Response, next: express.NextFunction) => {
      received.push(error)
      next(error)
    })
    const server = await serve(app)
    cleanup.push(server.close)

    const response = await fetch(`${server.url}/partial`)
    expect(response.status).toBe(200)
    await expect(response.text()).rejects.toThrow() // the connection is cut, not finished
    expect(received).toHaveLength(1)
    const passed = received[0] as Error & { status: number }
    expect(passed.message).toBe('stream broke using [redacted]')
    expect(passed.status).toBe(502)
    expect(String(passed.stack)).not.toContain(CANARY)
    expect(logged).toEqual([])
  })
})
