import { createSecrets, envProvider } from '@secretkit/core'
import { initTRPC } from '@trpc/server'
import { describe, expectTypeOf, it } from 'vitest'
import { createSecretsContext, requireSecrets, type SecretsContext } from '../src/index.js'

const secrets = createSecrets({
  providers: { env: envProvider() },
  secrets: { webhookKey: 'env://WEBHOOK_KEY', port: { from: 'env://PORT', optional: true } },
})

describe('ctx.secrets', () => {
  it('carries the store type through the context creator', () => {
    const createContext = createSecretsContext(secrets, (opts: { req: { url: string } }) => ({
      url: opts.req.url,
    }))
    expectTypeOf(createContext).returns.toEqualTypeOf<{ url: string } & SecretsContext<typeof secrets>>()
    const t = initTRPC.context<typeof createContext>().create()
    t.procedure.query(({ ctx }) => {
      expectTypeOf(ctx.secrets.get('webhookKey')).toEqualTypeOf<string>()
      expectTypeOf(ctx.url).toEqualTypeOf<string>()
      // @ts-expect-error: undeclared names do not compile
      ctx.secrets.get('webhook')
    })
    const asyncContext = createSecretsContext(secrets, async () => ({ id: 1 }))
    expectTypeOf(asyncContext).returns.resolves.toEqualTypeOf<
      { id: number } & SecretsContext<typeof secrets>
    >()
  })

  it('requireSecrets accepts declared names only, and only where ctx.secrets exists', () => {
    const t = initTRPC.context<SecretsContext<typeof secrets>>().create()
    t.procedure.use(requireSecrets(['webhookKey', 'port'])).query(({ ctx }) => ctx.secrets.get('port'))
    // @ts-expect-error: 'webhook' is not a declared secret
    t.procedure.use(requireSecrets(['webhook']))
    const bare = initTRPC.context<{ user: string }>().create()
    // @ts-expect-error: the context has no secrets
    bare.procedure.use(requireSecrets(['webhookKey']))
  })
})
