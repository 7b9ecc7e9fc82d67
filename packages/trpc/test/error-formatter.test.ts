import { createSecrets } from '@secretkit/core'
import { createTestingProvider } from '@secretkit/core/testing'
import { initTRPC, TRPCError } from '@trpc/server'
import { afterEach, describe, expect, it } from 'vitest'
import { createSecretsContext, secretsErrorFormatter, secretsOnError } from '../src/index.js'
import { CANARY, serve } from './support.js'

describe('secretsErrorFormatter + secretsOnError', () => {
  const cleanup: (() => Promise<void>)[] = []
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step()
  })

  async function setup(withOwnFormatter: boolean) {
    const store = createSecrets({
      providers: { up: createTestingProvider({ secrets: { db: CANARY } }) },
      secrets: { db: 'up://db' },
    })
    await store.load()
    cleanup.push(() => store.close())
    const createContext = createSecretsContext(store)
    const t = initTRPC.context<typeof createContext>().create({
      isDev: true, // data.stack is sent: it must be scrubbed too
      errorFormatter: withOwnFormatter
        ? secretsErrorFormatter(store, ({ shape, error }) => ({
            ...shape,
            data: { ...shape.data, hint: `check ${store.get('db')}`, causeText: String(error.cause) },
          }))
        : secretsErrorFormatter(store),
    })
    const router = t.router({
      leak: t.procedure.query(({ ctx }) => {
        throw new Error(`upstream rejected ${ctx.secrets.get('db')}`)
      }),
      leakTyped: t.procedure.query(({ ctx }) => {
        throw new TRPCError({
          code: 'BAD_REQUEST',
          message: `key ${JSON.stringify(ctx.secrets.get('db'))} refused`,
          cause: new Error(`cause with ${encodeURIComponent(ctx.secrets.get('db'))}`),
        })
      }),
    })
    const logged: string[] = []
    const server = await serve({
      router,
      createContext,
      onError: secretsOnError(store, { log: (line) => logged.push(line) }),
    })
    cleanup.push(server.close)
    return { server, logged }
  }

  it('scrubs the message and stack of a thrown error, and the log line', async () => {
    const { server, logged } = await setup(false)
    const { status, body, text } = await server.query('leak')
    expect(status).toBe(500)
    expect(body.error.message).toBe('upstream rejected [redacted]')
    expect(body.error.data.stack).toContain('upstream rejected [redacted]')
    expect(text).not.toContain(CANARY)
    expect(logged).toHaveLength(1)
    expect(logged[0]).toMatch(/^leak INTERNAL_SERVER_ERROR: /)
    expect(logged[0]).toContain('upstream rejected [redacted]')
    expect(logged[0]).not.toContain(CANARY)
  })

  it('scrubs what the user formatter adds, in any encoding, and causes in the log', async () => {
    const { server, logged } = await setup(true)
    const { status, body, text } = await server.query('leakTyped')
    expect(status).toBe(400)
    expect(body.error.message).toBe('key "[redacted]" refused')
    expect(body.error.data.hint).toBe('check [redacted]')
    expect(body.error.data.causeText).toBe('Error: cause with [redacted]')
    expect(text).not.toContain(CANARY)
    expect(logged[0]).toContain('cause with [redacted]')
    expect(logged.join('\n')).not.toContain(CANARY)
  })
})
