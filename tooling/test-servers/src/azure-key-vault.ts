import type { IncomingMessage, ServerResponse } from 'node:http'
import { createServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { keyVaultRoute } from './azure-key-vault-routes.js'
import { KeyVaultError, KeyVaultSecretStore } from './azure-key-vault-store.js'
import { CallCounter, type FaultRule, FaultSwitchboard } from './fault-injection.js'
import { selfSignedCertificate } from './self-signed-certificate.js'

/** `forbidden` 403, `throttle` 429 + Retry-After, `server-error` 500, `unavailable` 503, `delay`. */
export type AzureFaultKind = 'forbidden' | 'throttle' | 'server-error' | 'unavailable' | 'delay'

export interface AzureKeyVaultServerOptions {
  /** Tenant in the challenge's `authorization` URL (the SDK passes it to `getToken`). */
  tenantId?: string
  /** When set, any other bearer token is answered 401 (like an expired/foreign token). */
  acceptToken?: string
  /** Challenge flavour: `resource="https://vault.azure.net"` (default, like Key Vault) or `scope=`. */
  challenge?: 'resource' | 'scope'
}

export interface AzureKeyVaultServer {
  /** `https://127.0.0.1:<port>` — the `vaultUrl` for `SecretClient`. */
  readonly vaultUrl: string
  readonly port: number
  /** PEM of the self-signed server certificate: pass as `tlsOptions: { ca }` so TLS is really verified. */
  readonly caPem: string
  readonly tenantId: string
  /** Seeds a secret (a new version each call); returns the version id. */
  setSecret(
    name: string,
    value: string,
    options?: { contentType?: string; tags?: Record<string, string> },
  ): string
  /** Enables/disables one version (disabled → GET answers 403 Forbidden/SecretDisabled). */
  setVersionEnabled(name: string, version: string, enabled: boolean): void
  fault(rule: FaultRule<AzureFaultKind>): void
  clearFaults(): void
  /** Authenticated requests per operation (`GetSecret`, `SetSecret`, `GetSecretVersions`, …). */
  readonly calls: CallCounter
  /** The bearer-challenge rounds observed. */
  readonly auth: { challenges: number; authorizedRequests: number; lastTokenSeen: string | undefined }
  /** Clears data, faults, counters and auth observations. */
  reset(): void
  stop(): Promise<void>
}

/**
 * An HTTPS server speaking the Azure Key Vault secrets REST API (data plane) with the
 * bearer challenge, backed by memory. See README for what is and is not implemented.
 */
export async function startAzureKeyVaultServer(
  options: AzureKeyVaultServerOptions = {},
): Promise<AzureKeyVaultServer> {
  const tenantId = options.tenantId ?? '00000000-0000-0000-0000-00000000cafe'
  const { cert, key } = await selfSignedCertificate()
  const faults = new FaultSwitchboard<AzureFaultKind>()
  const calls = new CallCounter()
  const auth = { challenges: 0, authorizedRequests: 0, lastTokenSeen: undefined as string | undefined }
  let store = new KeyVaultSecretStore('')

  const challengeHeader =
    `Bearer authorization="https://login.microsoftonline.com/${tenantId}", ` +
    (options.challenge === 'scope'
      ? 'scope="https://vault.azure.net/.default"'
      : 'resource="https://vault.azure.net"')

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'https://127.0.0.1')
    const body = await readBody(request)
    // Like Key Vault: the challenge comes first, before validation; the SDK's first try has no body.
    const authorization = request.headers.authorization ?? ''
    const token = /^Bearer (.+)$/.exec(authorization)?.[1]
    if (!token || (options.acceptToken !== undefined && token !== options.acceptToken)) {
      auth.challenges += 1
      response.setHeader('WWW-Authenticate', challengeHeader)
      const message = token
        ? 'AKV10032: Invalid issuer or token.'
        : 'AKV10000: Request is missing a Bearer or PoP token.'
      return send(response, 401, new KeyVaultError(401, 'Unauthorized', message).body())
    }
    auth.authorizedRequests += 1
    auth.lastTokenSeen = token
    if (!url.searchParams.get('api-version')) {
      return send(
        response,
        400,
        new KeyVaultError(400, 'BadParameter', 'api-version query parameter is missing').body(),
      )
    }
    const segments = url.pathname.split('/').filter(Boolean).map(decodeURIComponent)
    const matched = keyVaultRoute(store, request.method ?? 'GET', segments)
    if (!matched)
      return send(response, 405, new KeyVaultError(405, 'BadParameter', 'Unsupported operation').body())
    calls.record(matched.operation)

    const fault = faults.take(matched.operation)
    if (fault?.delayMs) await sleep(fault.delayMs)
    switch (fault?.kind) {
      case 'forbidden':
        return send(
          response,
          403,
          new KeyVaultError(
            403,
            'Forbidden',
            'Caller is not authorized to perform action on resource.',
            'ForbiddenByRbac',
          ).body(),
        )
      case 'throttle':
        response.setHeader('Retry-After', String(fault.retryAfterSeconds ?? 1))
        return send(
          response,
          429,
          new KeyVaultError(
            429,
            'Throttled',
            'Request was not processed because too many requests were received.',
          ).body(),
        )
      case 'server-error':
        return send(
          response,
          500,
          new KeyVaultError(500, 'InternalServerError', 'Injected internal error').body(),
        )
      case 'unavailable':
        return send(
          response,
          503,
          new KeyVaultError(503, 'ServiceUnavailable', 'Injected unavailability').body(),
        )
    }
    try {
      const parsed = body.length ? (JSON.parse(body) as Record<string, unknown>) : {}
      const result = matched.run(parsed)
      send(response, result.status, result.json)
    } catch (error) {
      if (error instanceof KeyVaultError) return send(response, error.status, error.body())
      if (error instanceof SyntaxError)
        return send(response, 400, new KeyVaultError(400, 'BadParameter', 'Invalid JSON').body())
      throw error
    }
  }

  const server = createServer({ cert, key }, (request, response) => {
    handle(request, response).catch(() => {
      if (!response.headersSent)
        send(response, 500, { error: { code: 'InternalServerError', message: 'stub failure' } })
      else response.destroy()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const vaultUrl = `https://127.0.0.1:${port}`
  store = new KeyVaultSecretStore(vaultUrl)

  return {
    vaultUrl,
    port,
    caPem: cert,
    tenantId,
    setSecret: (name, value, extra = {}) =>
      store
        .set(name, { value, ...extra })
        .id.split('/')
        .at(-1)!,
    setVersionEnabled: (name, version, enabled) => void store.update(name, version, { enabled }),
    fault: (rule) => faults.add(rule),
    clearFaults: () => faults.clear(),
    calls,
    auth,
    reset() {
      store.clear()
      faults.clear()
      calls.reset()
      Object.assign(auth, { challenges: 0, authorizedRequests: 0, lastTokenSeen: undefined })
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

function send(response: ServerResponse, status: number, json?: unknown): void {
  const headers: Record<string, string> = { 'x-ms-request-id': crypto.randomUUID() }
  if (json === undefined) {
    response.writeHead(status, headers)
    response.end()
    return
  }
  response.writeHead(status, { ...headers, 'content-type': 'application/json; charset=utf-8' })
  response.end(JSON.stringify(json))
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of request) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}
