import 'reflect-metadata'
import { inspect } from 'node:util'
import { Injectable, Module } from '@nestjs/common'
import { ConfigModule, ConfigService } from '@nestjs/config'
import { Test } from '@nestjs/testing'
import { createSecrets, type SecretStore, SecretsLoadError } from '@secretkit/core'
import { createTestingProvider } from '@secretkit/core/testing'
import { describe, expect, it } from 'vitest'
import {
  InjectSecret,
  InjectSecrets,
  SECRETS_STORE,
  SecretRef,
  SecretsModule,
  secretsConfigLoader,
  secretToken,
} from '../src/index.js'
import { CANARY } from './support/fixtures.js'

function upstream() {
  return createTestingProvider({ secrets: { 'webhook/key': CANARY, 'db/url': 'postgres://db.example' } })
}

@Injectable()
class Signer {
  constructor(
    @InjectSecret('webhookKey') readonly key: SecretRef,
    @InjectSecrets() readonly store: SecretStore,
  ) {}
}

const declarations = { webhookKey: 'up://webhook/key', dbUrl: 'up://db/url' } as const

describe('SecretsModule.forRoot', () => {
  it('loads the store at bootstrap and injects it and live refs', async () => {
    const up = upstream()
    const moduleRef = await Test.createTestingModule({
      imports: [SecretsModule.forRoot({ providers: { up }, secrets: declarations })],
      providers: [Signer],
    }).compile()
    const signer = moduleRef.get(Signer)
    expect(up.calls.get).toBe(2)
    expect(signer.key).toBeInstanceOf(SecretRef)
    expect(signer.key.name).toBe('webhookKey')
    expect(signer.key.value).toBe(CANARY)
    expect(signer.store.get('dbUrl')).toBe('postgres://db.example')
    expect(moduleRef.get(SECRETS_STORE)).toBe(signer.store)
    await moduleRef.close()
  })

  it('gives refs that follow rotation without re-injection', async () => {
    const up = upstream()
    const moduleRef = await Test.createTestingModule({
      imports: [SecretsModule.forRoot({ providers: { up }, secrets: declarations })],
      providers: [Signer],
    }).compile()
    const { key, store } = moduleRef.get(Signer)
    up.set('webhook/key', 'rotated-key-value')
    await store.refresh('webhookKey')
    expect(key.value).toBe('rotated-key-value')
    expect(moduleRef.get(Signer).key).toBe(key)
    await moduleRef.close()
  })

  it('prints refs as [redacted]', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [SecretsModule.forRoot({ providers: { up: upstream() }, secrets: declarations })],
      providers: [Signer],
    }).compile()
    const { key } = moduleRef.get(Signer)
    const printed = [JSON.stringify({ key }), `${key}`, String(key), inspect(key), inspect({ key })]
    for (const text of printed) expect(text).not.toContain(CANARY)
    expect(JSON.stringify({ key })).toBe('{"key":"[redacted]"}')
    expect(key.redacted().reveal()).toBe(CANARY)
    expect(inspect(key.redacted())).toBe('[redacted]')
    await moduleRef.close()
  })

  it('accepts a store created by the app', async () => {
    const up = upstream()
    const store = createSecrets({ providers: { up }, secrets: declarations })
    const moduleRef = await Test.createTestingModule({
      imports: [SecretsModule.forRoot({ secrets: store })],
      providers: [Signer],
    }).compile()
    expect(moduleRef.get(Signer).store).toBe(store)
    expect(moduleRef.get(Signer).key.value).toBe(CANARY)
    expect(moduleRef.get<SecretRef>(secretToken('dbUrl')).value).toBe('postgres://db.example')
    await moduleRef.close()
  })

  it('fails bootstrap with one SecretsLoadError naming every missing secret', async () => {
    const up = upstream()
    const compiling = Test.createTestingModule({
      imports: [
        SecretsModule.forRoot({
          providers: { up },
          secrets: { ...declarations, apiKey: 'up://api/key', smtp: 'up://smtp/password' },
        }),
      ],
      providers: [Signer],
    }).compile()
    const error = await compiling.catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(SecretsLoadError)
    const loadError = error as SecretsLoadError
    expect(loadError.failures.map((failure) => failure.name).sort()).toEqual(['apiKey', 'smtp'])
    expect(loadError.message).toContain('up://api/key')
    expect(loadError.message).not.toContain(CANARY)
  })

  it('closes the store on application shutdown', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [SecretsModule.forRoot({ providers: { up: upstream() }, secrets: declarations })],
      providers: [Signer],
    }).compile()
    const { store, key } = moduleRef.get(Signer)
    await moduleRef.init()
    await moduleRef.close()
    expect(() => key.value).toThrow(/closed/)
    expect(() => store.get('dbUrl')).toThrow(/closed/)
  })

  it('is visible to other modules only with isGlobal', async () => {
    @Module({ providers: [Signer], exports: [Signer] })
    class FeatureModule {}

    const global = await Test.createTestingModule({
      imports: [
        SecretsModule.forRoot({ providers: { up: upstream() }, secrets: declarations, isGlobal: true }),
        FeatureModule,
      ],
    }).compile()
    expect(global.get(Signer).key.value).toBe(CANARY)
    await global.close()

    const local = Test.createTestingModule({
      imports: [
        SecretsModule.forRoot({ providers: { up: upstream() }, secrets: declarations }),
        FeatureModule,
      ],
    }).compile()
    await expect(local).rejects.toThrow(/Signer/)
  })

  it('rejects an undeclared name in secretNames', async () => {
    const compiling = Test.createTestingModule({
      imports: [
        SecretsModule.forRoot({
          providers: { up: upstream() },
          secrets: declarations,
          secretNames: ['nope'],
        }),
      ],
    }).compile()
    await expect(compiling).rejects.toThrow(
      /@InjectSecret\('nope'\) names a secret the store does not declare/,
    )
  })
})

describe('SecretsModule.forRootAsync', () => {
  @Module({ providers: [{ provide: 'UPSTREAM', useFactory: upstream }], exports: ['UPSTREAM'] })
  class UpstreamModule {}

  it('builds the store from injected dependencies; secretNames get refs', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        SecretsModule.forRootAsync({
          imports: [UpstreamModule],
          inject: ['UPSTREAM'],
          useFactory: (up: ReturnType<typeof upstream>) => ({ providers: { up }, secrets: declarations }),
          secretNames: ['webhookKey'],
        }),
      ],
      providers: [Signer],
    }).compile()
    expect(moduleRef.get(Signer).key.value).toBe(CANARY)
    expect(moduleRef.get(Signer).store.get('dbUrl')).toBe('postgres://db.example')
    await moduleRef.close()
  })

  it('works with isGlobal and forFeature', async () => {
    @Module({ imports: [SecretsModule.forFeature(['webhookKey'])], providers: [Signer], exports: [Signer] })
    class FeatureModule {}

    const moduleRef = await Test.createTestingModule({
      imports: [
        SecretsModule.forRootAsync({
          imports: [UpstreamModule],
          inject: ['UPSTREAM'],
          useFactory: (up: ReturnType<typeof upstream>) => ({ providers: { up }, secrets: declarations }),
          isGlobal: true,
        }),
        FeatureModule,
      ],
    }).compile()
    expect(moduleRef.get(Signer).key.value).toBe(CANARY)
    await moduleRef.close()
  })

  it('cannot inject a name it was not told about', async () => {
    const compiling = Test.createTestingModule({
      imports: [
        SecretsModule.forRootAsync({
          imports: [UpstreamModule],
          inject: ['UPSTREAM'],
          useFactory: (up: ReturnType<typeof upstream>) => ({ providers: { up }, secrets: declarations }),
        }),
      ],
      providers: [Signer],
    }).compile()
    await expect(compiling).rejects.toThrow(/secretkit:secret:webhookKey/)
  })

  it('fails bootstrap with the aggregate error', async () => {
    const compiling = Test.createTestingModule({
      imports: [
        SecretsModule.forRootAsync({
          useFactory: () => ({ providers: { up: upstream() }, secrets: { missing: 'up://missing' } }),
        }),
      ],
    }).compile()
    await expect(compiling).rejects.toBeInstanceOf(SecretsLoadError)
  })
})

describe('secretsConfigLoader', () => {
  it('feeds a snapshot of the declared secrets into ConfigService', async () => {
    const up = upstream()
    const moduleRef = await Test.createTestingModule({
      imports: [
        ConfigModule.forRoot({
          ignoreEnvFile: true,
          load: [
            secretsConfigLoader({ providers: { up }, secrets: declarations }),
            secretsConfigLoader(
              { providers: { up }, secrets: { db: 'up://db/url' } },
              { namespace: 'secrets' },
            ),
          ],
        }),
      ],
    }).compile()
    const config = moduleRef.get(ConfigService)
    expect(config.get('webhookKey')).toBe(CANARY)
    expect(config.get('secrets.db')).toBe('postgres://db.example')
    up.set('webhook/key', 'rotated')
    expect(config.get('webhookKey')).toBe(CANARY)
    await moduleRef.close()
  })

  it('leaves a store it was given open', async () => {
    const store = createSecrets({ providers: { up: upstream() }, secrets: declarations })
    const values = await secretsConfigLoader(store)()
    expect(values).toEqual({ webhookKey: CANARY, dbUrl: 'postgres://db.example' })
    expect(store.get('dbUrl')).toBe('postgres://db.example')
    await store.close()
  })
})
