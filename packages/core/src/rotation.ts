/** Error codes drivers use for "these credentials are wrong" (Postgres, MySQL, Redis, SMTP, AWS, OAuth). */
const AUTH_ERROR_CODES = new Set([
  '28P01',
  '28000',
  'ER_ACCESS_DENIED_ERROR',
  'ER_DBACCESS_DENIED_ERROR',
  'EAUTH',
  'WRONGPASS',
  'NOAUTH',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'AuthFailure',
  'invalid_client',
  'invalid_grant',
])

const AUTH_MESSAGE =
  /(authentication failed|password authentication|invalid (password|credentials|token|api[ _-]?key)|unauthori[sz]ed|access denied)/i

/**
 * The default `withRotation` predicate: HTTP 401/403, a well-known driver auth error code,
 * or an auth-failure message. Pass your own `isAuthError` for anything else.
 */
export function isAuthError(error: unknown): boolean {
  if (error === null || typeof error !== 'object') return false
  const candidate = error as {
    code?: unknown
    status?: unknown
    statusCode?: unknown
    response?: { status?: unknown }
    $metadata?: { httpStatusCode?: unknown }
    message?: unknown
    name?: unknown
  }
  const status =
    candidate.status ??
    candidate.statusCode ??
    candidate.response?.status ??
    candidate.$metadata?.httpStatusCode
  if (status === 401 || status === 403) return true
  if (typeof candidate.code === 'string' && AUTH_ERROR_CODES.has(candidate.code)) return true
  if (typeof candidate.name === 'string' && AUTH_ERROR_CODES.has(candidate.name)) return true
  return typeof candidate.message === 'string' && AUTH_MESSAGE.test(candidate.message)
}

export interface WithRotationOptions {
  /** Decides whether a failure means "the credential rotated". @default isAuthError */
  isAuthError?: (error: unknown) => boolean
}
