import { createServer, request as httpRequest } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { OpenBaoServer } from '@secretkit/test-servers'

/**
 * Root-token administration of an OpenBao dev server over its HTTP API, for test setup only
 * (the provider under test talks to the server through node-vault).
 */
export class BaoAdmin {
  readonly #server: OpenBaoServer
  constructor(server: OpenBaoServer) {
    this.#server = server
  }

  async call(
    method: string,
    path: string,
    body?: unknown,
    options: { namespace?: string; token?: string } = {},
  ): Promise<Record<string, unknown>> {
    const response = await fetch(`${this.#server.address}/v1/${path}`, {
      method,
      headers: {
        'X-Vault-Token': options.token ?? this.#server.rootToken,
        'content-type': 'application/json',
        ...(options.namespace ? { 'X-Vault-Namespace': options.namespace } : {}),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    if (response.status >= 400) {
      throw new Error(`bao admin ${method} ${path}: HTTP ${response.status} ${await response.text()}`)
    }
    return response.status === 204 ? {} : ((await response.json()) as Record<string, unknown>)
  }

  /** Writes a KV v2 secret (new version); returns the version number. */
  async kv2(
    path: string,
    data: Record<string, unknown>,
    mount = 'secret',
    namespace?: string,
  ): Promise<number> {
    const result = await this.call('POST', `${mount}/data/${path}`, { data }, namespace ? { namespace } : {})
    return (result.data as { version: number }).version
  }

  async kv1(path: string, data: Record<string, unknown>, mount = 'kv1'): Promise<void> {
    await this.call('POST', `${mount}/${path}`, data)
  }

  async mount(
    path: string,
    type: string,
    options: Record<string, string> = {},
    namespace?: string,
  ): Promise<void> {
    await this.call('POST', `sys/mounts/${path}`, { type, options }, namespace ? { namespace } : {})
  }

  async policy(name: string, hcl: string): Promise<void> {
    await this.call('PUT', `sys/policies/acl/${name}`, { policy: hcl })
  }

  /** Enables AppRole and creates `role`; returns its role id and a fresh secret id. */
  async appRole(
    role: string,
    settings: Record<string, unknown>,
  ): Promise<{ roleId: string; secretId: string }> {
    const auths = await this.call('GET', 'sys/auth')
    if (!('approle/' in ((auths.data as Record<string, unknown>) ?? auths))) {
      await this.call('POST', 'sys/auth/approle', { type: 'approle' })
    }
    await this.call('POST', `auth/approle/role/${role}`, settings)
    const roleId = ((await this.call('GET', `auth/approle/role/${role}/role-id`)).data as { role_id: string })
      .role_id
    const secretId = (
      (await this.call('POST', `auth/approle/role/${role}/secret-id`)).data as { secret_id: string }
    ).secret_id
    return { roleId, secretId }
  }

  /** Creates a token; returns its id. */
  async token(settings: Record<string, unknown>): Promise<string> {
    const result = await this.call('POST', 'auth/token/create', settings)
    return (result.auth as { client_token: string }).client_token
  }

  /** Remaining TTL of a token in seconds (0 once it is gone). */
  async tokenTtl(token: string): Promise<number> {
    try {
      const result = await this.call('POST', 'auth/token/lookup', { token })
      return (result.data as { ttl: number }).ttl
    } catch {
      return 0
    }
  }
}

/**
 * A loopback HTTP proxy in front of the server that counts requests per Vault API path
 * (OpenBao refuses audit devices over the API, so calls are counted on the wire instead).
 */
export async function startCountingProxy(target: string): Promise<{
  address: string
  count(path: string): number
  close(): Promise<void>
}> {
  const counts = new Map<string, number>()
  const upstream = new URL(target)
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://proxy').pathname.replace(/^\/v1\//, '')
    counts.set(path, (counts.get(path) ?? 0) + 1)
    const forward = httpRequest(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: request.method,
        path: request.url,
        headers: request.headers,
      },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(response)
      },
    )
    forward.on('error', () => response.destroy())
    request.pipe(forward)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    address: `http://127.0.0.1:${port}`,
    count: (path) => counts.get(path) ?? 0,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
