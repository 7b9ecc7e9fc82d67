import { generateKeyPairSync, sign } from 'node:crypto'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type OpenBaoServer, openBaoAvailability, startOpenBao } from '@secretkit/test-servers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createSecrets,
  SecretAccessDeniedError,
  SecretConfigError,
  SecretNotFoundError,
  type SecretProvider,
} from '../src/index.js'
import { vaultProvider } from '../src/providers/vault.js'
import { describeProviderConformance } from './support/conformance.js'
import { BaoAdmin } from './support/openbao-admin.js'

const bao = openBaoAvailability()
const signal = new AbortController().signal

const APP_POLICY = `
path "secret/data/app/*" { capabilities = ["read"] }
path "secret/data/acme" { capabilities = ["read"] }
path "kv1/*" { capabilities = ["read"] }
`

describe.skipIf(!bao.available)(`vault provider against OpenBao ${bao.reason}`, () => {
  let server: OpenBaoServer
  let admin: BaoAdmin
  let appRole: { roleId: string; secretId: string }
  const providers: SecretProvider[] = []
  const provider = (options: Parameters<typeof vaultProvider>[0] = {}) => {
    const created = vaultProvider({ url: server.address, token: server.rootToken, ...options })
    providers.push(created)
    return created
  }

  beforeAll(async () => {
    server = await startOpenBao()
    admin = new BaoAdmin(server)
    await admin.mount('kv1', 'kv', { version: '1' })
    await admin.kv2('app/db', { user: 'app', password: 'pw-one' })
    await admin.kv2('app/db', { user: 'app', password: 'pw-two' })
    await admin.kv2('app/token', { value: 'plain-token' })
    await admin.kv2('app/config', { limits: { rps: 10 }, enabled: true })
    await admin.kv2('acme', { stripe_api_key: 'sk_acme' })
    await admin.kv2('forbidden/x', { password: 'not-for-app' })
    await admin.kv1('legacy', { api_key: 'legacy-key' })
    await admin.policy('app-read', APP_POLICY)
    appRole = await admin.appRole('app', {
      token_policies: 'app-read',
      token_ttl: '60s',
      token_max_ttl: '120s',
    })
  })
  afterAll(async () => {
    for (const created of providers) await created.close?.()
    await server?.stop()
  })

  it('reads KV v2 latest and a pinned version; the KV map is the fields, the value its JSON', async () => {
    const vault = provider()
    const latest = await vault.get({ path: 'app/db' }, { signal })
    expect(latest.version).toBe('2')
    expect(latest.fields).toEqual({ user: 'app', password: 'pw-two' })
    expect(JSON.parse(latest.value as string)).toEqual({ user: 'app', password: 'pw-two' })
    const pinned = await vault.get({ path: 'app/db', version: '1' }, { signal })
    expect(pinned.version).toBe('1')
    expect(pinned.fields?.password).toBe('pw-one')
  })

  it('resolves #field, whole `value`-only secrets and nested JSON through the store', async () => {
    const store = createSecrets({ providers: { vault: provider() } })
    expect(await store.resolve('vault://app/db#password')).toBe('pw-two')
    expect(await store.resolve('vault://app/db?version=1#password')).toBe('pw-one')
    expect(await store.resolve('vault://app/token')).toBe('plain-token')
    expect(await store.resolve('vault://app/config#limits')).toBe('{"rps":10}')
    expect(await store.resolve('vault://app/config#enabled')).toBe('true')
    await store.close()
  })

  it('reads KV v1, detecting the engine version from the mount', async () => {
    const store = createSecrets({ providers: { legacy: provider({ mountPoint: 'kv1' }) } })
    expect(await store.resolve('legacy://legacy#api_key')).toBe('legacy-key')
    const pinned = await store.resolve('legacy://legacy?version=1#api_key').catch((error) => error)
    expect(pinned).toBeInstanceOf(SecretConfigError)
    await store.close()
  })

  it('honours an explicit kvVersion and a prefix', async () => {
    const vault = provider({ kvVersion: 2, prefix: 'app/' })
    expect((await vault.get({ path: 'db' }, { signal })).fields?.user).toBe('app')
  })

  it('reads a tenant secret from {mount}/data/{tenant} with the name as key', async () => {
    const store = createSecrets({ providers: { vault: provider() } })
    expect(await store.tenant('acme').get('stripe_api_key')).toBe('sk_acme')
    await expect(store.tenant('globex').get('stripe_api_key')).rejects.toBeInstanceOf(SecretNotFoundError)
    await store.close()
  })

  it('logs in with AppRole, detects the KV version with a limited token, and reads', async () => {
    const vault = provider({ token: undefined, auth: { method: 'approle', ...appRole } })
    const store = createSecrets({ providers: { vault } })
    expect(await store.resolve('vault://app/db#user')).toBe('app')
    expect(await store.tenant('acme').get('stripe_api_key')).toBe('sk_acme')
    const legacy = provider({ token: undefined, mountPoint: 'kv1', auth: { method: 'approle', ...appRole } })
    expect((await legacy.get({ path: 'legacy' }, { signal })).fields?.api_key).toBe('legacy-key')
    await store.close()
  })

  it('logs in with a JWT read from a file (jwt auth with a validation key)', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    await admin.call('POST', 'sys/auth/jwt', { type: 'jwt' })
    await admin.call('POST', 'auth/jwt/config', {
      jwt_validation_pubkeys: [publicKey.export({ type: 'spki', format: 'pem' })],
    })
    await admin.call('POST', 'auth/jwt/role/app', {
      role_type: 'jwt',
      user_claim: 'sub',
      bound_audiences: ['secretkit'],
      token_policies: ['app-read'],
      token_ttl: '60s',
    })
    const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url')
    const now = Math.floor(Date.now() / 1000)
    const unsigned = `${encode({ alg: 'ES256', typ: 'JWT' })}.${encode({ sub: 'svc', aud: 'secretkit', iat: now, exp: now + 300 })}`
    const signature = sign('sha256', Buffer.from(unsigned), { key: privateKey, dsaEncoding: 'ieee-p1363' })
    const jwtPath = join(await mkdtemp(join(tmpdir(), 'secretkit-vault-jwt-')), 'token')
    await writeFile(jwtPath, `${unsigned}.${signature.toString('base64url')}\n`)
    const vault = provider({ token: undefined, auth: { method: 'jwt', role: 'app', jwtPath } })
    expect((await vault.get({ path: 'app/db' }, { signal })).fields?.user).toBe('app')
  })

  it('a policy-denied path is SecretAccessDeniedError naming the path, never the value', async () => {
    const vault = provider({ token: undefined, auth: { method: 'approle', ...appRole } })
    const error = await vault.get({ path: 'forbidden/x' }, { signal }).catch((caught) => caught)
    expect(error).toBeInstanceOf(SecretAccessDeniedError)
    expect(error.message).toContain('secret/data/forbidden/x')
    expect(error.message).toMatch(/policy/)
    expect(error.message).not.toContain('not-for-app')
    expect(error.cause).toBeUndefined()
  })

  it('maps a missing secret, a missing pinned version and a bad token to typed errors', async () => {
    const vault = provider()
    await expect(vault.get({ path: 'app/nope' }, { signal })).rejects.toBeInstanceOf(SecretNotFoundError)
    await expect(vault.get({ path: 'app/db', version: '9' }, { signal })).rejects.toBeInstanceOf(
      SecretNotFoundError,
    )
    await expect(vault.get({ path: 'app/db', version: 'latest' }, { signal })).rejects.toBeInstanceOf(
      SecretConfigError,
    )
    await expect(vault.get({ path: 'app/../forbidden/x' }, { signal })).rejects.toBeInstanceOf(
      SecretConfigError,
    )
    const badToken = provider({ token: 'not-a-real-token', kvVersion: 2 })
    await expect(badToken.get({ path: 'app/db' }, { signal })).rejects.toBeInstanceOf(SecretAccessDeniedError)
    const wrongLogin = provider({
      token: undefined,
      auth: { method: 'approle', roleId: appRole.roleId, secretId: 'wrong' },
    })
    await expect(wrongLogin.get({ path: 'app/db' }, { signal })).rejects.toBeInstanceOf(
      SecretAccessDeniedError,
    )
  })

  it('reads an absolute API path raw (a leading "/"), e.g. another engine', async () => {
    const vault = provider()
    const result = await vault.get({ path: '/kv1/legacy' }, { signal })
    expect(result.fields).toEqual({ api_key: 'legacy-key' })
    // KV v1 has no leases: no expiry, no version.
    expect(result.expiresAt).toBeUndefined()
  })

  it('sends the namespace header: a namespaced mount is read only with it', async () => {
    // OpenBao 2.x supports namespaces on the dev server.
    await admin.call('POST', 'sys/namespaces/team-a', {})
    await admin.mount('secret', 'kv', { version: '2' }, 'team-a')
    await admin.kv2('app/db', { password: 'team-a-pw' }, 'secret', 'team-a')
    const inNamespace = provider({ namespace: 'team-a' })
    expect((await inNamespace.get({ path: 'app/db' }, { signal })).fields?.password).toBe('team-a-pw')
    expect((await provider().get({ path: 'app/db' }, { signal })).fields?.password).toBe('pw-two')
    // An unknown namespace reads as missing, and the hint says to check it.
    const missing = provider({ namespace: 'team-b', kvVersion: 2 })
    const error = await missing.get({ path: 'app/db' }, { signal }).catch((caught) => caught)
    expect(error).toBeInstanceOf(SecretNotFoundError)
    expect(error.message).toContain('namespace "team-b"')
  })

  describeProviderConformance('vault (OpenBao KV v2)', async () => {
    const vault = provider()
    return {
      provider: vault,
      write: async (path, value) => {
        await admin.kv2(path, { value })
      },
      missingPath: 'conformance/not-there',
    }
  })
})
