import { createHash } from 'node:crypto'
import { createSecrets } from '@secretkit/core'
import { createTestingProvider } from '@secretkit/core/testing'
import { initTRPC } from '@trpc/server'
import { afterEach, describe, expect, it } from 'vitest'
import { createSecretsContext, requireSecrets } from '../src/index.js'
import { CANARY, serve } from './support.js'

const digest = (text: string) => createHash('sha256').update(text).digest('hex')

function storeWith(cache = {}) {
  const upstream = createTestingProvider({ secrets: { db: CANARY, api: 'api-key-value' } })
  const store = createSecrets({
    providers: { up: upstream },
    secrets: { db: 'up://db', api: 'up://api' },
    cache,
    retry: { attempts: 1 },
  })
  return { upstream, store }
}

function routerFor(store: ReturnType<typeof storeWith>['store'], options = {}) {
  const createContext = createSecretsContext(store, () => ({ user: 'ada' }))
  const t = initTRPC.context<typeof createContext>().create()
  const router = t.router({
    digest: t.procedure.use(requireSecrets(['db'], options)).query(({ ctx }) => ({
      user: ctx.user,
      same: ctx.secrets === store,
      digest: digest(ctx.secrets.get('db')),
    })),
    open: t.procedure.query(() => 'no secrets needed'),
  })
  return { router, createContext }
}

describe('createSecretsContext + requireSecrets', () => {
  const cleanup: (() => Promise<void>)[] = []
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step()
  })

  it('puts the store on ctx next to the user context, read from memory', async () => {
    const { upstream, store } = storeWith()
    await store.load()
    cleanup.push(() => store.close())
    const server = await serve(routerFor(store))
    cleanup.push(server.close)
    const calls = upstream.calls.total
    for (let request = 0; request < 10; request++) {
      const { status, body, text } = await server.query('digest')
      expect(status).toBe(200)
      expect(body.result.data).toEqual({ user: 'ada', same: true, digest: digest(CANARY) })
      expect(text).not.toContain(CANARY)
    }
    expect(upstream.calls.total).toBe(calls)
  })

  it('composes with an async context creator and stands alone', async () => {
    const { store } = storeWith()
    const alone = createSecretsContext(store)
    expect(alone()).toEqual({ secrets: store })
    const composed = createSecretsContext(store, async (opts: { id: number }) => ({
      id: opts.id,
      secrets: 'shadowed',
    }))
    await expect(composed({ id: 7 })).resolves.toEqual({ id: 7, secrets: store })
    await store.close()
  })

  it('fails the procedure with INTERNAL_SERVER_ERROR before load(), naming nothing', async () => {
    const { store } = storeWith()
    cleanup.push(() => store.close())
    const server = await serve(routerFor(store))
    cleanup.push(server.close)
    const { status, body, text } = await server.query('digest')
    expect(status).toBe(500)
    expect(body.error.data.code).toBe('INTERNAL_SERVER_ERROR')
    expect(body.error.message).toBe('A secret this procedure needs is unavailable')
    for (const hidden of [CANARY, 'up://', '"db"']) expect(text).not.toContain(hidden)
    expect((await server.query('open')).status).toBe(200)
  })

  it('fails with the chosen code once a value is past stale-if-error, and passes again after recovery', async () => {
    const { upstream, store } = storeWith({
      ttl: '50ms',
      staleWhileRevalidate: 0,
      staleIfError: 0,
      refresh: 'lazy',
    })
    await store.load()
    cleanup.push(() => store.close())
    const errors: string[] = []
    const failed = new Promise<void>((resolve) =>
      store.on('error', (event) => {
        errors.push(event.code)
        resolve()
      }),
    )
    const server = await serve(routerFor(store, { code: 'SERVICE_UNAVAILABLE' }))
    cleanup.push(server.close)
    expect((await server.query('digest')).status).toBe(200)

    upstream.fail('5xx')
    await new Promise((resolve) => setTimeout(resolve, 80)) // past the 50 ms TTL
    await server.query('digest') // served stale once; starts the revalidation that fails
    await failed
    const { status, body, text } = await server.query('digest')
    expect(errors).toEqual(['PROVIDER_UNAVAILABLE'])
    expect(status).toBe(503)
    expect(body.error.data.code).toBe('SERVICE_UNAVAILABLE')
    expect(text).not.toContain(CANARY)

    upstream.heal()
    await store.refresh('db')
    expect((await server.query('digest')).status).toBe(200)
  })
})
