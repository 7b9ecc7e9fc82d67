import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/core-auth'
import { RestError } from '@azure/core-rest-pipeline'
import { SecretClient, type SecretClientOptions } from '@azure/keyvault-secrets'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { type AzureKeyVaultServer, startAzureKeyVaultServer } from '../src/index.js'

/** A real TokenCredential that hands out a fixed token and records what it was asked for. */
class FixedTokenCredential implements TokenCredential {
  readonly requests: { scopes: string[]; tenantId: string | undefined }[] = []
  async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken> {
    this.requests.push({ scopes: [scopes].flat(), tenantId: options?.tenantId })
    return { token: 'test-access-token', expiresOnTimestamp: Date.now() + 3_600_000 }
  }
}

describe('Azure Key Vault HTTPS server', () => {
  let server: AzureKeyVaultServer
  let credential: FixedTokenCredential
  let client: SecretClient
  const clientFor = (extra: SecretClientOptions = {}) =>
    new SecretClient(server.vaultUrl, credential, {
      tlsOptions: { ca: server.caPem }, // TLS stays verified: only our self-signed cert is trusted
      disableChallengeResourceVerification: true, // the challenge names vault.azure.net, we are 127.0.0.1
      retryOptions: { retryDelayInMs: 20, maxRetryDelayInMs: 100 },
      ...extra,
    })

  beforeAll(async () => {
    server = await startAzureKeyVaultServer()
  })
  afterAll(() => server?.stop())
  beforeEach(() => {
    server.reset()
    credential = new FixedTokenCredential()
    client = clientFor()
  })

  it('sets, gets latest and pinned versions, lists versions — over verified HTTPS with the bearer challenge', async () => {
    const v1 = await client.setSecret('db-password', 'first', {
      contentType: 'text/plain',
      tags: { team: 'a' },
    })
    const v2 = await client.setSecret('db-password', 'second')
    expect(v1.properties.version).toMatch(/^[0-9a-f]{32}$/)
    expect(v1.properties.version).not.toBe(v2.properties.version)

    const latest = await client.getSecret('db-password')
    expect([latest.value, latest.properties.version, latest.properties.enabled]).toEqual([
      'second',
      v2.properties.version,
      true,
    ])
    expect(latest.properties.createdOn).toBeInstanceOf(Date)
    const pinned = await client.getSecret('db-password', { version: v1.properties.version! })
    expect([pinned.value, pinned.properties.contentType, pinned.properties.tags]).toEqual([
      'first',
      'text/plain',
      { team: 'a' },
    ])

    const versions: (string | undefined)[] = []
    for await (const properties of client.listPropertiesOfSecretVersions('db-password'))
      versions.push(properties.version)
    expect(versions.sort()).toEqual([v1.properties.version, v2.properties.version].sort())

    // One 401 challenge round, then the bearer token on every request.
    expect(server.auth.challenges).toBe(1)
    expect(server.auth.lastTokenSeen).toBe('test-access-token')
    expect(credential.requests[0]).toEqual({
      scopes: ['https://vault.azure.net/.default'],
      tenantId: server.tenantId,
    })
    expect(server.calls.snapshot()).toEqual({ SetSecret: 2, GetSecret: 2, GetSecretVersions: 1 })
  })

  it('refuses a client that does not trust the certificate (TLS is real)', async () => {
    const untrusting = new SecretClient(server.vaultUrl, credential, {
      disableChallengeResourceVerification: true,
      retryOptions: { maxRetries: 0 },
    })
    await expect(untrusting.getSecret('x')).rejects.toThrow(/certificate/i)
  })

  it('a missing secret is RestError 404 SecretNotFound; a disabled version is 403', async () => {
    const error = await client.getSecret('missing').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RestError)
    expect(error).toMatchObject({ statusCode: 404, code: 'SecretNotFound' })

    const version = server.setSecret('api-key', 'k1')
    server.setVersionEnabled('api-key', version, false)
    await expect(client.getSecret('api-key')).rejects.toMatchObject({ statusCode: 403, code: 'Forbidden' })
  })

  it('updates properties and deletes (poller completes)', async () => {
    const set = await client.setSecret('to-delete', 'x')
    const updated = await client.updateSecretProperties('to-delete', set.properties.version!, {
      enabled: false,
    })
    expect(updated.enabled).toBe(false)
    const poller = await client.beginDeleteSecret('to-delete', { intervalInMs: 10 })
    const deleted = await poller.pollUntilDone()
    expect(deleted.name).toBe('to-delete')
    await expect(client.getSecret('to-delete')).rejects.toMatchObject({ statusCode: 404 })
  })

  it('429 with Retry-After is retried by the SDK after the advertised delay', async () => {
    server.setSecret('throttled', 'value')
    await client.getSecret('throttled') // completes the challenge round first
    server.fault({ kind: 'throttle', times: 1, retryAfterSeconds: 1 })
    const started = Date.now()
    const secret = await client.getSecret('throttled')
    expect(secret.value).toBe('value')
    expect(Date.now() - started).toBeGreaterThanOrEqual(950)
    expect(server.calls.count('GetSecret')).toBe(3)
  })

  it('403, 500 and 503 faults surface as RestErrors with that status', async () => {
    server.setSecret('s', 'v')
    const noRetry = clientFor({ retryOptions: { maxRetries: 0 } })
    server.fault({ kind: 'forbidden', times: 1 })
    await expect(noRetry.getSecret('s')).rejects.toMatchObject({ statusCode: 403, code: 'Forbidden' })
    server.fault({ kind: 'server-error', times: 1 })
    await expect(noRetry.getSecret('s')).rejects.toMatchObject({ statusCode: 500 })
    server.fault({ kind: 'unavailable', times: 1 })
    await expect(noRetry.getSecret('s')).rejects.toMatchObject({ statusCode: 503 })
    server.fault({ kind: 'unavailable', times: 2 })
    expect((await client.getSecret('s')).value).toBe('v') // default client retries 5xx
  })
})
