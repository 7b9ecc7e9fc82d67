import { mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  createSecrets,
  envProvider,
  fileProvider,
  SecretConfigError,
  SecretNotFoundError,
} from '../src/index.js'

describe('tenancy (seed 003 naming)', () => {
  const env = {
    DATIVO_ACME_STRIPE_API_KEY: 'acme-stripe',
    DATIVO_NESSIE_URI: 'global-nessie',
    DATIVO_GLOBEX_STRIPE_API_KEY: 'globex-stripe',
  }

  it('env: {PREFIX}{TENANT}_{NAME} upper-cased, then the global {PREFIX}{NAME}', async () => {
    const store = createSecrets({ providers: { env: envProvider({ prefix: 'DATIVO_', env }) } })
    expect(await store.tenant('acme').get('stripe_api_key')).toBe('acme-stripe')
    expect(await store.tenant('acme').get('nessie_uri')).toBe('global-nessie')
    expect(await store.tenant('globex').get('stripe_api_key')).toBe('globex-stripe')
    await expect(store.tenant('initech').get('stripe_api_key')).rejects.toThrow(SecretNotFoundError)
    await expect(store.tenant('initech').get('stripe_api_key')).rejects.toThrow(
      /looked in env:\/\/INITECH_STRIPE_API_KEY, env:\/\/STRIPE_API_KEY/,
    )
    await store.close()
  })

  it('file: {dir}/{tenant}/{name}.json|.env|.txt|.key, parsed, and tenants cannot see each other', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'secretkit-tenant-'))
    await mkdir(join(dir, 'acme'))
    await mkdir(join(dir, 'globex'))
    await writeFile(join(dir, 'acme', 'stripe.json'), JSON.stringify({ api_key: 'acme-key' }))
    await writeFile(join(dir, 'acme', 'postgres.env'), 'DB_PASSWORD=acme-db\n')
    await writeFile(join(dir, 'acme', 'api_key.txt'), 'acme-text\n')
    await writeFile(join(dir, 'globex', 'hubspot.json'), JSON.stringify({ token: 'globex-token' }))
    const store = createSecrets({ providers: { file: fileProvider({ dir }) } })
    const acme = store.tenant('acme')
    expect(await acme.get('stripe#api_key')).toBe('acme-key')
    expect(await acme.get('postgres#DB_PASSWORD')).toBe('acme-db')
    expect(await acme.get('api_key')).toBe('acme-text')
    await expect(acme.get('hubspot#token')).rejects.toThrow(SecretNotFoundError)
    await store.close()
  })

  it('tenancy providers are asked in order, falling through on not-found', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'secretkit-tenant-order-'))
    const store = createSecrets({
      providers: { file: fileProvider({ dir }), env: envProvider({ prefix: 'DATIVO_', env }) },
    })
    expect(await store.tenant('acme').get('stripe_api_key')).toBe('acme-stripe')
    await store.close()
  })

  it.each([
    ['acme/../globex', 'a slash and ..'],
    ['..', 'dot-dot'],
    ['acme\0', 'a NUL'],
    ['a/b', 'a slash'],
    ['a\\b', 'a backslash'],
    ['', 'empty'],
    ['acme..globex', 'an embedded ..'],
  ])('refuses tenant id %j (%s)', async (id) => {
    const store = createSecrets({ providers: { env: envProvider({ env }) } })
    expect(() => store.tenant(id)).toThrow(SecretConfigError)
    await store.close()
  })

  it('refuses secret names that could escape the tenant', async () => {
    const store = createSecrets({ providers: { env: envProvider({ env }) } })
    await expect(store.tenant('acme').get('../globex/stripe')).rejects.toThrow(SecretConfigError)
    await expect(store.tenant('acme').get('a\0b')).rejects.toThrow(SecretConfigError)
    await store.close()
  })
})

describe('tenant lookup()', () => {
  it('says which source answered and keeps the value redacted', async () => {
    const store = createSecrets({
      providers: {
        env: envProvider({ prefix: 'DATIVO_', env: { DATIVO_ACME_STRIPE_API_KEY: 'acme-stripe-key' } }),
      },
    })
    const found = await store.tenant('acme').lookup('stripe_api_key')
    expect(found).toMatchObject({ source: 'env://ACME_STRIPE_API_KEY', provider: 'env' })
    expect(String(found.value)).toBe('[redacted]')
    expect(JSON.stringify(found)).not.toContain('acme-stripe-key')
    expect(found.value.reveal()).toBe('acme-stripe-key')
    await store.close()
  })
})
