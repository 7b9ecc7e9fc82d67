import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import * as grpc from '@grpc/grpc-js'
import * as protoLoader from '@grpc/proto-loader'
import { CallCounter, type FaultRule, FaultSwitchboard } from './fault-injection.js'
import { GcpSecretStore, GrpcStatusError } from './gcp-secret-manager-store.js'

/** `unavailable` UNAVAILABLE, `resource-exhausted` RESOURCE_EXHAUSTED, `internal` INTERNAL, `delay`. */
export type GcpFaultKind = 'unavailable' | 'resource-exhausted' | 'internal' | 'delay'

export interface GcpSecretManagerServer {
  /** Use as `apiEndpoint: host, port` with `sslCreds: grpc.credentials.createInsecure()`. */
  readonly host: '127.0.0.1'
  readonly port: number
  readonly projectId: string
  /** `projects/<projectId>/secrets/<secretId>` */
  secretName(secretId: string): string
  // Admin API (server-side, bypasses faults, deny rules and counters).
  createSecret(secretId: string, labels?: Record<string, string>): void
  /** Adds a version and returns its id ("1", "2", …). */
  addVersion(secretId: string, data: string | Uint8Array): string
  disableVersion(secretId: string, version: string): void
  enableVersion(secretId: string, version: string): void
  destroyVersion(secretId: string, version: string): void
  /** Every RPC on this secret (and its versions) answers PERMISSION_DENIED until `allow()`. */
  deny(secretId: string): void
  allow(secretId: string): void
  /** Injects a fault for the next `times` RPCs (or always); `operations` are method names. */
  fault(rule: FaultRule<GcpFaultKind>): void
  clearFaults(): void
  /** RPCs per method (`AccessSecretVersion`, …), faulted and denied ones included. */
  readonly calls: CallCounter
  /** Clears data, faults, deny rules and counters. */
  reset(): void
  stop(): Promise<void>
}

const SERVICE = 'google.cloud.secretmanager.v1.SecretManagerService'

/** Loads service.proto shipped in @google-cloud/secret-manager; common protos from its google-gax. */
function loadService(): grpc.ServiceDefinition {
  const require = createRequire(import.meta.url)
  const smPackageJson = require.resolve('@google-cloud/secret-manager/package.json')
  const smProtos = join(dirname(smPackageJson), 'build/protos')
  const gaxMain = createRequire(smPackageJson).resolve('google-gax') // …/google-gax/build/src/index.js
  const gaxProtos = join(dirname(gaxMain), '../protos')
  const definition = protoLoader.loadSync('google/cloud/secretmanager/v1/service.proto', {
    includeDirs: [smProtos, gaxProtos],
    keepCase: false,
    longs: String,
    enums: String,
    defaults: false,
    oneofs: true,
  })
  return definition[SERVICE] as grpc.ServiceDefinition
}

type Request = Record<string, any>
type Handler = (request: Request) => unknown

/** A stateful gRPC Secret Manager v1 server on a free loopback port (plaintext, no auth). */
export async function startGcpSecretManagerServer(
  options: { projectId?: string } = {},
): Promise<GcpSecretManagerServer> {
  const projectId = options.projectId ?? 'secretkit-test'
  const store = new GcpSecretStore()
  const faults = new FaultSwitchboard<GcpFaultKind>()
  const calls = new CallCounter()
  const denied = new Set<string>()
  const secretName = (secretId: string) => `projects/${projectId}/secrets/${secretId}`
  const versionName = (secretId: string, version: string) => `${secretName(secretId)}/versions/${version}`

  const handlers: Record<string, Handler> = {
    CreateSecret: (r) => store.createSecret(r.parent, r.secretId, r.secret?.labels ?? {}),
    GetSecret: (r) => store.getSecret(r.name),
    DeleteSecret: (r) => {
      store.deleteSecret(r.name)
      return {} // google.protobuf.Empty
    },
    AddSecretVersion: (r) =>
      store.addVersion(r.parent, Buffer.from(r.payload?.data ?? []), r.payload?.dataCrc32c),
    GetSecretVersion: (r) => store.getVersion(r.name),
    AccessSecretVersion: (r) => store.access(r.name),
    ListSecretVersions: (r) => store.listVersions(r.parent, r.pageSize ?? 0, r.pageToken ?? ''),
    DisableSecretVersion: (r) => store.setState(r.name, 'DISABLED'),
    EnableSecretVersion: (r) => store.setState(r.name, 'ENABLED'),
    DestroySecretVersion: (r) => store.setState(r.name, 'DESTROYED'),
  }

  const unary =
    (method: string, handler: Handler): grpc.handleUnaryCall<Request, unknown> =>
    (call, callback) => {
      calls.record(method)
      const respond = async () => {
        const fault = faults.take(method)
        if (fault?.delayMs) await sleep(fault.delayMs)
        if (fault?.kind === 'unavailable')
          throw new GrpcStatusError(grpc.status.UNAVAILABLE, 'The service is currently unavailable.')
        if (fault?.kind === 'resource-exhausted')
          throw new GrpcStatusError(grpc.status.RESOURCE_EXHAUSTED, 'Quota exceeded.')
        if (fault?.kind === 'internal')
          throw new GrpcStatusError(grpc.status.INTERNAL, 'Internal error encountered.')
        const target = String(call.request.name ?? call.request.parent ?? '')
        const secretId = GcpSecretStore.secretIdOf(
          method === 'CreateSecret' ? `${target}/secrets/${call.request.secretId}` : target,
        )
        if (secretId && denied.has(secretId)) {
          throw new GrpcStatusError(
            grpc.status.PERMISSION_DENIED,
            `Permission denied on resource '${target}' (or it may not exist).`,
          )
        }
        return handler(call.request)
      }
      respond().then(
        (response) => callback(null, response),
        (error: unknown) => {
          if (error instanceof GrpcStatusError) callback({ code: error.code, details: error.message })
          else callback({ code: grpc.status.INTERNAL, details: String(error) })
        },
      )
    }

  const server = new grpc.Server()
  server.addService(
    loadService(),
    Object.fromEntries(Object.entries(handlers).map(([method, handler]) => [method, unary(method, handler)])),
  )
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  )

  return {
    host: '127.0.0.1',
    port,
    projectId,
    secretName,
    createSecret: (secretId, labels) => void store.createSecret(`projects/${projectId}`, secretId, labels),
    addVersion: (secretId, data) =>
      store.addVersion(secretName(secretId), Buffer.from(data)).name.split('/').at(-1)!,
    disableVersion: (secretId, version) => void store.setState(versionName(secretId, version), 'DISABLED'),
    enableVersion: (secretId, version) => void store.setState(versionName(secretId, version), 'ENABLED'),
    destroyVersion: (secretId, version) => void store.setState(versionName(secretId, version), 'DESTROYED'),
    deny: (secretId) => void denied.add(secretId),
    allow: (secretId) => void denied.delete(secretId),
    fault: (rule) => faults.add(rule),
    clearFaults: () => faults.clear(),
    calls,
    reset() {
      store.clear()
      faults.clear()
      denied.clear()
      calls.reset()
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.tryShutdown(() => resolve())
        setTimeout(() => server.forceShutdown(), 1000).unref()
      }),
  }
}
