import {
  type OpenBaoServer,
  openBaoAvailability,
  type RedisServer,
  redisAvailability,
  redisCommand,
  startOpenBao,
  startRedis,
} from '@secretkit/test-servers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSecrets, type SecretChangeEvent, type SecretErrorEvent } from '../src/index.js'
import { vaultProvider } from '../src/providers/vault.js'
import { BaoAdmin, startCountingProxy } from './support/openbao-admin.js'

const bao = openBaoAvailability()
const redis = redisAvailability()

/** Polls `check` every `every` ms, at most `rounds` times; bounded, never spins. */
async function eventually(check: () => boolean | Promise<boolean>, rounds = 100, every = 100): Promise<void> {
  for (let round = 0; round < rounds; round++) {
    if (await check()) return
    await sleep(every)
  }
  throw new Error(`condition not met after ${rounds * every}ms`)
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe.skipIf(!bao.available)(`vault provider lifecycle against OpenBao ${bao.reason}`, () => {
  let server: OpenBaoServer
  let admin: BaoAdmin
  let proxy: Awaited<ReturnType<typeof startCountingProxy>>

  beforeAll(async () => {
    server = await startOpenBao()
    admin = new BaoAdmin(server)
    proxy = await startCountingProxy(server.address)
    await admin.kv2('app/db', { password: 'pw-one' })
    await admin.policy('app-read', 'path "secret/data/app/*" { capabilities = ["read"] }')
  })
  afterAll(async () => {
    await proxy?.close()
    await server?.stop()
  })

  it('renews a short-TTL token before it expires while reads go on past the TTL', async () => {
    const token = await admin.token({
      policies: ['app-read'],
      ttl: '3s',
      explicit_max_ttl: '60s',
      renewable: true,
      no_default_policy: false,
    })
    const vault = vaultProvider({ url: proxy.address, token })
    const store = createSecrets({
      providers: { vault },
      secrets: { db: 'vault://app/db#password' },
      cache: { ttl: '500ms' },
    })
    await store.load()
    const renewalsBefore = proxy.count('auth/token/renew-self')
    // 7 s of upstream reads with a token whose TTL is 3 s.
    for (let round = 0; round < 14; round++) {
      await store.refresh('db')
      expect(store.get('db')).toBe('pw-one')
      await sleep(500)
    }
    expect(await admin.tokenTtl(token)).toBeGreaterThan(0)
    expect(proxy.count('auth/token/renew-self')).toBeGreaterThanOrEqual(renewalsBefore + 2)
    await store.close()
  }, 20_000)

  it('logs in again with AppRole when the token reaches its max TTL', async () => {
    const appRole = await admin.appRole('short', {
      token_policies: 'app-read',
      token_ttl: '2s',
      token_max_ttl: '4s',
    })
    const vault = vaultProvider({ url: proxy.address, auth: { method: 'approle', ...appRole } })
    const store = createSecrets({
      providers: { vault },
      secrets: { db: 'vault://app/db#password' },
      cache: { ttl: '500ms' },
    })
    const loginsBefore = proxy.count('auth/approle/login')
    await store.load()
    for (let round = 0; round < 18; round++) {
      await store.refresh('db')
      expect(store.get('db')).toBe('pw-one')
      await sleep(500)
    }
    // 9 s of reads on tokens that live at most 4 s: at least two more logins, renewals between them.
    expect(proxy.count('auth/approle/login')).toBeGreaterThanOrEqual(loginsBefore + 3)
    await store.close()
  }, 20_000)

  it('picks up a new KV v2 version by background refresh with exactly one change event', async () => {
    await admin.kv2('app/rotating', { password: 'before' })
    const store = createSecrets({
      providers: { vault: vaultProvider({ url: server.address, token: server.rootToken }) },
      secrets: { rotating: 'vault://app/rotating#password' },
      cache: { ttl: '400ms' },
    })
    const changes: SecretChangeEvent[] = []
    store.on('change', (event) => changes.push(event))
    await store.load()
    expect(store.get('rotating')).toBe('before')
    await admin.kv2('app/rotating', { password: 'after' })
    await eventually(() => store.get('rotating') === 'after')
    await sleep(1_200) // three more refresh rounds: the same version must not count again
    expect(changes).toHaveLength(1)
    expect(changes[0]).toMatchObject({ name: 'rotating', version: '2', previousVersion: '1' })
    expect(JSON.stringify(changes)).not.toContain('after')
    await store.close()
  }, 20_000)
})

describe.skipIf(!bao.available)(`vault provider stale-if-error against OpenBao ${bao.reason}`, () => {
  let server: OpenBaoServer
  beforeAll(async () => {
    server = await startOpenBao()
  })
  afterAll(() => server?.stop())

  it('serves the last good value while the server is down, emits error, and recovers', async () => {
    const admin = new BaoAdmin(server)
    await admin.kv2('app/db', { password: 'kept' })
    const store = createSecrets({
      providers: { vault: vaultProvider({ url: server.address, token: server.rootToken }) },
      secrets: { db: 'vault://app/db#password' },
      cache: { ttl: '300ms', staleWhileRevalidate: '100ms', staleIfError: '1h' },
      retry: { attempts: 2, baseDelay: '10ms' },
    })
    const errors: SecretErrorEvent[] = []
    store.on('error', (event) => errors.push(event))
    await store.load()

    await server.stop()
    await eventually(() => errors.length > 0)
    expect(errors[0]).toMatchObject({ name: 'db', code: 'PROVIDER_UNAVAILABLE', servingStale: true })
    expect(store.get('db')).toBe('kept')
    await sleep(500)
    expect(store.get('db')).toBe('kept')

    await server.restart()
    // The dev server comes back empty: seed the secret again before expecting recovery.
    await admin.kv2('app/db', { password: 'kept' })
    await eventually(() => store.status()[0]?.state === 'fresh', 60)
    expect(store.status()[0]).toMatchObject({ state: 'fresh', errorCode: undefined })
    expect(store.get('db')).toBe('kept')
    expect(JSON.stringify(errors.map((event) => ({ ...event, error: event.error.toJSON() })))).not.toContain(
      'kept',
    )
    await store.close()
  }, 20_000)
})

describe.skipIf(!bao.available || !redis.available)(
  `vault provider dynamic secrets (database engine on redis) ${bao.reason}${redis.reason}`,
  () => {
    let server: OpenBaoServer
    let redisServer: RedisServer
    let proxy: Awaited<ReturnType<typeof startCountingProxy>>
    beforeAll(async () => {
      server = await startOpenBao()
      proxy = await startCountingProxy(server.address)
      redisServer = await startRedis()
      await redisCommand(redisServer.port, 'CONFIG SET requirepass redis-admin-pw')
      const admin = new BaoAdmin(server)
      await admin.call('POST', 'sys/mounts/database', { type: 'database' })
      await admin.call('POST', 'database/config/redis', {
        plugin_name: 'redis-database-plugin',
        host: '127.0.0.1',
        port: redisServer.port,
        username: 'default',
        password: 'redis-admin-pw',
        tls: false,
        allowed_roles: 'app',
      })
      await admin.call('POST', 'database/roles/app', {
        db_name: 'redis',
        creation_statements: '["+@read"]',
        default_ttl: '4s',
        max_ttl: '12s',
      })
    })
    afterAll(async () => {
      await proxy?.close()
      await server?.stop()
      await redisServer?.stop()
    })

    it('renews the lease before expiry, then reads new credentials once it cannot (one change event)', async () => {
      const store = createSecrets({
        providers: { vault: vaultProvider({ url: proxy.address, token: server.rootToken }) },
        secrets: { username: 'vault:///database/creds/app#username' },
        cache: { ttl: '1h' },
      })
      const changes: SecretChangeEvent[] = []
      store.on('change', (event) => changes.push(event))
      await store.load()
      const first = store.get('username')
      // The password comes from the same cached lease (one entry, one upstream read).
      const auth = async () =>
        redisCommand(
          redisServer.port,
          `AUTH ${store.get('username')} ${await store.resolve('vault:///database/creds/app#password')}`,
        )
      expect(await auth()).toBe('+OK')
      // Past the 4 s lease: still the same credentials, renewed, still accepted by redis.
      await sleep(6_000)
      expect(store.get('username')).toBe(first)
      expect(changes).toHaveLength(0)
      expect(await auth()).toBe('+OK')
      expect(proxy.count('sys/leases/renew')).toBeGreaterThanOrEqual(1)
      expect(proxy.count('database/creds/app')).toBe(1)
      // The 12 s max TTL ends renewal: new credentials are read, and one change event follows.
      await eventually(() => changes.length > 0, 100)
      expect(store.get('username')).not.toBe(first)
      expect(proxy.count('database/creds/app')).toBe(2)
      expect(changes).toHaveLength(1)
      expect(changes[0]?.name).toBe('username')
      expect(await auth()).toBe('+OK')
      await store.close()
    }, 30_000)
  },
)
