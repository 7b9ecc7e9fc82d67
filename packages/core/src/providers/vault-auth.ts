import { readFile } from 'node:fs/promises'
import type NodeVault from 'node-vault'
import { SecretAccessDeniedError, SecretConfigError, SecretkitError } from '../errors.js'
import { toVaultError, VAULT_PROVIDER_NAME, vaultStatus } from './vault-errors.js'

/** How the provider gets its Vault token. */
export type VaultAuthOptions =
  /** A static token (`token` option or `VAULT_TOKEN`), looked up and renewed while renewable. */
  | { method: 'token' }
  /** AppRole login (`auth/{mount}/login`). @default mount 'approle' */
  | { method: 'approle'; roleId: string; secretId?: string; mount?: string }
  /** Kubernetes service-account login; the JWT file is re-read at every login (it rotates). @default mount 'kubernetes' */
  | { method: 'kubernetes'; role: string; jwtPath?: string; mount?: string }
  /** JWT/OIDC login with a JWT given inline or read from a file at every login. @default mount 'jwt' */
  | { method: 'jwt'; role: string; jwt?: string; jwtPath?: string; mount?: string }

const KUBERNETES_JWT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount/token'
/** Renew (or log in again) after this share of the token's TTL has passed. */
const RENEW_AT = 2 / 3
/** After a failed renewal or login, try again this soon (capped by the time left). */
const RETRY_MS = 5_000

interface TokenAuth {
  client_token?: string
  lease_duration?: number
  renewable?: boolean
}

/**
 * Keeps the client's token valid: looks a static token up, logs in with the configured
 * method, renews the token before it expires on an unref'd timer, and logs in again when
 * renewal is impossible (not renewable, max TTL reached, renewal refused).
 */
export class VaultSession {
  readonly #client: NodeVault.client
  readonly #auth: VaultAuthOptions
  readonly #namespace: string | undefined
  #pending: Promise<void> | undefined
  #ready = false
  /** Epoch ms the current token stops working; Infinity for tokens without TTL (root). */
  #expiresAt = Number.POSITIVE_INFINITY
  /** Seconds asked for at each renewal: the token's own TTL. */
  #increment = 0
  #timer: ReturnType<typeof setTimeout> | undefined
  #closed = false

  constructor(client: NodeVault.client, auth: VaultAuthOptions, namespace: string | undefined) {
    this.#client = client
    this.#auth = auth
    this.#namespace = namespace
  }

  /** Resolves once the client holds a usable token (logging in on first use). */
  ready(): Promise<void> {
    const expired = Date.now() >= this.#expiresAt - 1_000
    if (this.#ready && !(expired && this.#auth.method !== 'token')) return Promise.resolve()
    this.#pending ??= this.#start().finally(() => {
      this.#pending = undefined
    })
    return this.#pending
  }

  close(): void {
    this.#closed = true
    clearTimeout(this.#timer)
  }

  async #start(): Promise<void> {
    if (this.#auth.method === 'token') await this.#lookup()
    else await this.#login()
    this.#ready = true
  }

  async #lookup(): Promise<void> {
    if (!this.#client.token) {
      throw new SecretConfigError('no Vault token configured', {
        provider: VAULT_PROVIDER_NAME,
        hint: 'pass vaultProvider({ token }) or set VAULT_TOKEN, or configure auth: { method: "approle", … }',
      })
    }
    let data: { ttl?: number; creation_ttl?: number; renewable?: boolean }
    try {
      data = ((await this.#client.tokenLookupSelf()) as { data?: typeof data }).data ?? {}
    } catch (error) {
      // A token without the default policy may not look itself up but can still read: carry on unrenewed.
      if (vaultStatus(error) === 403) return
      throw toVaultError(error, 'auth/token/lookup-self', this.#namespace)
    }
    this.#track(data.ttl ?? 0, data.renewable === true, data.creation_ttl ?? data.ttl ?? 0)
  }

  async #login(): Promise<void> {
    const auth = this.#auth
    const mount = ('mount' in auth && auth.mount) || auth.method
    let response: { auth?: TokenAuth }
    try {
      if (auth.method === 'approle') {
        response = await this.#client.approleLogin({
          mount_point: mount,
          role_id: auth.roleId,
          ...(auth.secretId === undefined ? {} : { secret_id: auth.secretId }),
        })
      } else if (auth.method === 'kubernetes') {
        const jwt = await readJwt(auth.jwtPath ?? KUBERNETES_JWT_PATH)
        response = await this.#client.kubernetesLogin({ mount_point: mount, role: auth.role, jwt })
      } else if (auth.method === 'jwt') {
        const jwt = auth.jwt ?? (auth.jwtPath === undefined ? undefined : await readJwt(auth.jwtPath))
        if (jwt === undefined) {
          throw new SecretConfigError('JWT login needs `jwt` or `jwtPath`', { provider: VAULT_PROVIDER_NAME })
        }
        response = await this.#client.jwtLogin({ mount_point: mount, role: auth.role, jwt })
      } else {
        throw new SecretConfigError(
          `unknown Vault auth method ${JSON.stringify((auth as { method: unknown }).method)}`,
          {
            provider: VAULT_PROVIDER_NAME,
            hint: "use 'token', 'approle', 'kubernetes' or 'jwt'",
          },
        )
      }
    } catch (error) {
      if (error instanceof SecretkitError) throw error
      if (vaultStatus(error) === 400) {
        // Vault answers a wrong role, secret id or JWT with 400.
        throw new SecretAccessDeniedError(
          `Vault refused the ${auth.method} login at auth/${mount}/login (HTTP 400)`,
          {
            provider: VAULT_PROVIDER_NAME,
            hint: 'check the role and credentials of auth (roleId/secretId, role/JWT) and the auth mount',
          },
        )
      }
      throw toVaultError(error, `auth/${mount}/login`, this.#namespace)
    }
    const token = response.auth?.client_token
    if (!token) {
      throw new SecretConfigError(`Vault login at auth/${mount}/login returned no token`, {
        provider: VAULT_PROVIDER_NAME,
      })
    }
    this.#client.token = token
    const ttl = response.auth?.lease_duration ?? 0
    this.#track(ttl, response.auth?.renewable === true, ttl)
  }

  /**
   * Records the token's TTL and schedules its renewal, or the next login when renewal is
   * impossible: not renewable, or a renewal that came back short of the increment (max TTL).
   */
  #track(ttlSeconds: number, renewable: boolean, increment: number | 'renewal'): void {
    clearTimeout(this.#timer)
    if (ttlSeconds <= 0) {
      this.#expiresAt = Number.POSITIVE_INFINITY
      return
    }
    this.#expiresAt = Date.now() + ttlSeconds * 1000
    if (increment !== 'renewal') this.#increment = increment
    const capped = increment === 'renewal' && ttlSeconds < this.#increment
    // Two thirds into the TTL, but at least 2 s before expiry when that leaves half of it:
    // short-lived tokens keep a margin for a slow round trip or a late timer.
    const ttl = ttlSeconds * 1000
    const delay = Math.max(ttl / 2, Math.min(ttl * RENEW_AT, ttl - 2_000))
    if (renewable && !capped) this.#schedule(delay, () => this.#renew())
    else if (this.#auth.method !== 'token') this.#schedule(delay, () => this.#relogin())
    // else: a static token that cannot be renewed any further simply runs out.
  }

  async #renew(): Promise<void> {
    try {
      const result = (await this.#client.tokenRenewSelf({ increment: this.#increment })) as {
        auth?: TokenAuth
      }
      this.#track(result.auth?.lease_duration ?? 0, result.auth?.renewable === true, 'renewal')
    } catch (error) {
      const status = vaultStatus(error)
      if (status !== undefined && status < 500) await this.#relogin()
      else this.#retrySoon(() => this.#renew())
    }
  }

  async #relogin(): Promise<void> {
    if (this.#auth.method === 'token') return
    try {
      await this.#login()
    } catch {
      // The next read logs in again if the token has run out by then; until then keep trying.
      this.#retrySoon(() => this.#relogin())
    }
  }

  #retrySoon(run: () => Promise<void>): void {
    const left = this.#expiresAt - Date.now()
    if (left <= 0) return
    this.#schedule(Math.min(RETRY_MS, left / 3), run)
  }

  #schedule(delay: number, run: () => Promise<void>): void {
    if (this.#closed) return
    clearTimeout(this.#timer)
    this.#timer = setTimeout(() => void run(), Math.max(0, delay))
    this.#timer.unref?.()
  }
}

async function readJwt(path: string): Promise<string> {
  try {
    return (await readFile(path, 'utf8')).trim()
  } catch (error) {
    throw new SecretConfigError(
      `could not read the login JWT at ${path} (${(error as NodeJS.ErrnoException).code})`,
      {
        provider: VAULT_PROVIDER_NAME,
        hint: 'mount the service-account token there, or set auth.jwtPath',
      },
    )
  }
}
