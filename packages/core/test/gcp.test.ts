import { type protos, SecretManagerServiceClient } from '@google-cloud/secret-manager'
import { type GcpSecretManagerServer, startGcpSecretManagerServer } from '@secretkit/test-servers'
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
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
import { type GcpSecretManagerOptions, gcpSecretManager } from '../src/providers/gcp.js'
import { connectionGuard, gcpClientOptions, until } from './support/cloud.js'
import { describeProviderConformance } from './support/conformance.js'

type AccessRequest = protos.google.cloud.secretmanager.v1.IAccessSecretVersionRequest
type CallOptions = { retry?: null; signal?: AbortSignal }

const signal = new AbortController().signal
const guard = connectionGuard()
let server: GcpSecretManagerServer
const started = startGcpSecretManagerServer().then((s) => {
  server = s
  return s
})

afterAll(async () => {
  await server?.stop()
  guard.restore()
})

/** A provider on the test server; the SDK client is created by the provider on first use. */
function provider(options: GcpSecretManagerOptions = {}) {
  return gcpSecretManager({
    projectId: server.projectId,
    clientOptions: gcpClientOptions(server),
    ...options,
  })
}

function seed(secretId: string, ...values: string[]): string[] {
  try {
    server.createSecret(secretId)
  } catch {
    // already there: add versions
  }
  return values.map((value) => server.addVersion(secretId, value))
}

const fast = { attempts: 3, baseDelay: 1, maxDelay: 5 }

describe('gcpSecretManager through @google-cloud/secret-manager', () => {
  beforeAll(async () => {
    await started
  })
  beforeEach(() => server.reset())

  it('reads latest, a pinned version and a JSON field; version is the resolved number', async () => {
    seed('db', 'v1-password', 'v2-password')
    seed('stripe', JSON.stringify({ api_key: 'sk_test_1', webhook: 'wh_1' }))
    const store = createSecrets({
      providers: { gcp: provider() },
      secrets: { db: 'gcp://db', pinned: 'gcp://db?version=1', stripeKey: 'gcp://stripe#api_key' },
    })
    await store.load()
    expect(store.get('db')).toBe('v2-password')
    expect(store.get('pinned')).toBe('v1-password')
    expect(store.get('stripeKey')).toBe('sk_test_1')
    expect(store.status().map((s) => [s.name, s.version])).toEqual([
      ['db', '2'],
      ['pinned', '1'],
      ['stripeKey', '1'],
    ])
    expect(await store.resolve('gcp://db?version=2')).toBe('v2-password')
    expect(server.calls.count('AccessSecretVersion')).toBe(4)
    await store.close()
  })

  it('applies the prefix, accepts full resource names, and reads binary payloads', async () => {
    seed('dativo-api', 'prefixed')
    seed('raw', 'unused')
    server.addVersion('raw', new Uint8Array([0, 1, 2, 255]))
    const gcp = provider({ prefix: 'dativo-' })
    const store = createSecrets({ providers: { gcp } })
    expect(await store.resolve('gcp://api')).toBe('prefixed')
    const full = `projects/${server.projectId}/secrets/raw`
    expect([...(await store.resolve(`gcp://${full}`, { binary: true }))]).toEqual([0, 1, 2, 255])
    await store.close()
  })

  it('a new version is seen by background refresh: exactly one change event', async () => {
    seed('rotating', 'old-value')
    const store = createSecrets({
      providers: { gcp: provider() },
      secrets: { rotating: 'gcp://rotating' },
      cache: { ttl: 100, refresh: 'background' },
    })
    const changes: SecretChangeEvent[] = []
    store.on('change', (event) => changes.push(event))
    await store.load()
    seed('rotating', 'new-value')
    await until(() => store.get('rotating') === 'new-value')
    // Let several more refreshes run: the unchanged version must not emit again.
    const after = server.calls.count('AccessSecretVersion')
    await until(() => server.calls.count('AccessSecretVersion') >= after + 3)
    expect(changes).toEqual([
      { name: 'rotating', ref: 'gcp://rotating', provider: 'gcp', version: '2', previousVersion: '1' },
    ])
    await store.close()
  })

  it('tenants with seed 003 names: {prefix}{tenant}-{name}, then the tenant JSON secret', async () => {
    seed('dativo-acme', JSON.stringify({ stripe_api_key: 'acme-stripe', database_password: 'acme-db' }))
    seed('dativo-globex-stripe-api-key', 'globex-stripe')
    seed('dativo-acme-database_password', 'acme-db-dedicated')
    const store = createSecrets({ providers: { gcp: provider({ prefix: 'dativo-' }) } })
    expect(await store.tenant('acme').get('stripe_api_key')).toBe('acme-stripe')
    expect(await store.tenant('globex').get('stripe_api_key')).toBe('globex-stripe')
    // A dedicated secret wins over the key of the tenant's JSON secret.
    expect(await store.tenant('acme').get('database_password')).toBe('acme-db-dedicated')
    const missing = await store
      .tenant('initech')
      .get('stripe_api_key')
      .catch((e) => e)
    expect(missing).toBeInstanceOf(SecretNotFoundError)
    expect(missing.message).toContain(
      'looked in gcp://initech-stripe_api_key, gcp://initech-stripe-api-key, gcp://initech#stripe_api_key',
    )
    // globex has no JSON secret and no hubspot secret; acme cannot see globex's.
    await expect(store.tenant('acme').get('hubspot_api_key')).rejects.toThrow(SecretNotFoundError)
    expect(provider({ prefix: 'dativo-' }).tenantCandidates!('a.b', 'key')).toEqual([])
    await store.close()
  })

  it('not-found, denied and disabled versions map to typed errors; only denied stops a chain', async () => {
    seed('private', 'p')
    server.deny('private')
    const [v1] = seed('retired', 'r1')
    server.disableVersion('retired', v1!)
    const store = createSecrets({
      providers: { gcp: provider(), env: envProvider({ env: { FALLBACK: 'from-env' } }) },
      secrets: {
        missing: 'gcp://nope',
        denied: ['gcp://private', 'env://FALLBACK'],
        disabled: ['gcp://retired', 'env://FALLBACK'],
      },
    })
    const error = (await store.load().catch((e) => e)) as SecretsLoadError
    expect(error).toBeInstanceOf(SecretsLoadError)
    expect(error.failures.map((f) => [f.name, f.code])).toEqual([
      ['missing', 'SECRET_NOT_FOUND'],
      ['denied', 'SECRET_ACCESS_DENIED'],
    ])
    expect(error.errors[1]).toBeInstanceOf(SecretAccessDeniedError)
    expect(error.message).toContain('roles/secretmanager.secretAccessor')
    // The disabled version fell through to env.
    expect(store.status().find((s) => s.name === 'disabled')?.source).toBe('env://FALLBACK')
    const disabled = await createSecrets({ providers: { gcp: provider() } })
      .resolve('gcp://retired')
      .catch((e) => e)
    expect(disabled).toBeInstanceOf(SecretNotFoundError)
    expect(disabled.message).toMatch(/FAILED_PRECONDITION.*disabled or destroyed/)
    server.destroyVersion('retired', v1!)
    await expect(store.resolve('gcp://retired?version=1')).rejects.toThrow(SecretNotFoundError)
    // Not found is negatively cached: asking again does not reach the server.
    const before = server.calls.count('AccessSecretVersion')
    await expect(store.resolve('gcp://nope')).rejects.toThrow(SecretNotFoundError)
    expect(server.calls.count('AccessSecretVersion')).toBe(before)
    await store.close()
  })

  it('JSON field errors: a missing key is not-found, a non-JSON payload is a validation error', async () => {
    seed('json', JSON.stringify({ a: '1' }))
    seed('text', 'plain text')
    const store = createSecrets({ providers: { gcp: provider() } })
    await expect(store.resolve('gcp://json#b')).rejects.toThrow(SecretNotFoundError)
    await expect(store.resolve('gcp://text#a')).rejects.toThrow(SecretValidationError)
    await store.close()
  })

  it('RESOURCE_EXHAUSTED and UNAVAILABLE are retried by the store (client retries off)', async () => {
    seed('busy', 'ok')
    server.fault({ kind: 'resource-exhausted', times: 1 })
    server.fault({ kind: 'unavailable', times: 1 })
    const store = createSecrets({ providers: { gcp: provider() }, retry: fast })
    expect(await store.resolve('gcp://busy')).toBe('ok')
    expect(server.calls.count('AccessSecretVersion')).toBe(3)
    await store.close()
  })

  it('5xx past the retries: the store keeps serving the last good value (stale-if-error)', async () => {
    seed('flaky', 'good-value')
    const store = createSecrets({
      providers: { gcp: provider() },
      secrets: { flaky: 'gcp://flaky' },
      cache: { ttl: 50, staleWhileRevalidate: 0, staleIfError: '1h', refresh: 'lazy' },
      retry: fast,
    })
    const errors: SecretErrorEvent[] = []
    store.on('error', (event) => errors.push(event))
    await store.load()
    server.fault({ kind: 'internal' })
    server.calls.reset()
    await expect(store.refresh('flaky')).rejects.toThrow(ProviderUnavailableError)
    expect(server.calls.count('AccessSecretVersion')).toBe(3)
    expect(store.get('flaky')).toBe('good-value')
    await new Promise((resolve) => setTimeout(resolve, 60))
    expect(await store.resolve('gcp://flaky')).toBe('good-value')
    expect(store.get('flaky')).toBe('good-value')
    expect(errors.at(-1)).toMatchObject({ name: 'flaky', code: 'PROVIDER_UNAVAILABLE', servingStale: true })
    server.clearFaults()
    await store.close()
  })

  it('verifies payload CRC-32C: a corrupted payload is retried, never returned', async () => {
    seed('checked', 'intact')
    const client = new SecretManagerServiceClient(gcpClientOptions(server))
    let corrupt = 1
    // Flip the checksum of the first response, as a corrupting hop would.
    const tampering = new Proxy(client, {
      get(target, property, receiver) {
        if (property !== 'accessSecretVersion') return Reflect.get(target, property, receiver)
        return async (request: AccessRequest, options?: CallOptions) => {
          const [response, ...rest] = await target.accessSecretVersion(request, options)
          if (corrupt-- > 0) response.payload!.dataCrc32c = Number(response.payload!.dataCrc32c) ^ 1
          return [response, ...rest]
        }
      },
    })
    const gcp = provider({ client: tampering })
    const error = await gcp.get({ path: 'checked' }, { signal }).catch((e) => e)
    expect(error).toBeInstanceOf(ProviderUnavailableError)
    expect(error).toMatchObject({ retryable: true })
    expect(error.message).toContain('CRC-32C')
    corrupt = 1
    const store = createSecrets({ providers: { gcp }, retry: fast })
    expect(await store.resolve('gcp://checked')).toBe('intact')
    await store.close()
    await client.close()
  })

  it('load() runs at most `concurrency` reads at once across batches', async () => {
    const ids = Array.from({ length: 23 }, (_, i) => `bulk-${i}`)
    for (const id of ids) seed(id, `value-${id}`)
    const client = new SecretManagerServiceClient(gcpClientOptions(server))
    let inFlight = 0
    let peak = 0
    const counting = new Proxy(client, {
      get(target, property, receiver) {
        if (property !== 'accessSecretVersion') return Reflect.get(target, property, receiver)
        return async (request: AccessRequest, options?: CallOptions) => {
          peak = Math.max(peak, ++inFlight)
          try {
            return await target.accessSecretVersion(request, options)
          } finally {
            inFlight--
          }
        }
      },
    })
    const gcp = provider({ client: counting, concurrency: 4 })
    expect(gcp.maxBatchSize).toBe(4)
    const store = createSecrets({
      providers: { gcp },
      secrets: Object.fromEntries(ids.map((id) => [id, `gcp://${id}`])),
    })
    await store.load()
    expect(ids.map((id) => store.get(id))).toEqual(ids.map((id) => `value-${id}`))
    expect(server.calls.count('AccessSecretVersion')).toBe(23)
    expect(peak).toBe(4)
    await store.close()
    await client.close()
  })

  it('getMany throws the batch when every read failed retryably, so the store retries it', async () => {
    seed('m1', 'one')
    seed('m2', 'two')
    const gcp = provider()
    server.fault({ kind: 'unavailable', times: 2 })
    const error = await gcp.getMany!([{ path: 'm1' }, { path: 'm2' }], { signal }).catch((e) => e)
    expect(error).toBeInstanceOf(ProviderUnavailableError)
    const results = await gcp.getMany!([{ path: 'm1' }, { path: 'nope' }], { signal })
    expect(results[1]).toBeInstanceOf(SecretNotFoundError)
    await gcp.close!()
  })

  it('rejects what Secret Manager cannot name, before any call', async () => {
    const gcp = provider()
    for (const [request, text] of [
      [{ path: 'has/slash' }, /secret id "has\/slash" is not valid/],
      [{ path: 'a', stage: 'AWSCURRENT' }, /has no stages/],
      [{ path: 'a', version: '1.5' }, /not a version number or alias/],
    ] as const) {
      await expect(gcp.get(request, { signal })).rejects.toThrow(text)
    }
    vi.stubEnv('GCP_PROJECT_ID', undefined)
    vi.stubEnv('GOOGLE_CLOUD_PROJECT', undefined)
    const noProject = gcpSecretManager({ clientOptions: gcpClientOptions(server) })
    await expect(noProject.get({ path: 'a' }, { signal })).rejects.toThrow(SecretConfigError)
    expect(() => gcpSecretManager({ concurrency: 0 })).toThrow(SecretConfigError)
    expect(server.calls.total).toBe(0)
    await gcp.close!()
    await expect(gcp.get({ path: 'a' }, { signal })).rejects.toThrow(/was closed/)
  })
})

describeProviderConformance('gcp (Secret Manager gRPC server)', async () => {
  await started
  server.reset()
  return {
    provider: provider(),
    write: async (path, value) => {
      seed(path, value)
    },
    missingPath: 'not-there',
  }
})

describe('gcp network use', () => {
  it('every TCP connection went to the test server on 127.0.0.1 (no metadata server)', async () => {
    await started
    expect(guard.targets.size).toBeGreaterThan(0)
    expect([...guard.targets]).toEqual([`127.0.0.1:${server.port}`])
  })
})
