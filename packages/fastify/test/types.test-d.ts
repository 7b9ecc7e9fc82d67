import { createSecrets, envProvider, type SecretStore } from '@secretkit/core'
import Fastify from 'fastify'
import { describe, expectTypeOf, it } from 'vitest'
import { z } from 'zod'
import { type RegisteredSecretStore, type SecretkitFastifyOptions, secretkit } from '../src/index.js'

const store = createSecrets({
  providers: { env: envProvider() },
  secrets: {
    webhookKey: 'env://WEBHOOK_KEY',
    port: { from: 'env://PORT', schema: z.coerce.number() },
    sentryDsn: { from: 'env://SENTRY_DSN', optional: true },
  },
})

// The user-side pattern from the README: register the store's type once, for the whole program.
declare module '../src/index.js' {
  interface SecretkitFastifyRegister {
    store: typeof store
  }
}

describe('app.secrets is typed by declaration merging', () => {
  const app = Fastify()

  it('is the registered store type', () => {
    expectTypeOf(app.secrets).toEqualTypeOf<typeof store>()
    expectTypeOf<RegisteredSecretStore>().toEqualTypeOf<typeof store>()
  })

  it('types get() from the declaration and rejects undeclared names', () => {
    expectTypeOf(app.secrets.get('webhookKey')).toEqualTypeOf<string>()
    expectTypeOf(app.secrets.get('port')).toEqualTypeOf<number>()
    expectTypeOf(app.secrets.get('sentryDsn')).toEqualTypeOf<string | undefined>()
    // @ts-expect-error not a declared secret
    app.secrets.get('webhookKy')
  })
})

describe('plugin options', () => {
  it('takes a typed store or createSecrets() options, not both', () => {
    expectTypeOf({ secrets: store }).toExtend<SecretkitFastifyOptions>()
    expectTypeOf({
      config: { providers: { env: envProvider() }, secrets: { a: 'env://A' } },
    }).toExtend<SecretkitFastifyOptions>()
    expectTypeOf({
      secrets: store,
      readiness: { path: '/ready' },
      decorator: 'vault',
    }).toExtend<SecretkitFastifyOptions>()
    expectTypeOf({
      secrets: store,
      config: { providers: {}, secrets: {} },
    }).not.toExtend<SecretkitFastifyOptions>()
    expectTypeOf({ readiness: true }).not.toExtend<SecretkitFastifyOptions>()
  })

  it('registers with Fastify', () => {
    const app = Fastify()
    app.register(secretkit, { secrets: store, readiness: true })
    app.register(secretkit, { config: { providers: { env: envProvider() } } })
    // @ts-expect-error readiness takes a boolean or { path }
    app.register(secretkit, { secrets: store, readiness: '/ready' })
    expectTypeOf<SecretStore<{ a: string }>>().toExtend<SecretStore<any>>()
  })
})
