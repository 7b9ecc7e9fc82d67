import { createSecrets, envProvider, type SecretStore } from '@secretkit/core'
import express from 'express'
import { describe, expectTypeOf, it } from 'vitest'
import { attachSecrets, type RegisteredSecretStore, secretsMiddleware } from '../src/index.js'

const secrets = createSecrets({
  providers: { env: envProvider() },
  secrets: { db: 'env://DB', apiKey: { from: 'env://API_KEY', optional: true } },
})

// What users write once, next to their store, to type req.secrets.
declare module '../src/index.js' {
  interface Register {
    secrets: typeof secrets
  }
}

describe('req.secrets', () => {
  it('is the registered store type', () => {
    expectTypeOf<RegisteredSecretStore>().toEqualTypeOf<typeof secrets>()
    const app = express()
    app.use(secretsMiddleware(secrets))
    app.get('/', (req, res) => {
      expectTypeOf(req.secrets.get('db')).toEqualTypeOf<string>()
      expectTypeOf(req.secrets.get('apiKey')).toEqualTypeOf<string | undefined>()
      // @ts-expect-error: undeclared names do not compile
      req.secrets.get('dbb')
      res.end()
    })
  })

  it('accepts any store in the middleware and in attachSecrets', () => {
    expectTypeOf(secretsMiddleware).parameter(0).toEqualTypeOf<SecretStore<any>>()
    expectTypeOf(attachSecrets).parameter(1).toEqualTypeOf<SecretStore<any>>()
    expectTypeOf(attachSecrets).returns.toEqualTypeOf<void>()
    attachSecrets(express(), secrets)
    attachSecrets(express.Router() as never, secrets)
    // @ts-expect-error: attachSecrets takes an app, not a router
    attachSecrets(express.Router(), secrets)
  })
})
