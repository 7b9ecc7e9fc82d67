// Shared by the Secrets Manager and SSM providers: turns AWS SDK v3 failures into
// secretkit's typed errors, and loads the optional SDK peers lazily.
import {
  ProviderUnavailableError,
  SecretAccessDeniedError,
  SecretConfigError,
  SecretkitError,
  SecretNotFoundError,
} from '../errors.js'

/** What the mapper may read from an SDK error: its name/code and HTTP status, never its message text. */
interface AwsErrorShape {
  name?: unknown
  code?: unknown
  message?: unknown
  $metadata?: { httpStatusCode?: unknown }
  $retryable?: unknown
  $response?: { headers?: Record<string, string | undefined> }
}

/** Who is asking, for the messages: `'Secrets Manager'` / `'SSM Parameter Store'` and the provider name. */
export interface AwsErrorContext {
  readonly service: string
  readonly provider: string
}

const NOT_FOUND = new Set(['ResourceNotFoundException', 'ParameterNotFound', 'ParameterVersionNotFound'])

const ACCESS_DENIED = new Set([
  'AccessDeniedException',
  'AccessDenied',
  'DecryptionFailure',
  'InvalidKeyId',
  'KMSAccessDeniedException',
  'KMSDisabledException',
  'KMSInvalidStateException',
  'KMSNotFoundException',
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'ExpiredTokenException',
  'ExpiredToken',
])

const RETRYABLE = new Set([
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'TooManyUpdates',
  'InternalServiceError',
  'InternalServerError',
  'InternalFailure',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
  'AbortError',
  // A truncated or garbled response body fails to parse; the next attempt may well succeed.
  'SyntaxError',
])

const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
])

/**
 * The typed error for an SDK failure. Only the AWS error name, network code and HTTP status
 * are kept — AWS messages echo the request (secret ids, parameter names) and an SDK error
 * that failed to parse a body carries that body, so neither message nor error is attached.
 */
export function toAwsError(error: unknown, context: AwsErrorContext): SecretkitError {
  if (error instanceof SecretkitError) return error
  const shape = (error ?? {}) as AwsErrorShape
  const name = typeof shape.name === 'string' ? shape.name : 'Error'
  const code = typeof shape.code === 'string' ? shape.code : undefined
  const status =
    typeof shape.$metadata?.httpStatusCode === 'number' ? shape.$metadata.httpStatusCode : undefined
  return fromAwsCode(name, context, {
    status,
    code,
    retryable: shape.$retryable !== undefined && shape.$retryable !== null,
    retryAfterMs: retryAfter(shape.$response?.headers),
    message: shape.message,
    missingRegion: typeof shape.message === 'string' && /region is missing/i.test(shape.message),
  })
}

/** The typed error for an AWS error name (also the `ErrorCode` of a BatchGetSecretValue entry). */
export function fromAwsCode(
  name: string,
  { service, provider }: AwsErrorContext,
  detail: {
    status?: number | undefined
    code?: string | undefined
    retryable?: boolean
    retryAfterMs?: number | undefined
    /** Read only to tell a deleted secret from other invalid requests; never copied. */
    message?: unknown
    /** The SDK found no region (its own client-side error). */
    missingRegion?: boolean
  } = {},
): SecretkitError {
  const { status, code } = detail
  const what = `${name}${code && code !== name ? ` ${code}` : ''}${status ? `, HTTP ${status}` : ''}`
  if (NOT_FOUND.has(name)) {
    return new SecretNotFoundError(`${service} has no such ${noun(service)} (${what})`, {
      provider,
      hint: `check the name, region and${service === 'Secrets Manager' ? ' version/stage' : ' version/label'}`,
    })
  }
  if (name === 'InvalidRequestException' && isMarkedDeleted(detail.message)) {
    return new SecretNotFoundError(`${service} has this secret scheduled for deletion (${what})`, {
      provider,
      hint: 'restore it with RestoreSecret, or point the reference at a live secret',
    })
  }
  if (ACCESS_DENIED.has(name) || status === 401 || status === 403) {
    return new SecretAccessDeniedError(`${service} refused access (${what})`, {
      provider,
      hint: accessHint(service, name),
    })
  }
  if (
    RETRYABLE.has(name) ||
    (code !== undefined && NETWORK_CODES.has(code)) ||
    (status !== undefined && status >= 500) ||
    detail.retryable === true
  ) {
    return new ProviderUnavailableError(`${service} is unavailable (${what})`, {
      provider,
      retryable: true,
      ...(detail.retryAfterMs === undefined ? {} : { retryAfterMs: detail.retryAfterMs }),
      hint: 'retried with back-off; check connectivity, endpoint and AWS service health',
    })
  }
  if (detail.missingRegion) {
    return new SecretConfigError(`no AWS region is configured for ${service}`, {
      provider,
      hint: 'pass region to the provider, or set AWS_REGION',
    })
  }
  if (name === 'CredentialsProviderError') {
    return new SecretConfigError(`no AWS credentials were found for ${service}`, {
      provider,
      hint: 'set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, attach an IAM role, or pass credentials',
    })
  }
  return new SecretConfigError(`${service} rejected the request (${what})`, {
    provider,
    hint: 'check the reference and the provider options (region, endpoint, prefix)',
  })
}

function noun(service: string): string {
  return service === 'Secrets Manager' ? 'secret (or version/stage)' : 'parameter (or version/label)'
}

function accessHint(service: string, name: string): string {
  if (name.startsWith('KMS') || name === 'DecryptionFailure' || name === 'InvalidKeyId') {
    return 'grant kms:Decrypt on the key that encrypts it'
  }
  return service === 'Secrets Manager'
    ? 'grant secretsmanager:GetSecretValue (and BatchGetSecretValue) on it'
    : 'grant ssm:GetParameter, ssm:GetParameters (and kms:Decrypt for SecureString) on it'
}

function isMarkedDeleted(message: unknown): boolean {
  // Read to classify only; the text itself is never copied.
  return typeof message === 'string' && /marked (for )?delet|scheduled for deletion|deleted/i.test(message)
}

function retryAfter(headers: Record<string, string | undefined> | undefined): number | undefined {
  const value = headers?.['retry-after'] ?? headers?.['Retry-After']
  if (value === undefined) return undefined
  const seconds = Number(value)
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined
}

/** Rethrows the store's own abort reason (timeout, close) rather than the SDK's AbortError. */
export function abortReason(signal: AbortSignal): SecretkitError | undefined {
  return signal.aborted && signal.reason instanceof SecretkitError ? signal.reason : undefined
}

/** Client options shared by both providers: only what the user set, and no SDK-level retries. */
export function clientConfig(options: {
  region?: string | undefined
  endpoint?: string | undefined
  credentials?: unknown
}): Record<string, unknown> {
  return {
    // The store retries with back-off and a deadline; SDK retries would multiply the attempts.
    maxAttempts: 1,
    ...(options.region === undefined ? {} : { region: options.region }),
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
    ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
  }
}
