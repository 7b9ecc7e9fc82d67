import {
  ProviderUnavailableError,
  SecretAccessDeniedError,
  SecretConfigError,
  type SecretkitError,
  SecretNotFoundError,
} from '../errors.js'

const PROVIDER = 'azure'

/** The Key Vault error body, `{ error: { code, message, innererror } }`, as the SDK parsed it. */
interface ErrorBody {
  error?: { innerError?: { code?: string }; innererror?: { code?: string } }
}

interface RestErrorLike {
  name?: string
  code?: string
  statusCode?: number
  details?: ErrorBody
  response?: { headers?: { get(name: string): string | undefined }; parsedBody?: ErrorBody }
}

/**
 * Maps what the Key Vault client (or its credential) threw to secretkit's typed errors. Only
 * the HTTP status, the service's error code and `Retry-After` are kept; the SDK's message
 * (which holds the response body) and the error itself are dropped.
 */
export function azureError(error: unknown, secret: string): SecretkitError {
  const e = (error ?? {}) as RestErrorLike
  const status = typeof e.statusCode === 'number' ? e.statusCode : undefined
  // DefaultAzureCredential: no source configured, or every source failed.
  if (e.name === 'CredentialUnavailableError' || e.name === 'AggregateAuthenticationError') {
    return new SecretConfigError(`no Azure credential could get a token to read ${secret}`, {
      provider: PROVIDER,
      hint: 'pass azureKeyVault({ credential }) or configure DefaultAzureCredential (environment, managed identity, az login)',
    })
  }
  if (e.name === 'AuthenticationError' && (status === undefined || status < 500)) {
    return new SecretAccessDeniedError(`the Azure credential was refused a token to read ${secret}`, {
      provider: PROVIDER,
      hint: 'check the client id, secret or certificate and the tenant of the credential',
    })
  }
  if (e.name === 'AbortError') {
    return new ProviderUnavailableError(`reading ${secret} was aborted`, { provider: PROVIDER })
  }
  const label = `HTTP ${status ?? 'error'}${typeof e.code === 'string' ? ` ${e.code}` : ''}`
  if (status === 404) {
    return new SecretNotFoundError(`${secret} does not exist in the vault (${label})`, {
      provider: PROVIDER,
      hint: 'create the secret, or fix the name, version or prefix',
    })
  }
  if (status === 403 && innerCode(e) === 'SecretDisabled') {
    // Disabled: not found rather than a config error, so a fallback chain may still find it.
    return new SecretNotFoundError(`${secret} is disabled (${label})`, {
      provider: PROVIDER,
      hint: 'the version is disabled: enable it, set a new version, or pin another one',
    })
  }
  if (status === 401 || status === 403) {
    return new SecretAccessDeniedError(`access to ${secret} was denied (${label})`, {
      provider: PROVIDER,
      hint: 'grant the identity the "Key Vault Secrets User" role, or get/list secret permissions in the access policy',
    })
  }
  if (status === 400) {
    return new SecretConfigError(`Key Vault rejected the request for ${secret} (${label})`, {
      provider: PROVIDER,
      hint: 'check the secret name, the version id and the vaultUrl',
    })
  }
  const retryable = status === undefined || status === 408 || status === 429 || status >= 500
  const retryAfterMs = retryAfterOf(e)
  return new ProviderUnavailableError(`Key Vault failed reading ${secret} (${label})`, {
    provider: PROVIDER,
    retryable,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  })
}

function innerCode(error: RestErrorLike): string | undefined {
  // keyvault-secrets 4.9+ puts the parsed body in `details`; older clients in `response.parsedBody`.
  for (const body of [error.details?.error, error.response?.parsedBody?.error]) {
    const code = body?.innerError?.code ?? body?.innererror?.code
    if (typeof code === 'string') return code
  }
  return undefined
}

/** `retry-after-ms` / `x-ms-retry-after-ms` (milliseconds) or `Retry-After` (seconds or an HTTP date). */
export function retryAfterOf(error: RestErrorLike): number | undefined {
  const headers = error.response?.headers
  if (headers === undefined) return undefined
  for (const name of ['retry-after-ms', 'x-ms-retry-after-ms']) {
    const ms = Number(headers.get(name)?.trim() || Number.NaN)
    if (Number.isFinite(ms) && ms >= 0) return ms
  }
  const value = headers.get('retry-after')?.trim()
  if (!value) return undefined
  const seconds = Number(value)
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now())
}
