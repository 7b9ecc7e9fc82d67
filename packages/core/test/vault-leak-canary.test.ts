import { mkdtemp, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type OpenBaoServer, openBaoAvailability, startOpenBao } from '@secretkit/test-servers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createSecrets,
  ProviderUnavailableError,
  SecretAccessDeniedError,
  type SecretErrorEvent,
  SecretsLoadError,
} from '../src/index.js'
import { type VaultProviderOptions, vaultProvider } from '../src/providers/vault.js'
import { CANARY } from './support/fixtures.js'
import { captureOutput, render } from './support/leak.js'
import { BaoAdmin } from './support/openbao-admin.js'

// node-vault's debug output prints request bodies (login credentials) when DEBUG names it:
// turn it on, to prove the provider keeps it silent.
const nodeVaultRequire = createRequire(createRequire(import.meta.url).resolve('node-vault'))
;(nodeVaultRequire('debug') as { enable(namespaces: string): void }).enable('node-vault')

const bao = openBaoAvailability()

describe.skipIf(!bao.available)(`vault provider leak canary ${bao.reason}`, () => {
  let server: OpenBaoServer
  let admin: BaoAdmin
  const captured: string[] = []

  beforeAll(async () => {
    server = await startOpenBao()
    admin = new BaoAdmin(server)
    await admin.kv2('app/db', { password: CANARY })
    await admin.kv2('forbidden/x', { password: CANARY })
    await admin.policy('app-read', 'path "secret/data/app/*" { capabilities = ["read"] }')
    await admin.appRole('app', { token_policies: 'app-read' })
  })
  afterAll(async () => {
    await server?.stop()
  })

  it('no Vault error path, event, log line or debug output carries a value or a credential', async () => {
    // Spies live in the test: the shared vitest preset restores mocks before each test.
    captureOutput(captured)
    const jwtFile = join(await mkdtemp(join(tmpdir(), 'secretkit-vault-jwt-')), 'token')
    await writeFile(jwtFile, CANARY)
    const { roleId } = await admin.appRole('app', { token_policies: 'app-read' })
    const base: VaultProviderOptions = { url: server.address, token: server.rootToken }
    const approle = { ...base, token: undefined }
    const store = createSecrets({
      providers: {
        root: vaultProvider(base),
        app: vaultProvider({ ...approle, auth: { method: 'approle', roleId, secretId: CANARY } }),
        k8s: vaultProvider({ ...approle, auth: { method: 'kubernetes', role: 'app', jwtPath: jwtFile } }),
        jwt: vaultProvider({ ...approle, auth: { method: 'jwt', role: 'app', jwt: CANARY } }),
        badToken: vaultProvider({ ...base, token: CANARY }),
        limited: vaultProvider({ ...base, token: await admin.token({ policies: ['app-read'] }) }),
      },
      secrets: {
        good: 'root://app/db#password',
        denied: 'limited://forbidden/x#password',
        missing: 'root://app/missing',
        missingVersion: 'root://app/db?version=7',
        badVersion: 'root://app/db?version=latest',
        approleLogin: 'app://app/db',
        k8sLogin: 'k8s://app/db',
        jwtLogin: 'jwt://app/db',
        badToken: 'badToken://app/db',
      },
      cache: { ttl: '300ms', staleIfError: '1h' },
      retry: { attempts: 2, baseDelay: '10ms' },
    })
    const events: SecretErrorEvent[] = []
    store.on('error', (event) => events.push(event))

    const loadError = await store.load().catch((error: unknown) => error)
    expect(loadError).toBeInstanceOf(SecretsLoadError)
    const failures = (loadError as SecretsLoadError).failures
    expect(failures.map((failure) => failure.name).sort()).toEqual(
      [
        'approleLogin',
        'badToken',
        'badVersion',
        'denied',
        'jwtLogin',
        'k8sLogin',
        'missing',
        'missingVersion',
      ].sort(),
    )
    expect(
      (loadError as SecretsLoadError).errors.find((error) => error.secretName === 'denied'),
    ).toBeInstanceOf(SecretAccessDeniedError)
    expect(store.get('good')).toBe(CANARY)

    // Sealed: 503 from a live server.
    await admin.call('PUT', 'sys/seal')
    const sealed = await store.refresh('good').catch((error: unknown) => error)
    expect(sealed).toBeInstanceOf(ProviderUnavailableError)
    expect(sealed).toMatchObject({ retryable: true })
    expect((sealed as Error).message).toContain('503')

    // Down: connection refused.
    await server.stop()
    const down = await store.refresh('good').catch((error: unknown) => error)
    expect(down).toBeInstanceOf(ProviderUnavailableError)
    expect((down as Error).message).toContain('ECONNREFUSED')
    const adHoc = await store.resolve('root://app/other').catch((error: unknown) => error)
    expect(adHoc).toBeInstanceOf(ProviderUnavailableError)
    await new Promise((resolve) => setTimeout(resolve, 1_500))
    expect(events.length).toBeGreaterThan(0)
    expect(store.get('good')).toBe(CANARY)

    for (const item of [loadError, sealed, down, adHoc, events, store.status(), store]) {
      expect(render(item)).not.toContain(CANARY)
    }
    expect(captured.join('\n')).not.toContain(CANARY)
    await store.close()
  }, 20_000)
})
