import { SecretManagerServiceClient } from '@google-cloud/secret-manager'
import {
  type AzureKeyVaultServer,
  type GcpSecretManagerServer,
  startAzureKeyVaultServer,
  startGcpSecretManagerServer,
} from '@secretkit/test-servers'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { z } from 'zod'
import { createSecrets, SecretkitError, type SecretProvider, SecretsLoadError } from '../src/index.js'
import { azureKeyVault } from '../src/providers/azure.js'
import { gcpSecretManager } from '../src/providers/gcp.js'
import { azureClientOptions, FixedTokenCredential, gcpClientOptions } from './support/cloud.js'
import { CANARY } from './support/fixtures.js'
import { captureOutput, render } from './support/leak.js'

/** Every error in what was seen: thrown ones, those inside a load error, those in events. */
function errorsIn(seen: unknown[]): SecretkitError[] {
  const all: SecretkitError[] = []
  for (const item of seen) {
    const error = item instanceof SecretkitError ? item : (item as { error?: unknown } | null)?.error
    if (!(error instanceof SecretkitError)) continue
    all.push(error)
    if (error instanceof SecretsLoadError) all.push(...error.errors)
  }
  return all
}

/** Proves each path was driven: one fragment per path must appear in some error message. */
function expectPathsDriven(seen: unknown[], fragments: RegExp[]): void {
  const messages = errorsIn(seen).map((error) => error.message)
  for (const fragment of fragments)
    expect(
      messages.some((m) => fragment.test(m)),
      String(fragment),
    ).toBe(true)
}

const fast = { attempts: 2, baseDelay: 1, maxDelay: 2 }
const JSON_CANARY = JSON.stringify({ password: CANARY })

/**
 * Drives every error path of one cloud provider with the canary stored upstream, and
 * returns every error and event seen, for the caller to search.
 */
async function driveErrorPaths(
  provider: () => SecretProvider,
  peer: {
    write(name: string, value: string): void
    disable(name: string): void
    deny(name: string): void
    outage(): void
    throttle(): void
    heal(): void
  },
  extra: Array<() => Promise<unknown>> = [],
): Promise<unknown[]> {
  const seen: unknown[] = []
  const caught = (promise: Promise<unknown>) =>
    promise.then(
      (value) => seen.push(typeof value === 'string' ? `resolved(${value.length})` : 'resolved'),
      (error: unknown) => seen.push(error),
    )
  peer.write('canary', CANARY)
  peer.write('canary-json', JSON_CANARY)
  peer.write('canary-disabled', CANARY)
  peer.disable('canary-disabled')
  peer.write('canary-denied', CANARY)
  peer.deny('canary-denied')

  const store = createSecrets({
    providers: { cloud: provider() },
    secrets: {
      canary: 'cloud://canary',
      canaryField: 'cloud://canary-json#password',
      asNumber: { from: 'cloud://canary', schema: z.coerce.number() },
      missingField: 'cloud://canary-json#nope',
      notJson: 'cloud://canary#password',
      disabled: 'cloud://canary-disabled',
      denied: 'cloud://canary-denied',
      missing: 'cloud://not-there',
    },
    cache: { ttl: 30, staleWhileRevalidate: 0, staleIfError: '1h', refresh: 'lazy' },
    retry: fast,
  })
  store.on('error', (event) => seen.push(event))
  store.on('change', (event) => seen.push(event))
  await caught(store.load())
  seen.push(store.status(), store, store.scrub(`log line with ${CANARY} inside`))

  // Upstream failing: refresh errors, error events, stale-if-error.
  peer.outage()
  await caught(store.refresh('canary'))
  await caught(store.refresh())
  await new Promise((resolve) => setTimeout(resolve, 40))
  await caught(store.resolve('cloud://canary'))
  peer.heal()
  peer.throttle()
  await caught(store.refresh('canaryField'))
  peer.heal()
  for (const run of extra) await caught(run())
  await store.close()
  await caught(store.resolve('cloud://canary'))
  return seen
}

describe('leak canary: GCP and Azure error paths', () => {
  const captured: string[] = []
  let gcp: GcpSecretManagerServer
  let azure: AzureKeyVaultServer

  beforeAll(async () => {
    ;[gcp, azure] = await Promise.all([startGcpSecretManagerServer(), startAzureKeyVaultServer()])
  })
  afterAll(async () => {
    await Promise.all([gcp?.stop(), azure?.stop()])
  })
  beforeEach(() => {
    captured.length = 0
    captureOutput(captured)
  })
  afterEach(() => {
    vi.restoreAllMocks()
    expect(captured.join('\n')).not.toContain(CANARY)
  })

  it('gcp: not-found, denied, disabled, field, schema, outage, throttling, checksum, closed', async () => {
    gcp.reset()
    const client = new SecretManagerServiceClient(gcpClientOptions(gcp))
    const corrupting = new Proxy(client, {
      get(target, property, receiver) {
        if (property !== 'accessSecretVersion') return Reflect.get(target, property, receiver)
        return async (request: object, options?: object) => {
          const [response, ...rest] = await target.accessSecretVersion(request, options)
          response.payload!.dataCrc32c = Number(response.payload!.dataCrc32c) ^ 1
          return [response, ...rest]
        }
      },
    })
    const seen = await driveErrorPaths(
      () => gcpSecretManager({ projectId: gcp.projectId, clientOptions: gcpClientOptions(gcp) }),
      {
        write: (name, value) => {
          try {
            gcp.createSecret(name)
          } catch {
            // exists
          }
          gcp.addVersion(name, value)
        },
        disable: (name) => gcp.disableVersion(name, '1'),
        deny: (name) => gcp.deny(name),
        outage: () => gcp.fault({ kind: 'internal' }),
        throttle: () => gcp.fault({ kind: 'resource-exhausted' }),
        heal: () => gcp.clearFaults(),
      },
      [
        () =>
          createSecrets({
            providers: { gcp: gcpSecretManager({ projectId: gcp.projectId, client: corrupting }) },
            retry: fast,
          }).resolve('gcp://canary'),
      ],
    )
    expectPathsDriven(seen, [
      /NOT_FOUND/,
      /PERMISSION_DENIED/,
      /disabled or destroyed/,
      /no field "nope"/,
      /not a JSON object/,
      /does not match its schema/,
      /INTERNAL/,
      /RESOURCE_EXHAUSTED/,
      /CRC-32C/,
      /closed/,
    ])
    for (const item of seen) expect(render(item)).not.toContain(CANARY)
    await client.close()
  })

  it('azure: not-found, forbidden, disabled, field, schema, 5xx, 429, refused token, closed', async () => {
    azure.reset()
    const strict = await startAzureKeyVaultServer({ acceptToken: 'the-right-token' })
    strict.setSecret('canary', CANARY)
    const credential = new FixedTokenCredential()
    const provider = () =>
      azureKeyVault({ vaultUrl: azure.vaultUrl, credential, clientOptions: azureClientOptions(azure) })
    const seen = await driveErrorPaths(
      provider,
      {
        write: (name, value) => void azure.setSecret(name, value),
        disable: (name) => {
          const version = azure.setSecret(name, CANARY)
          azure.setVersionEnabled(name, version, false)
        },
        // The test server's 403 is a server-wide fault: driven as an extra path below.
        deny: () => {},
        outage: () => azure.fault({ kind: 'server-error' }),
        throttle: () => azure.fault({ kind: 'throttle', retryAfterSeconds: 0 }),
        heal: () => azure.clearFaults(),
      },
      [
        async () => {
          azure.fault({ kind: 'forbidden' })
          try {
            return await createSecrets({ providers: { azure: provider() } }).resolve('azure://canary')
          } finally {
            azure.clearFaults()
          }
        },
        () =>
          createSecrets({
            providers: {
              azure: azureKeyVault({
                vaultUrl: strict.vaultUrl,
                credential: new FixedTokenCredential('a-wrong-token'),
                clientOptions: azureClientOptions(strict),
              }),
            },
          }).resolve('azure://canary'),
      ],
    )
    await strict.stop()
    expectPathsDriven(seen, [
      /HTTP 404/,
      /denied \(HTTP 403 Forbidden\)/,
      /is disabled/,
      /no field "nope"/,
      /not a JSON object/,
      /does not match its schema/,
      /HTTP 500/,
      /HTTP 429/,
      /HTTP 401/,
      /closed/,
    ])
    for (const item of seen) expect(render(item)).not.toContain(CANARY)
  })
})
