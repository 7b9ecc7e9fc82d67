import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  PutSecretValueCommand,
  type SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager'
import { type MotoServer, motoAvailability, startMoto } from '@secretkit/test-servers'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  createSecrets,
  SecretConfigError,
  SecretNotFoundError,
  type SecretStore,
  SecretsLoadError,
} from '../src/index.js'
import { awsSecretsManager } from '../src/providers/aws.js'
import { putSecret, secretsManagerFor, signal, waitFor } from './support/aws.js'
import { describeProviderConformance } from './support/conformance.js'

const moto = motoAvailability()

describe.skipIf(!moto.available)(`aws provider against moto ${moto.reason}`, () => {
  let server: MotoServer
  let admin: SecretsManagerClient
  const stores: SecretStore<any>[] = []
  const track = <S extends SecretStore<any>>(store: S): S => {
    stores.push(store)
    return store
  }

  beforeAll(async () => {
    server = await startMoto()
    admin = secretsManagerFor(server).client
  })
  afterAll(async () => {
    admin?.destroy()
    await server?.stop()
  })
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((store) => store.close()))
  })

  describe('reads', () => {
    beforeEach(() => server.reset())

    it('reads string, JSON (#field) and binary secrets through the SDK', async () => {
      await putSecret(admin, 'prod/plain', 'plain-value')
      await putSecret(
        admin,
        'prod/db',
        JSON.stringify({ username: 'app', password: 'db-password', port: 5432 }),
      )
      await putSecret(admin, 'prod/cert', new Uint8Array([0, 1, 2, 250, 255]))
      const { client, calls } = secretsManagerFor(server)
      const store = track(
        createSecrets({
          providers: { aws: awsSecretsManager({ client }) },
          secrets: {
            plain: 'aws://prod/plain',
            password: 'aws://prod/db#password',
            port: 'aws://prod/db#port',
            cert: { from: 'aws://prod/cert', binary: true },
          },
        }),
      )
      await store.load()
      expect(store.get('plain')).toBe('plain-value')
      expect(store.get('password')).toBe('db-password')
      expect(store.get('port')).toBe('5432')
      expect([...(store.get('cert') as Uint8Array)]).toEqual([0, 1, 2, 250, 255])
      // Three distinct secrets, one tick: a single BatchGetSecretValue.
      expect(calls.snapshot()).toEqual({ BatchGetSecretValue: 1 })
      expect(store.status().find((status) => status.name === 'plain')?.version).toMatch(/[0-9a-f-]{36}/)
    })

    it('applies the prefix to references, and says which secret is missing', async () => {
      await putSecret(admin, 'team-a/api', 'team-a-key')
      const store = track(
        createSecrets({
          providers: { aws: awsSecretsManager({ ...server, prefix: 'team-a/' }) },
          secrets: { api: 'aws://api', other: 'aws://missing' },
        }),
      )
      const error = (await store.load().catch((caught: unknown) => caught)) as SecretsLoadError
      expect(error).toBeInstanceOf(SecretsLoadError)
      expect(error.failures).toHaveLength(1)
      expect(error.failures[0]).toMatchObject({ name: 'other', code: 'SECRET_NOT_FOUND', provider: 'aws' })
      expect(error.message).toContain('aws://missing')
      expect(error.message).toContain('ResourceNotFoundException')
      expect(await store.resolve('aws://api')).toBe('team-a-key')
    })

    it('a secret scheduled for deletion is not found, with a restore hint', async () => {
      await putSecret(admin, 'old', 'old-value')
      await admin.send(new DeleteSecretCommand({ SecretId: 'old', RecoveryWindowInDays: 7 }))
      const provider = awsSecretsManager(server)
      const single = await provider.get({ path: 'old' }, { signal }).catch((caught: unknown) => caught)
      expect(single).toBeInstanceOf(SecretNotFoundError)
      expect((single as Error).message).toMatch(/scheduled for deletion.*RestoreSecret/)
      await putSecret(admin, 'live', 'live-value')
      const [deleted, live] = await provider.getMany!([{ path: 'old' }, { path: 'live' }], { signal })
      expect(deleted).toBeInstanceOf(SecretNotFoundError)
      expect((deleted as Error).message).toMatch(/scheduled for deletion/)
      expect(live).toMatchObject({ value: 'live-value' })
      await provider.close?.()
    })

    it('load() of 45 secrets makes exactly 3 BatchGetSecretValue calls', async () => {
      const declared: Record<string, string> = {}
      for (let i = 0; i < 45; i++) {
        await admin.send(new CreateSecretCommand({ Name: `bulk/secret-${i}`, SecretString: `value-${i}` }))
        declared[`s${i}`] = `aws://bulk/secret-${i}`
      }
      const { client, calls } = secretsManagerFor(server)
      const store = track(
        createSecrets({ providers: { aws: awsSecretsManager({ client }) }, secrets: declared }),
      )
      await store.load()
      expect(calls.snapshot()).toEqual({ BatchGetSecretValue: 3 })
      for (let i = 0; i < 45; i++) expect(store.get(`s${i}`)).toBe(`value-${i}`)
    })

    it('getMany answers in request order with per-id typed errors, and honours maxBatchSize', async () => {
      await putSecret(admin, 'b1', 'one')
      await putSecret(admin, 'b2', 'two')
      const { client, calls } = secretsManagerFor(server)
      const provider = awsSecretsManager({ client, maxBatchSize: 2 })
      const results = await provider.getMany!([{ path: 'b2' }, { path: 'nope' }, { path: 'b1' }], { signal })
      expect(results[0]).toMatchObject({ value: 'two' })
      expect(results[1]).toBeInstanceOf(SecretNotFoundError)
      expect(results[2]).toMatchObject({ value: 'one' })
      expect(calls.snapshot()).toEqual({ BatchGetSecretValue: 1 })

      const store = track(
        createSecrets({
          providers: { aws: provider },
          secrets: { a: 'aws://b1', b: 'aws://b2', c: 'aws://b1#missing-field' },
        }),
      )
      calls.reset()
      const error = (await store.load().catch((caught: unknown) => caught)) as SecretsLoadError
      expect(error.failures.map((failure) => failure.name)).toEqual(['c'])
      expect(calls.count('BatchGetSecretValue')).toBe(1) // 2 distinct ids, maxBatchSize 2
      expect(() => awsSecretsManager({ maxBatchSize: 21 })).toThrow(SecretConfigError)
    })

    it('reads pinned versions and every stage; always sends the stage explicitly', async () => {
      const v1 = await putSecret(admin, 'pinned', 'first')
      const { client, calls } = secretsManagerFor(server)
      const stages: unknown[] = []
      client.middlewareStack.add(
        (next) => async (args) => {
          stages.push((args.input as { VersionStage?: string }).VersionStage)
          return next(args)
        },
        { step: 'initialize', name: 'recordStage' },
      )
      const store = track(createSecrets({ providers: { aws: awsSecretsManager({ client }) } }))
      const pending = await admin.send(
        new PutSecretValueCommand({
          SecretId: 'pinned',
          SecretString: 'second',
          VersionStages: ['AWSPENDING'],
        }),
      )
      expect(await store.resolve('aws://pinned?stage=AWSPENDING')).toBe('second')
      expect(await store.resolve(`aws://pinned?version=${v1}`)).toBe('first')
      expect(await store.resolve(`aws://pinned?version=${pending.VersionId}`)).toBe('second')
      const single = await awsSecretsManager({ client }).get({ path: 'pinned' }, { signal })
      expect(single).toEqual({ value: 'first', version: v1 })
      expect(calls.snapshot()).toEqual({ GetSecretValue: 4 })
      expect(stages).toEqual(['AWSPENDING', undefined, undefined, 'AWSCURRENT'])
      await expect(store.resolve('aws://pinned?stage=NOPE')).rejects.toBeInstanceOf(SecretNotFoundError)
    })
  })

  describe('rotation', () => {
    beforeEach(() => server.reset())

    it('sees AWSCURRENT move via background refresh: one change event, AWSPREVIOUS still readable', async () => {
      const v1 = await putSecret(admin, 'rotating/db', JSON.stringify({ password: 'pw-1' }))
      const { client, calls } = secretsManagerFor(server)
      const store = track(
        createSecrets({
          providers: { aws: awsSecretsManager({ client }) },
          secrets: { password: 'aws://rotating/db#password' },
          cache: { ttl: 200, staleWhileRevalidate: 1_000 },
        }),
      )
      const changes: unknown[] = []
      store.on('change', (event) => changes.push(event))
      await store.load()
      expect(store.get('password')).toBe('pw-1')

      // The rotation lambda's steps: createSecret (AWSPENDING), then finishSecret (move AWSCURRENT).
      const { VersionId: v2 } = await admin.send(
        new PutSecretValueCommand({
          SecretId: 'rotating/db',
          SecretString: JSON.stringify({ password: 'pw-2' }),
          VersionStages: ['AWSPENDING'],
        }),
      )
      expect(await store.resolve('aws://rotating/db?stage=AWSPENDING#password')).toBe('pw-2')
      await admin.send(
        new UpdateSecretVersionStageCommand({
          SecretId: 'rotating/db',
          VersionStage: 'AWSCURRENT',
          MoveToVersionId: v2,
          RemoveFromVersionId: v1,
        }),
      )
      await waitFor(() => store.get('password') === 'pw-2')
      const refreshes = calls.count('GetSecretValue') + calls.count('BatchGetSecretValue')
      await waitFor(() => calls.count('GetSecretValue') + calls.count('BatchGetSecretValue') >= refreshes + 3)
      expect(changes).toEqual([
        {
          name: 'password',
          ref: 'aws://rotating/db#password',
          provider: 'aws',
          version: v2,
          previousVersion: v1,
        },
      ])
      const described = await admin.send(new DescribeSecretCommand({ SecretId: 'rotating/db' }))
      expect(described.VersionIdsToStages?.[v1]).toContain('AWSPREVIOUS')
      expect(await store.resolve('aws://rotating/db?stage=AWSPREVIOUS#password')).toBe('pw-1')
    })

    it('withRotation refreshes once on an auth failure and retries with the new value', async () => {
      await putSecret(admin, 'api-key', 'key-1')
      const { client, calls } = secretsManagerFor(server)
      const store = track(
        createSecrets({
          providers: { aws: awsSecretsManager({ client }) },
          secrets: { key: 'aws://api-key' },
        }),
      )
      await store.load()
      await putSecret(admin, 'api-key', 'key-2') // rotated upstream, the cache still holds key-1
      const seen: string[] = []
      const answer = await store.withRotation('key', async (key) => {
        seen.push(key)
        if (key !== 'key-2') throw Object.assign(new Error('denied'), { status: 401 })
        return 'ok'
      })
      expect(answer).toBe('ok')
      expect(seen).toEqual(['key-1', 'key-2'])
      expect(calls.total).toBe(2)
    })
  })

  describe('tenancy (seed 003)', () => {
    beforeEach(() => server.reset())

    it('reads a key of the tenant JSON secret, else the {prefix}{tenant}/{name} secret', async () => {
      await putSecret(
        admin,
        'tenants/acme',
        JSON.stringify({ stripe_api_key: 'acme-stripe', smtp: 'acme-smtp' }),
      )
      await putSecret(admin, 'tenants/globex/stripe_api_key', 'globex-stripe')
      await putSecret(admin, 'tenants/acme/webhook_secret', 'acme-webhook')
      const store = track(
        createSecrets({ providers: { aws: awsSecretsManager({ ...server, prefix: 'tenants/' }) } }),
      )
      expect(await store.tenant('acme').get('stripe_api_key')).toBe('acme-stripe')
      expect(await store.tenant('globex').get('stripe_api_key')).toBe('globex-stripe')
      // The JSON secret lacks the key: the per-secret layout is tried next.
      expect(await store.tenant('acme').get('webhook_secret')).toBe('acme-webhook')
      const error = await store
        .tenant('globex')
        .get('smtp')
        .catch((caught: unknown) => caught)
      expect(error).toBeInstanceOf(SecretNotFoundError)
      expect((error as Error).message).toContain('aws://globex#smtp')
      expect((error as Error).message).toContain('aws://globex/smtp')
      expect(() => store.tenant('../acme')).toThrow(SecretConfigError)
    })
  })

  let fixtureCount = 0
  describeProviderConformance('aws (moto)', async () => {
    const { client } = secretsManagerFor(server)
    const prefix = `conformance-${++fixtureCount}/`
    return {
      provider: awsSecretsManager({ client, prefix }),
      write: async (path, value) => void (await putSecret(admin, prefix + path, value)),
      missingPath: 'not-there',
      cleanup: async () => client.destroy(),
    }
  })
})
