import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { inspect } from 'node:util'
import { createSecrets, SecretsLoadError } from '@secretkit/core'
import { createTestingProvider } from '@secretkit/core/testing'
import express from 'express'
import { afterEach, describe, expect, it } from 'vitest'
import { listenWithSecrets, type SecretsServer, secretsMiddleware } from '../src/index.js'
import { CANARY } from './support.js'

function setup(latency = 0) {
  const upstream = createTestingProvider({ secrets: { db: CANARY }, latency })
  const store = createSecrets({ providers: { up: upstream }, secrets: { db: 'up://db', apiKey: 'up://db' } })
  const app = express()
  app.use(secretsMiddleware(store))
  app.get('/length', (req, res) => {
    res.json({ length: req.secrets.get('db').length })
  })
  return { upstream, store, app }
}

describe('listenWithSecrets', () => {
  const servers: SecretsServer[] = []
  afterEach(async () => {
    for (const server of servers.splice(0)) await server.close()
  })

  it('loads every declared secret before it listens', async () => {
    const { upstream, store, app } = setup(20)
    const started = await listenWithSecrets(app, store, { host: '127.0.0.1', signals: [] })
    servers.push(started)
    expect(upstream.calls.paths).toEqual(['db'])
    expect(started.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    const response = await fetch(`${started.url}/length`)
    expect(await response.json()).toEqual({ length: CANARY.length })
    expect(upstream.calls.total).toBe(1)
  })

  it('rejects with the aggregate error, listens on nothing and closes the store', async () => {
    const upstream = createTestingProvider({ secrets: { present: CANARY } })
    const store = createSecrets({
      providers: { up: upstream },
      secrets: {
        present: 'up://present',
        db: 'up://missing-db',
        apiKey: ['up://missing-key', 'up://also-missing'],
      },
    })
    const app = express()
    const servers = () => process.getActiveResourcesInfo().filter((kind) => kind === 'TCPServerWrap').length
    const serversBefore = servers()
    const error = await listenWithSecrets(app, store, { host: '127.0.0.1', signals: [] }).catch(
      (caught: unknown) => caught,
    )
    expect(error).toBeInstanceOf(SecretsLoadError)
    expect((error as SecretsLoadError).failures.map((failure) => failure.name)).toEqual(['db', 'apiKey'])
    expect((error as Error).message).toContain('2 secrets failed to load')
    expect(inspect(error, { showHidden: true, depth: 10 })).not.toContain(CANARY)
    expect(() => store.get('present')).toThrow(/closed/)
    expect(servers()).toBe(serversBefore)
  })

  it('rejects with the listen error when the port is taken, and closes the store', async () => {
    const blocker = createServer()
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
    try {
      const { store, app } = setup()
      const { port } = blocker.address() as AddressInfo
      await expect(listenWithSecrets(app, store, { host: '127.0.0.1', port, signals: [] })).rejects.toThrow(
        /EADDRINUSE/,
      )
      expect(() => store.get('db')).toThrow(/closed/)
    } finally {
      await new Promise((resolve) => blocker.close(resolve))
    }
  })

  it('on a shutdown signal lets in-flight requests finish, then closes server and store', async () => {
    const { store, app } = setup()
    let release: () => void = () => {}
    const gate = new Promise<void>((resolve) => {
      release = resolve
    })
    let arrived: () => void = () => {}
    const inFlight = new Promise<void>((resolve) => {
      arrived = resolve
    })
    app.get('/slow', async (req, res) => {
      arrived()
      await gate
      res.json({ length: req.secrets.get('db').length })
    })
    const shutdownSteps: string[] = []
    const started = await listenWithSecrets(app, store, {
      host: '127.0.0.1',
      signals: ['SIGUSR2'],
      onShutdown: () => {
        shutdownSteps.push(`onShutdown, store open: ${store.get('db') === CANARY}`)
      },
    })
    const before = process.listenerCount('SIGUSR2')
    const slow = fetch(`${started.url}/slow`)
    await inFlight
    process.emit('SIGUSR2', 'SIGUSR2')
    expect(process.listenerCount('SIGUSR2')).toBe(before - 1)
    release()
    const response = await slow
    expect(await response.json()).toEqual({ length: CANARY.length })
    await started.close() // the same shutdown the signal started
    expect(shutdownSteps).toEqual(['onShutdown, store open: true'])
    expect(started.server.listening).toBe(false)
    expect(() => store.get('db')).toThrow(/closed/)
    await expect(fetch(`${started.url}/length`)).rejects.toThrow()
  })
})
