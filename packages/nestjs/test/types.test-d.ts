import type { DynamicModule } from '@nestjs/common'
import { createSecrets, envProvider } from '@secretkit/core'
import { describe, expectTypeOf, it } from 'vitest'
import { type SecretRef, SecretsModule, secretsConfigLoader } from '../src/index.js'

describe('public types', () => {
  it('SecretRef.value has the declared type', () => {
    expectTypeOf<SecretRef['value']>().toEqualTypeOf<string>()
    expectTypeOf<SecretRef<number>['value']>().toEqualTypeOf<number>()
  })

  it('forRoot takes a store or createSecrets options plus the extras', () => {
    const store = createSecrets({ providers: { env: envProvider() }, secrets: { a: 'env://A' } })
    expectTypeOf(SecretsModule.forRoot({ secrets: store, isGlobal: true })).toEqualTypeOf<DynamicModule>()
    expectTypeOf(
      SecretsModule.forRoot({
        providers: { env: envProvider() },
        secrets: { a: 'env://A' },
        cache: { ttl: '5m' },
      }),
    ).toEqualTypeOf<DynamicModule>()
    // @ts-expect-error a store or providers is required
    SecretsModule.forRoot({ isGlobal: true })
  })

  it('forRootAsync takes a factory and secretNames', () => {
    expectTypeOf(
      SecretsModule.forRootAsync({
        useFactory: () => ({ providers: { env: envProvider() }, secrets: { a: 'env://A' } }),
        secretNames: ['a'],
      }),
    ).toEqualTypeOf<DynamicModule>()
  })

  it('secretsConfigLoader returns an async config factory', () => {
    expectTypeOf(secretsConfigLoader({ providers: {} })).toEqualTypeOf<
      () => Promise<Record<string, unknown>>
    >()
  })
})
