// Error paths moto cannot produce (throttling, 5xx, slow and malformed responses, resets),
// against the fault-injecting AWS JSON 1.1 stub, through the real SDK clients.
import { type AwsFaultKind, type AwsFaultStub, startFaultStub } from '@secretkit/test-servers'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  createSecrets,
  ProviderUnavailableError,
  type SecretErrorEvent,
  type SecretStore,
} from '../src/index.js'
import { awsSecretsManager } from '../src/providers/aws.js'
import { ssmParameterStore } from '../src/providers/ssm.js'
import { signal, waitFor } from './support/aws.js'

describe('aws and ssm providers against the fault stub', () => {
  let stub: AwsFaultStub
  const stores: SecretStore<any>[] = []
  const track = <S extends SecretStore<any>>(store: S): S => {
    stores.push(store)
    return store
  }
  const providers = () => ({ aws: awsSecretsManager(stub), ssm: ssmParameterStore(stub) })

  beforeAll(async () => {
    stub = await startFaultStub({
      secrets: { db: 'db-good-1', api: 'api-good-1' },
      parameters: { '/app/token': 'token-good-1' },
    })
  })
  afterAll(() => stub?.stop())
  beforeEach(() => stub.reset())
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((store) => store.close()))
  })

  it.each([
    'throttle',
    'server-error',
    'unavailable',
    'malformed',
    'connection-reset',
  ] as const satisfies readonly AwsFaultKind[])(
    '%s is a retryable ProviderUnavailableError',
    async (kind) => {
      const { aws, ssm } = providers()
      stub.fault({ kind })
      for (const read of [
        () => aws.get({ path: 'db' }, { signal }),
        () => aws.getMany!([{ path: 'db' }, { path: 'api' }], { signal }),
        () => ssm.get({ path: '/app/token' }, { signal }),
        () => ssm.getMany!([{ path: '/app/token' }, { path: '/app/other' }], { signal }),
      ]) {
        const error = await read().catch((caught: unknown) => caught)
        expect(error).toBeInstanceOf(ProviderUnavailableError)
        expect(error).toMatchObject({ retryable: true, code: 'PROVIDER_UNAVAILABLE' })
        expect((error as Error).cause).toBeUndefined()
      }
      // The SDK's own retries are off: one provider call is one HTTP request.
      expect(stub.calls.total).toBe(4)
      await aws.close?.()
      await ssm.close?.()
    },
  )

  it('the store retries transient faults itself; attempts are not multiplied by the SDK', async () => {
    const store = track(createSecrets({ providers: providers(), retry: { attempts: 3, baseDelay: 1 } }))
    stub.fault({ kind: 'throttle', times: 2, operations: ['GetSecretValue'] })
    expect(await store.resolve('aws://db')).toBe('db-good-1')
    expect(stub.calls.count('GetSecretValue')).toBe(3)

    stub.fault({ kind: 'server-error', operations: ['GetParameter'] })
    await expect(store.resolve('ssm:///app/token')).rejects.toBeInstanceOf(ProviderUnavailableError)
    expect(stub.calls.count('GetParameter')).toBe(3)

    stub.clearFaults()
    stub.fault({ kind: 'malformed', times: 1, operations: ['GetParameter'] })
    expect(await store.resolve('ssm:///app/token')).toBe('token-good-1')
  })

  it('a slow response is cut off by retry.timeout and reported as unavailable', async () => {
    const store = track(
      createSecrets({ providers: providers(), retry: { attempts: 2, baseDelay: 1, timeout: 100 } }),
    )
    stub.fault({ kind: 'delay', delayMs: 1_000, operations: ['GetSecretValue'] })
    const started = Date.now()
    const error = await store.resolve('aws://db').catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(ProviderUnavailableError)
    expect((error as Error).message).toMatch(/timed out/)
    expect(Date.now() - started).toBeLessThan(900)
    expect(stub.calls.count('GetSecretValue')).toBe(2)
  })

  it.each(['server-error', 'throttle'] as const)(
    'stale-if-error under %s: the last good value is served and error events name the secret only',
    async (kind) => {
      const store = track(
        createSecrets({
          providers: providers(),
          secrets: { db: 'aws://db', api: 'aws://api', token: 'ssm:///app/token' },
          cache: { ttl: 150, staleWhileRevalidate: 0, staleIfError: '1h' },
          retry: { attempts: 2, baseDelay: 1 },
        }),
      )
      const errors: SecretErrorEvent[] = []
      const changes: string[] = []
      store.on('error', (event) => errors.push(event))
      store.on('change', (event) => changes.push(event.name))
      await store.load()
      expect(stub.calls.snapshot()).toEqual({ BatchGetSecretValue: 1, GetParameter: 1 })

      stub.fault({ kind })
      stub.setSecret('db', 'db-good-2')
      await waitFor(() => new Set(errors.map((event) => event.name)).size === 3)
      expect(store.get('db')).toBe('db-good-1')
      expect(store.get('api')).toBe('api-good-1')
      expect(store.get('token')).toBe('token-good-1')
      expect(store.status().map((status) => status.state)).toEqual(['error', 'error', 'error'])
      for (const event of errors) {
        expect(event).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', servingStale: true })
        expect(['db', 'api', 'token']).toContain(event.name)
        const text = `${JSON.stringify(event)} ${event.error.message} ${event.error.stack}`
        expect(text).not.toMatch(/good-\d/)
      }
      expect(changes).toEqual([])

      stub.clearFaults()
      await waitFor(() => store.get('db') === 'db-good-2')
      expect(changes).toEqual(['db'])
      expect(store.get('api')).toBe('api-good-1')
      stub.setSecret('db', 'db-good-1')
    },
  )
})
