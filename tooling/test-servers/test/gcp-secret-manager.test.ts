import { Socket } from 'node:net'
import { SecretManagerServiceClient } from '@google-cloud/secret-manager'
import * as grpc from '@grpc/grpc-js'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { crc32c, type GcpSecretManagerServer, startGcpSecretManagerServer } from '../src/index.js'

describe('crc32c', () => {
  it('matches the standard check value', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283)
  })
})

describe('GCP Secret Manager gRPC server', () => {
  let server: GcpSecretManagerServer
  let client: SecretManagerServiceClient
  // Guard: record every TCP connect this process makes while the client is in use.
  const connectedHosts = new Set<string>()
  const originalConnect = Socket.prototype.connect
  const warnings: string[] = []
  const recordWarning = (warning: Error) => warnings.push(`${warning.name}: ${warning.message}`)
  const codeOf = (promise: Promise<unknown>) =>
    promise.then(
      () => 'resolved',
      (e: { code?: number }) => e.code,
    )

  beforeAll(async () => {
    process.on('warning', recordWarning)
    Socket.prototype.connect = function (this: Socket, ...args: unknown[]) {
      // net.connect() passes its normalized arguments as one array: [options, callback].
      const [first, second] = (Array.isArray(args[0]) ? args[0] : args) as [
        { host?: string; path?: string } | number,
        string | undefined,
      ]
      connectedHosts.add(
        typeof first === 'object' ? (first.host ?? first.path ?? 'localhost') : String(second),
      )
      return (originalConnect as (...a: unknown[]) => Socket).apply(this, args)
    } as typeof Socket.prototype.connect
    server = await startGcpSecretManagerServer()
    client = new SecretManagerServiceClient({
      apiEndpoint: server.host,
      port: server.port,
      sslCreds: grpc.credentials.createInsecure(), // plaintext, and google-gax then skips auth headers
      universeDomain: 'googleapis.com', // set explicitly, so google-auth never probes the GCE metadata server
    })
  })
  afterAll(async () => {
    await client?.close()
    await server?.stop()
    process.off('warning', recordWarning)
    Socket.prototype.connect = originalConnect
  })
  beforeEach(() => server.reset())

  it('creates a secret, adds versions, accesses latest and pinned with a correct crc32c', async () => {
    const parent = `projects/${server.projectId}`
    const [secret] = await client.createSecret({
      parent,
      secretId: 'db-password',
      secret: { replication: { automatic: {} }, labels: { team: 'a' } },
    })
    expect(secret.name).toBe(server.secretName('db-password'))
    const data = Buffer.from('s3cr3t-v1')
    const [v1] = await client.addSecretVersion({
      parent: secret.name,
      payload: { data, dataCrc32c: crc32c(data) },
    })
    expect([v1.name, v1.state, v1.clientSpecifiedPayloadChecksum]).toEqual([
      `${secret.name}/versions/1`,
      'ENABLED',
      true,
    ])
    await client.addSecretVersion({ parent: secret.name, payload: { data: Buffer.from('s3cr3t-v2') } })

    const [latest] = await client.accessSecretVersion({ name: `${secret.name}/versions/latest` })
    expect(latest.name).toBe(`${secret.name}/versions/2`)
    expect(Buffer.from(latest.payload!.data as Uint8Array).toString()).toBe('s3cr3t-v2')
    expect(Number(latest.payload!.dataCrc32c)).toBe(crc32c(Buffer.from('s3cr3t-v2')))

    const [pinned] = await client.accessSecretVersion({ name: `${secret.name}/versions/1` })
    expect(Buffer.from(pinned.payload!.data as Uint8Array).toString()).toBe('s3cr3t-v1')

    const [got] = await client.getSecret({ name: secret.name })
    expect(got.labels).toEqual({ team: 'a' })
    const [versions] = await client.listSecretVersions({ parent: secret.name })
    expect(versions.map((v) => v.name?.split('/').at(-1))).toEqual(['2', '1'])
    const [meta] = await client.getSecretVersion({ name: `${secret.name}/versions/latest` })
    expect(meta.name).toBe(`${secret.name}/versions/2`)
    expect(server.calls.count('AccessSecretVersion')).toBe(2)
  })

  it('uses the documented codes: ALREADY_EXISTS, NOT_FOUND, FAILED_PRECONDITION, INVALID_ARGUMENT', async () => {
    server.createSecret('api-key')
    const name = server.secretName('api-key')
    expect(
      await codeOf(
        client.createSecret({ parent: `projects/${server.projectId}`, secretId: 'api-key', secret: {} }),
      ),
    ).toBe(grpc.status.ALREADY_EXISTS)
    expect(
      await codeOf(client.accessSecretVersion({ name: server.secretName('nope') + '/versions/latest' })),
    ).toBe(grpc.status.NOT_FOUND)
    expect(await codeOf(client.accessSecretVersion({ name: `${name}/versions/latest` }))).toBe(
      grpc.status.NOT_FOUND,
    )

    const version = server.addVersion('api-key', 'k1')
    const [disabled] = await client.disableSecretVersion({ name: `${name}/versions/${version}` })
    expect(disabled.state).toBe('DISABLED')
    expect(await codeOf(client.accessSecretVersion({ name: `${name}/versions/latest` }))).toBe(
      grpc.status.FAILED_PRECONDITION,
    )
    await client.enableSecretVersion({ name: `${name}/versions/${version}` })
    await client.accessSecretVersion({ name: `${name}/versions/latest` })

    const [destroyed] = await client.destroySecretVersion({ name: `${name}/versions/${version}` })
    expect([destroyed.state, destroyed.destroyTime ? 'set' : 'unset']).toEqual(['DESTROYED', 'set'])
    expect(await codeOf(client.accessSecretVersion({ name: `${name}/versions/1` }))).toBe(
      grpc.status.FAILED_PRECONDITION,
    )

    const bad = client.addSecretVersion({ parent: name, payload: { data: Buffer.from('x'), dataCrc32c: 1 } })
    expect(await codeOf(bad)).toBe(grpc.status.INVALID_ARGUMENT)
    await client.deleteSecret({ name })
    expect(await codeOf(client.getSecret({ name }))).toBe(grpc.status.NOT_FOUND)
  })

  it('deny(secretId) answers PERMISSION_DENIED for that secret only', async () => {
    server.createSecret('private')
    server.addVersion('private', 'p')
    server.createSecret('public')
    server.addVersion('public', 'q')
    server.deny('private')
    const name = (id: string) => `${server.secretName(id)}/versions/latest`
    expect(await codeOf(client.accessSecretVersion({ name: name('private') }))).toBe(
      grpc.status.PERMISSION_DENIED,
    )
    expect(await codeOf(client.accessSecretVersion({ name: name('public') }))).toBe('resolved')
  })

  it('faults: UNAVAILABLE surfaces without retries, a single one is retried by the client', async () => {
    server.createSecret('flaky')
    server.addVersion('flaky', 'f')
    const name = `${server.secretName('flaky')}/versions/latest`
    server.fault({ kind: 'unavailable' })
    expect(await codeOf(client.accessSecretVersion({ name }, { retry: null }))).toBe(grpc.status.UNAVAILABLE)
    server.clearFaults()
    server.fault({ kind: 'resource-exhausted', times: 1 })
    expect(await codeOf(client.accessSecretVersion({ name }, { retry: null }))).toBe(
      grpc.status.RESOURCE_EXHAUSTED,
    )

    server.calls.reset()
    server.fault({ kind: 'unavailable', times: 1 })
    const [ok] = await client.accessSecretVersion({ name }) // default retry: 2 s initial backoff
    expect(Buffer.from(ok.payload!.data as Uint8Array).toString()).toBe('f')
    expect(server.calls.count('AccessSecretVersion')).toBe(2)

    server.fault({ kind: 'delay', delayMs: 200, times: 1 })
    const started = Date.now()
    await client.accessSecretVersion({ name })
    expect(Date.now() - started).toBeGreaterThanOrEqual(190)
  })

  it('never looked for Google credentials or the metadata server (no traffic off loopback)', () => {
    expect(warnings.filter((w) => /metadata|credential/i.test(w))).toEqual([])
    expect([...connectedHosts]).toEqual(['127.0.0.1'])
  })
})
