import type { PipelinePolicy } from '@azure/core-rest-pipeline'
import { type AzureKeyVaultServer, startAzureKeyVaultServer } from '@secretkit/test-servers'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  createSecrets,
  envProvider,
  ProviderUnavailableError,
  SecretAccessDeniedError,
  type SecretChangeEvent,
  SecretConfigError,
  type SecretErrorEvent,
  SecretNotFoundError,
  SecretsLoadError,
  SecretValidationError,
} from '../src/index.js'
import { type AzureKeyVaultOptions, azureKeyVault, toKeyVaultName } from '../src/providers/azure.js'
import { azureClientOptions, FixedTokenCredential, until } from './support/cloud.js'
import { describeProviderConformance } from './support/conformance.js'

const signal = new AbortController().signal
let server: AzureKeyVaultServer
const started = startAzureKeyVaultServer().then((s) => {
  server = s
  return s
})
afterAll(async () => {
  await server?.stop()
})

/** A provider on the test server with a test credential: DefaultAzureCredential never runs here. */
function provider(options: AzureKeyVaultOptions = {}, credential = new FixedTokenCredential()) {
  return azureKeyVault({
    vaultUrl: server.vaultUrl,
    credential,
    ...options,
    clientOptions: { ...azureClientOptions(server), ...options.clientOptions },
  })
}

const fast = { attempts: 3, baseDelay: 1, maxDelay: 5 }

describe('azureKeyVault through @azure/keyvault-secrets', () => {
  beforeAll(async () => {
    await started
  })
  beforeEach(() => server.reset())

  it('runs the bearer challenge: one 401 round, then the credential’s token', async () => {
    server.setSecret('db-password', 'hunter2-v1')
    const credential = new FixedTokenCredential('token-from-the-credential')
    const store = createSecrets({ providers: { azure: provider({}, credential) } })
    expect(await store.resolve('azure://db-password')).toBe('hunter2-v1')
    expect(server.auth).toEqual({
      challenges: 1,
      authorizedRequests: 1,
      lastTokenSeen: 'token-from-the-credential',
    })
    expect(credential.requests).toEqual([
      { scopes: ['https://vault.azure.net/.default'], tenantId: server.tenantId },
    ])
    await store.close()
  })

  it('a token the vault refuses is access denied, not retried', async () => {
    const strict = await startAzureKeyVaultServer({ acceptToken: 'the-right-token' })
    try {
      strict.setSecret('guarded', 'g')
      const azure = azureKeyVault({
        vaultUrl: strict.vaultUrl,
        credential: new FixedTokenCredential('a-wrong-token'),
        clientOptions: azureClientOptions(strict),
      })
      const store = createSecrets({ providers: { azure }, retry: fast })
      const error = await store.resolve('azure://guarded').catch((e) => e)
      expect(error).toBeInstanceOf(SecretAccessDeniedError)
      expect(error.message).toContain('HTTP 401')
      expect(strict.calls.total).toBe(0)
      await store.close()
    } finally {
      await strict.stop()
    }
  })

  it('reads latest, a pinned version and a JSON field; version is properties.version', async () => {
    const v1 = server.setSecret('db', 'first-password')
    const v2 = server.setSecret('db', 'second-password')
    server.setSecret('stripe', JSON.stringify({ api_key: 'sk_test_az' }))
    const store = createSecrets({
      providers: { azure: provider() },
      secrets: { db: 'azure://db', pinned: `azure://db?version=${v1}`, key: 'azure://stripe#api_key' },
    })
    await store.load()
    expect([store.get('db'), store.get('pinned'), store.get('key')]).toEqual([
      'second-password',
      'first-password',
      'sk_test_az',
    ])
    expect(store.status().map((s) => s.version)).toEqual([v2, v1, expect.stringMatching(/^[0-9a-f]{32}$/)])
    expect(server.calls.count('GetSecret')).toBe(3)
    await store.close()
  })

  it('normalises names: prefix, "_" to "-", and a clear error when a name cannot be mapped', async () => {
    server.setSecret('dativo-stripe-api-key', 'normalised')
    const azure = provider({ prefix: 'dativo_' })
    const store = createSecrets({ providers: { azure } })
    expect(await store.resolve('azure://stripe_api_key')).toBe('normalised')
    expect(toKeyVaultName('a_b-C9')).toBe('a-b-C9')
    for (const bad of ['has.dot', 'has/slash', 'x'.repeat(121)]) {
      const error = await store.resolve(`azure://${bad}`).catch((e) => e)
      expect(error).toBeInstanceOf(SecretConfigError)
      expect(error.message).toContain('cannot be mapped to a Key Vault name')
    }
    await expect(azure.get({ path: 'a', stage: 'AWSCURRENT' }, { signal })).rejects.toThrow(/has no stages/)
    await expect(azure.get({ path: 'a', version: 'not/an/id' }, { signal })).rejects.toThrow(
      /not a Key Vault version id/,
    )
    await expect(
      azureKeyVault({ credential: new FixedTokenCredential() }).get({ path: 'a' }, { signal }),
    ).rejects.toThrow(/needs a vaultUrl/)
    expect(server.calls.count('GetSecret')).toBe(1)
    await store.close()
  })

  it('a new version is seen by background refresh: exactly one change event', async () => {
    const v1 = server.setSecret('rotating', 'old-value')
    const store = createSecrets({
      providers: { azure: provider() },
      secrets: { rotating: 'azure://rotating' },
      cache: { ttl: 100, refresh: 'background' },
    })
    const changes: SecretChangeEvent[] = []
    store.on('change', (event) => changes.push(event))
    await store.load()
    const v2 = server.setSecret('rotating', 'new-value')
    await until(() => store.get('rotating') === 'new-value')
    const after = server.calls.count('GetSecret')
    await until(() => server.calls.count('GetSecret') >= after + 3)
    expect(changes).toEqual([
      { name: 'rotating', ref: 'azure://rotating', provider: 'azure', version: v2, previousVersion: v1 },
    ])
    await store.close()
  })

  it('tenants with seed 003 names: {prefix}{tenant}-{name}, "_" as "-"', async () => {
    server.setSecret('dativo-acme-stripe-api-key', 'acme-stripe')
    server.setSecret('dativo-acme-database-password', 'acme-db')
    server.setSecret('dativo-globex-hubspot-api-key', 'globex-hubspot')
    const store = createSecrets({ providers: { azure: provider({ prefix: 'dativo-' }) } })
    expect(await store.tenant('acme').get('stripe_api_key')).toBe('acme-stripe')
    expect(await store.tenant('acme').get('database_password')).toBe('acme-db')
    expect(await store.tenant('globex').get('hubspot_api_key')).toBe('globex-hubspot')
    await expect(store.tenant('acme').get('hubspot_api_key')).rejects.toThrow(SecretNotFoundError)
    await expect(store.tenant('initech').get('stripe_api_key')).rejects.toThrow(
      /looked in azure:\/\/initech-stripe-api-key/,
    )
    expect(provider({ prefix: 'dativo-' }).tenantCandidates!('a.b', 'key')).toEqual([])
    await store.close()
  })

  it('not-found, forbidden and disabled versions map to typed errors; only forbidden stops a chain', async () => {
    const v1 = server.setSecret('retired', 'old')
    server.setVersionEnabled('retired', v1, false)
    server.setSecret('locked', 'l')
    const env = envProvider({ env: { FALLBACK: 'from-env' } })
    const store = createSecrets({
      providers: { azure: provider(), env },
      secrets: { missing: 'azure://nope', disabled: ['azure://retired', 'env://FALLBACK'] },
    })
    const error = (await store.load().catch((e) => e)) as SecretsLoadError
    expect(error).toBeInstanceOf(SecretsLoadError)
    expect(error.failures.map((f) => [f.name, f.code])).toEqual([['missing', 'SECRET_NOT_FOUND']])
    expect(store.status().find((s) => s.name === 'disabled')?.source).toBe('env://FALLBACK')
    const disabled = await store.resolve('azure://retired').catch((e) => e)
    expect(disabled).toBeInstanceOf(SecretNotFoundError)
    expect(disabled.message).toMatch(/HTTP 403.*disabled: enable it/)

    server.fault({ kind: 'forbidden' })
    const denied = createSecrets({
      providers: { azure: provider(), env },
      secrets: { locked: ['azure://locked', 'env://FALLBACK'] },
    })
    const deniedError = (await denied.load().catch((e) => e)) as SecretsLoadError
    expect(deniedError.errors[0]).toBeInstanceOf(SecretAccessDeniedError)
    expect(deniedError.message).toContain('Key Vault Secrets User')
    server.clearFaults()
    await store.close()
    await denied.close()
  })

  it('JSON field errors: a missing key is not-found, a non-JSON value is a validation error', async () => {
    server.setSecret('json', JSON.stringify({ a: '1' }))
    server.setSecret('text', 'plain text')
    const store = createSecrets({ providers: { azure: provider() } })
    await expect(store.resolve('azure://json#b')).rejects.toThrow(SecretNotFoundError)
    await expect(store.resolve('azure://text#a')).rejects.toThrow(SecretValidationError)
    await store.close()
  })

  it('429 with Retry-After: the SDK does not retry, the store waits at least Retry-After', async () => {
    server.setSecret('warm', 'w')
    server.setSecret('throttled', 'after-the-wait')
    const sent: number[] = []
    const stamp: PipelinePolicy = {
      name: 'secretkit-test-stamp',
      sendRequest: (request, next) => {
        sent.push(Date.now())
        return next(request)
      },
    }
    const azure = provider({
      clientOptions: { additionalPolicies: [{ policy: stamp, position: 'perRetry' }] },
    })
    const store = createSecrets({ providers: { azure }, retry: { ...fast, maxDelay: 2_000 } })
    await store.resolve('azure://warm') // the challenge round happens here
    server.calls.reset()
    sent.length = 0
    server.fault({ kind: 'throttle', times: 1, retryAfterSeconds: 1 })
    const error = await azure.get({ path: 'throttled' }, { signal }).catch((e) => e)
    expect(error).toBeInstanceOf(ProviderUnavailableError)
    expect(error).toMatchObject({ retryable: true, retryAfterMs: 1000 })
    expect(error.message).toContain('HTTP 429')
    expect(server.calls.count('GetSecret')).toBe(1) // no SDK retry

    server.calls.reset()
    sent.length = 0
    server.fault({ kind: 'throttle', times: 1, retryAfterSeconds: 1 })
    expect(await store.resolve('azure://throttled')).toBe('after-the-wait')
    expect(server.calls.count('GetSecret')).toBe(2)
    expect(sent).toHaveLength(2)
    // Retry-After: 1 s. (999: Date.now() can round a 1000 ms timer down by a millisecond.)
    expect(sent[1]! - sent[0]!).toBeGreaterThanOrEqual(999)
    await store.close()
  })

  it('5xx is retried by the store, then stale-if-error keeps the last good value', async () => {
    server.setSecret('flaky', 'good-value')
    const store = createSecrets({
      providers: { azure: provider() },
      secrets: { flaky: 'azure://flaky' },
      cache: { ttl: 50, staleWhileRevalidate: 0, staleIfError: '1h', refresh: 'lazy' },
      retry: fast,
    })
    const errors: SecretErrorEvent[] = []
    store.on('error', (event) => errors.push(event))
    await store.load()
    server.calls.reset()
    server.fault({ kind: 'unavailable', times: 1 })
    await store.refresh('flaky')
    expect(server.calls.count('GetSecret')).toBe(2)

    server.calls.reset()
    server.fault({ kind: 'server-error' })
    await expect(store.refresh('flaky')).rejects.toThrow(ProviderUnavailableError)
    expect(server.calls.count('GetSecret')).toBe(3)
    expect(store.get('flaky')).toBe('good-value')
    await new Promise((resolve) => setTimeout(resolve, 60))
    expect(await store.resolve('azure://flaky')).toBe('good-value')
    expect(errors.at(-1)).toMatchObject({ name: 'flaky', code: 'PROVIDER_UNAVAILABLE', servingStale: true })
    server.clearFaults()
    await store.close()
  })

  it('a network failure is retryable; load() keeps at most `concurrency` reads in flight', async () => {
    const dead = azureKeyVault({
      vaultUrl: 'https://127.0.0.1:1',
      credential: new FixedTokenCredential(),
      clientOptions: azureClientOptions(server),
    })
    const error = await dead.get({ path: 'x' }, { signal }).catch((e) => e)
    expect(error).toBeInstanceOf(ProviderUnavailableError)
    expect(error).toMatchObject({ retryable: true })

    const names = Array.from({ length: 17 }, (_, i) => `bulk-${i}`)
    for (const name of names) server.setSecret(name, `value-${name}`)
    let inFlight = 0
    let peak = 0
    const gauge: PipelinePolicy = {
      name: 'secretkit-test-gauge',
      sendRequest: async (request, next) => {
        peak = Math.max(peak, ++inFlight)
        try {
          return await next(request)
        } finally {
          inFlight--
        }
      },
    }
    const azure = provider({
      concurrency: 3,
      clientOptions: { additionalPolicies: [{ policy: gauge, position: 'perCall' }] },
    })
    const store = createSecrets({
      providers: { azure },
      secrets: Object.fromEntries(names.map((name) => [name, `azure://${name}`])),
    })
    await store.load()
    expect(names.map((name) => store.get(name))).toEqual(names.map((name) => `value-${name}`))
    expect(server.calls.count('GetSecret')).toBe(17)
    expect(peak).toBe(3)
    await store.close()
  })
})

describeProviderConformance('azure (Key Vault HTTPS server)', async () => {
  await started
  server.reset()
  return {
    provider: provider(),
    write: async (path, value) => {
      server.setSecret(path, value)
    },
    missingPath: 'not-there',
  }
})
