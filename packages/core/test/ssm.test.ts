import { LabelParameterVersionCommand, type SSMClient } from '@aws-sdk/client-ssm'
import { type MotoServer, motoAvailability, startMoto } from '@secretkit/test-servers'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createSecrets, SecretConfigError, SecretNotFoundError, type SecretStore } from '../src/index.js'
import { ssmParameterStore } from '../src/providers/ssm.js'
import { putParameter, signal, ssmFor, waitFor } from './support/aws.js'
import { describeProviderConformance } from './support/conformance.js'

const moto = motoAvailability()

describe.skipIf(!moto.available)(`ssm provider against moto ${moto.reason}`, () => {
  let server: MotoServer
  let admin: SSMClient
  const stores: SecretStore<any>[] = []
  const track = <S extends SecretStore<any>>(store: S): S => {
    stores.push(store)
    return store
  }

  beforeAll(async () => {
    server = await startMoto()
    admin = ssmFor(server).client
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

    it('reads SecureString (decrypted), String, StringList (raw) and JSON #field', async () => {
      await putParameter(admin, '/prod/db/password', 'secure-password', 'SecureString')
      await putParameter(admin, '/prod/db/host', 'db.internal', 'String')
      await putParameter(admin, '/prod/allowed', 'a,b,c', 'StringList')
      await putParameter(admin, '/prod/json', JSON.stringify({ user: 'app', token: 't-1' }), 'SecureString')
      const { client, calls } = ssmFor(server)
      const store = track(
        createSecrets({
          providers: { ssm: ssmParameterStore({ client }) },
          secrets: {
            password: 'ssm:///prod/db/password',
            host: 'ssm://prod/db/host', // the leading "/" is added
            allowed: 'ssm:///prod/allowed',
            token: 'ssm:///prod/json#token',
          },
        }),
      )
      await store.load()
      expect(store.get('password')).toBe('secure-password')
      expect(store.get('host')).toBe('db.internal')
      expect(store.get('allowed')).toBe('a,b,c')
      expect(store.get('token')).toBe('t-1')
      expect(calls.snapshot()).toEqual({ GetParameters: 1 })
      expect(store.status().find((status) => status.name === 'password')?.version).toBe('1')
    })

    it('withDecryption: false returns SecureString ciphertext as stored', async () => {
      await putParameter(admin, '/enc', 'plain-text', 'SecureString')
      const provider = ssmParameterStore({ ...server, withDecryption: false })
      const result = await provider.get({ path: '/enc' }, { signal })
      expect(result.value).not.toBe('plain-text')
      await provider.close?.()
    })

    it('reads ?version=N and ?stage=<label>, and versions are strings', async () => {
      await putParameter(admin, '/app/key', 'key-v1')
      await putParameter(admin, '/app/key', 'key-v2')
      await putParameter(admin, '/app/key', 'key-v3')
      await admin.send(
        new LabelParameterVersionCommand({ Name: '/app/key', ParameterVersion: 1, Labels: ['blue'] }),
      )
      const { client, calls } = ssmFor(server)
      const names: string[] = []
      client.middlewareStack.add(
        (next) => async (args) => {
          names.push((args.input as { Name: string }).Name)
          return next(args)
        },
        { step: 'initialize', name: 'recordName' },
      )
      const store = track(
        createSecrets({ providers: { ssm: ssmParameterStore({ client, prefix: '/app/' }) } }),
      )
      expect(await store.resolve('ssm://key')).toBe('key-v3')
      expect(await store.resolve('ssm://key?version=2')).toBe('key-v2')
      expect(await store.resolve('ssm://key?stage=blue')).toBe('key-v1')
      expect(names).toEqual(['/app/key', '/app/key:2', '/app/key:blue'])
      expect(calls.snapshot()).toEqual({ GetParameter: 3 })
      await expect(store.resolve('ssm://key?version=9')).rejects.toBeInstanceOf(SecretNotFoundError)
      await expect(store.resolve('ssm://key?stage=green')).rejects.toBeInstanceOf(SecretNotFoundError)
      const result = await ssmParameterStore({ client, prefix: '/app/' }).get({ path: 'key' }, { signal })
      expect(result).toEqual({ value: 'key-v3', version: '3' })
    })

    it('load() of 25 parameters makes exactly 3 GetParameters calls; missing ones fail alone', async () => {
      const declared: Record<string, string> = {}
      for (let i = 0; i < 25; i++) {
        await putParameter(admin, `/bulk/p${i}`, `value-${i}`)
        declared[`p${i}`] = `ssm:///bulk/p${i}`
      }
      const { client, calls } = ssmFor(server)
      const store = track(
        createSecrets({ providers: { ssm: ssmParameterStore({ client }) }, secrets: declared }),
      )
      await store.load()
      expect(calls.snapshot()).toEqual({ GetParameters: 3 })
      for (let i = 0; i < 25; i++) expect(store.get(`p${i}`)).toBe(`value-${i}`)

      const provider = ssmParameterStore({ client })
      const results = await provider.getMany!(
        [{ path: '/bulk/p2' }, { path: '/nope' }, { path: '/bulk/p1' }],
        {
          signal,
        },
      )
      expect(results[0]).toEqual({ value: 'value-2', version: '1' })
      expect(results[1]).toBeInstanceOf(SecretNotFoundError)
      expect(results[2]).toEqual({ value: 'value-1', version: '1' })
    })

    it('background refresh sees a new parameter version once', async () => {
      await putParameter(admin, '/rot/token', 'token-1')
      const { client } = ssmFor(server)
      const store = track(
        createSecrets({
          providers: { ssm: ssmParameterStore({ client }) },
          secrets: { token: 'ssm:///rot/token' },
          cache: { ttl: 200 },
        }),
      )
      const changes: unknown[] = []
      store.on('change', (event) => changes.push(event))
      await store.load()
      await putParameter(admin, '/rot/token', 'token-2')
      await waitFor(() => store.get('token') === 'token-2')
      expect(changes).toEqual([
        { name: 'token', ref: 'ssm:///rot/token', provider: 'ssm', version: '2', previousVersion: '1' },
      ])
    })
  })

  describe('listPath', () => {
    beforeEach(() => server.reset())

    it('loads a 35-parameter hierarchy through 4 GetParametersByPath pages; recursive is opt-in', async () => {
      for (let i = 0; i < 35; i++)
        await putParameter(admin, `/svc/config/p${String(i).padStart(2, '0')}`, `v${i}`)
      await putParameter(admin, '/svc/config/nested/deep', 'deep-value')
      await putParameter(admin, '/svc/other', 'not-under-path')
      const { client, calls } = ssmFor(server)
      const provider = ssmParameterStore({ client, prefix: '/svc/' })

      const flat = await provider.listPath('config')
      expect(flat).toHaveLength(35)
      expect(calls.snapshot()).toEqual({ GetParametersByPath: 4 })
      expect(flat.find((parameter) => parameter.name === '/svc/config/p07')).toEqual({
        name: '/svc/config/p07',
        value: 'v7',
        version: '1',
      })

      calls.reset()
      const deep = await provider.listPath('/config', { recursive: true })
      expect(deep).toHaveLength(36)
      expect(deep.map((parameter) => parameter.value)).toContain('deep-value')
      expect(calls.count('GetParametersByPath')).toBe(4)

      await expect(ssmParameterStore({ client }).listPath('relative')).rejects.toBeInstanceOf(
        SecretConfigError,
      )
      expect(await provider.listPath('/empty')).toEqual([])
    })
  })

  describe('tenancy', () => {
    beforeEach(() => server.reset())

    it('reads {prefix}{tenant}/{name}', async () => {
      await putParameter(admin, '/tenants/acme/stripe_api_key', 'acme-stripe')
      await putParameter(admin, '/tenants/globex/db', JSON.stringify({ password: 'globex-db' }))
      const store = track(
        createSecrets({ providers: { ssm: ssmParameterStore({ ...server, prefix: '/tenants/' }) } }),
      )
      expect(await store.tenant('acme').get('stripe_api_key')).toBe('acme-stripe')
      expect(await store.tenant('globex').get('db#password')).toBe('globex-db')
      await expect(store.tenant('globex').get('stripe_api_key')).rejects.toBeInstanceOf(SecretNotFoundError)
    })
  })

  let fixtureCount = 0
  describeProviderConformance('ssm (moto)', async () => {
    const { client } = ssmFor(server)
    const prefix = `/conformance-${++fixtureCount}/`
    return {
      provider: ssmParameterStore({ client, prefix }),
      write: async (path, value) => void (await putParameter(admin, prefix + path, value)),
      missingPath: 'not-there',
      cleanup: async () => client.destroy(),
    }
  })
})
