import {
  ProviderUnavailableError,
  SecretAccessDeniedError,
  SecretConfigError,
  type SecretkitError,
  SecretNotFoundError,
} from '../errors.js'

export const VAULT_PROVIDER_NAME = 'vault'

/** Network failures worth another attempt (axios/Node error codes). */
const TRANSIENT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ERR_NETWORK',
  'ERR_SOCKET_CONNECTION_TIMEOUT',
])

/** HTTP status of a node-vault `ApiResponseError`, if it is one. */
export function vaultStatus(error: unknown): number | undefined {
  const status = (error as { response?: { statusCode?: unknown } } | null)?.response?.statusCode
  return typeof status === 'number' ? status : undefined
}

/**
 * A node-vault failure as a secretkit error. Vault's error bodies and axios messages can
 * echo request input (paths, payloads, headers with the token), so only the HTTP status or
 * the network error code is kept — never the message, the body or the error as `cause`.
 */
export function toVaultError(error: unknown, what: string, namespace: string | undefined): SecretkitError {
  const provider = VAULT_PROVIDER_NAME
  const status = vaultStatus(error)
  if (status === 404) {
    return new SecretNotFoundError(`nothing at Vault path ${what}`, {
      provider,
      hint: `check the path, mountPoint and kvVersion${namespace ? ` and that namespace "${namespace}" exists` : ''} (a deleted or destroyed KV version also reads as missing)`,
    })
  }
  if (status === 403 || status === 401) {
    return new SecretAccessDeniedError(`Vault denied access to ${what} (HTTP ${status})`, {
      provider,
      hint: `grant the token's policy "read" on that path${namespace ? ` in namespace "${namespace}"` : ''}, check the namespace, or check that the token is still valid`,
    })
  }
  if (status !== undefined && (status === 412 || status === 429 || status >= 500)) {
    return new ProviderUnavailableError(`Vault answered HTTP ${status} for ${what}`, {
      provider,
      hint:
        status === 503
          ? 'Vault is sealed, in standby without forwarding, or under maintenance'
          : status === 429
            ? 'a Vault rate-limit quota was hit'
            : 'Vault failed transiently; it is retried',
    })
  }
  if (status !== undefined) {
    return new ProviderUnavailableError(`Vault rejected the request for ${what} (HTTP ${status})`, {
      provider,
      retryable: false,
      hint: 'check the path and the version in the reference',
    })
  }
  const code = (error as { code?: unknown } | null)?.code
  if (typeof code === 'string' && TRANSIENT_CODES.has(code)) {
    return new ProviderUnavailableError(`could not reach Vault for ${what} (${code})`, {
      provider,
      hint: 'check url / VAULT_ADDR and that Vault is running and reachable',
    })
  }
  if (typeof code === 'string' && /CERT|SSL|TLS|SELF_SIGNED/.test(code)) {
    return new SecretConfigError(`TLS to Vault failed for ${what} (${code})`, {
      provider,
      hint: 'pass the CA that signed the Vault certificate as `ca`, or (only for local testing) set verify: false',
    })
  }
  const kind = error instanceof Error ? error.name : typeof error
  return new ProviderUnavailableError(`Vault call for ${what} failed (${kind})`, {
    provider,
    retryable: false,
  })
}
