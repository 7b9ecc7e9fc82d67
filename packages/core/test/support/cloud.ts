import { Socket } from 'node:net'
import type { TokenCredential } from '@azure/core-auth'
import * as grpc from '@grpc/grpc-js'
import type { AzureKeyVaultServer, GcpSecretManagerServer } from '@secretkit/test-servers'
import type { GcpClientOptions } from '../../src/providers/gcp.js'

// Belt and braces: google-auth-library must never look for the GCE metadata server. With
// detection off it does not ping; were it to try anyway, it would hit a closed loopback port
// (which the connection guard below reports) instead of 169.254.169.254.
process.env.METADATA_SERVER_DETECTION = 'none'
process.env.GCE_METADATA_HOST = '127.0.0.1:9'
process.env.GCE_METADATA_IP = '127.0.0.1:9'

/**
 * Client options for the GCP test server. Every GCP client in these tests is built from
 * these: `universeDomain` stops google-gax from asking google-auth (and so the metadata
 * server) for it; insecure channel credentials mean no auth lookup at all.
 */
export function gcpClientOptions(server: GcpSecretManagerServer): GcpClientOptions {
  return {
    apiEndpoint: server.host,
    port: server.port,
    sslCreds: grpc.credentials.createInsecure(),
    universeDomain: 'googleapis.com',
  }
}

/** Records `host:port` of every TCP connect this process makes while installed. */
export function connectionGuard(): { readonly targets: Set<string>; restore(): void } {
  const targets = new Set<string>()
  const original = Socket.prototype.connect
  Socket.prototype.connect = function (this: Socket, ...args: unknown[]) {
    // net.connect() passes its normalized arguments as one array: [options, callback].
    const [first, second] = (Array.isArray(args[0]) ? args[0] : args) as [
      { host?: string; port?: number; path?: string } | number,
      string | undefined,
    ]
    targets.add(
      typeof first === 'object'
        ? (first.path ?? `${first.host ?? 'localhost'}:${first.port}`)
        : `${second ?? 'localhost'}:${first}`,
    )
    return (original as (...a: unknown[]) => Socket).apply(this, args)
  } as typeof Socket.prototype.connect
  return {
    targets,
    restore() {
      Socket.prototype.connect = original
    },
  }
}

/** A TokenCredential that hands out a fixed token and counts how often it was asked. */
export class FixedTokenCredential implements TokenCredential {
  readonly requests: Array<{ scopes: string[]; tenantId: string | undefined }> = []
  constructor(readonly token = 'secretkit-test-token') {}
  async getToken(scopes: string | string[], options?: { tenantId?: string }) {
    this.requests.push({ scopes: [scopes].flat(), tenantId: options?.tenantId })
    return { token: this.token, expiresOnTimestamp: Date.now() + 3_600_000 }
  }
}

/** Client options for the Azure test server: trust its certificate, accept its host. */
export function azureClientOptions(server: AzureKeyVaultServer) {
  return { tlsOptions: { ca: server.caPem }, disableChallengeResourceVerification: true }
}

/** Resolves once `predicate()` holds, polling every 10 ms, for at most `timeoutMs`. */
export async function until(predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}
