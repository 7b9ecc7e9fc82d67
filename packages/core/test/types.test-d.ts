import { type } from 'arktype'
import * as v from 'valibot'
import { describe, expectTypeOf, it } from 'vitest'
import { z } from 'zod'
import { createSecrets, envProvider, type Redacted } from '../src/index.js'

describe('get() is typed from the declaration', () => {
  const secrets = createSecrets({
    providers: { env: envProvider() },
    secrets: {
      plain: 'env://A',
      chain: ['env://B', 'env://C'],
      port: { from: 'env://PORT', schema: z.coerce.number() },
      flag: {
        from: 'env://FLAG',
        schema: v.pipe(
          v.string(),
          v.transform((text) => text === 'true'),
        ),
      },
      size: { from: 'env://SIZE', schema: type('string.integer.parse') },
      sentry: { from: 'env://SENTRY_DSN', optional: true },
      region: { from: 'env://REGION', optional: true, default: 'eu-west-1' },
      cert: { from: 'env://CERT', binary: true },
    },
  })

  it('infers strings, schema outputs, optionals and binaries', () => {
    expectTypeOf(secrets.get('plain')).toEqualTypeOf<string>()
    expectTypeOf(secrets.get('chain')).toEqualTypeOf<string>()
    expectTypeOf(secrets.get('port')).toEqualTypeOf<number>()
    expectTypeOf(secrets.get('flag')).toEqualTypeOf<boolean>()
    expectTypeOf(secrets.get('size')).toEqualTypeOf<number>()
    expectTypeOf(secrets.get('sentry')).toEqualTypeOf<string | undefined>()
    expectTypeOf(secrets.get('region')).toEqualTypeOf<string>()
    expectTypeOf(secrets.get('cert')).toEqualTypeOf<Uint8Array>()
    expectTypeOf(secrets.redacted('port')).toEqualTypeOf<Redacted<number>>()
  })

  it('rejects undeclared names', () => {
    // @ts-expect-error 'nope' is not declared
    secrets.get('nope')
    // @ts-expect-error 'nope' is not declared
    void secrets.refresh('nope')
  })

  it('types resolve() by its options', () => {
    expectTypeOf(secrets.resolve('env://X')).toEqualTypeOf<Promise<string>>()
    expectTypeOf(secrets.resolve('env://X', { binary: true })).toEqualTypeOf<Promise<Uint8Array>>()
  })

  it('passes the typed value to withRotation', () => {
    void secrets.withRotation('port', (port) => {
      expectTypeOf(port).toEqualTypeOf<number>()
      return port + 1
    })
  })
})
