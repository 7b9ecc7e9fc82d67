/**
 * Every error secretkit throws. Messages name the secret, the reference and the fix —
 * never a value. Causes attached here come from secretkit itself or from provider code
 * that has already dropped anything that could echo a value.
 */

/** Stable machine-readable codes; safe to switch on and to log. */
export type SecretkitErrorCode =
  | 'SECRET_NOT_FOUND'
  | 'SECRET_ACCESS_DENIED'
  | 'PROVIDER_UNAVAILABLE'
  | 'SECRET_VALIDATION_FAILED'
  | 'SECRET_CONFIG_INVALID'
  | 'SECRETS_LOAD_FAILED'

export interface SecretkitErrorOptions {
  /** Declared secret name, when the error concerns one. */
  secretName?: string
  /** The reference (`aws://prod/db#password`) that failed. References never hold values. */
  ref?: string
  /** Registered provider name (the scheme of the reference). */
  provider?: string
  /** One sentence telling the user how to fix it. */
  hint?: string
  /** An underlying error that is known not to contain a secret value. */
  cause?: unknown
}

/**
 * Marks secretkit errors on their prototype. A registered symbol, so that an error thrown by a
 * second copy of secretkit (a bundled one, or another installed version) is still recognised.
 */
const BRAND = Symbol.for('secretkit.error')

/**
 * Base class: `code`, `provider`, `secretName`, `ref`, `hint`.
 *
 * `instanceof` works across copies of secretkit: an error from another copy is an instance of
 * this copy's `SecretkitError`, and of the subclass whose `errorCode` matches its `code` (so
 * fallback chains and error typing hold when providers and the store come from different copies).
 */
export class SecretkitError extends Error {
  /** The `code` every instance of this class has; `undefined` for the base class. */
  static readonly errorCode: SecretkitErrorCode | undefined = undefined

  static override [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class right of `instanceof`, a subclass included
    return isInstanceAcrossCopies(this, value)
  }

  readonly code: SecretkitErrorCode
  readonly secretName: string | undefined
  readonly ref: string | undefined
  readonly provider: string | undefined
  readonly hint: string | undefined

  constructor(code: SecretkitErrorCode, message: string, options: SecretkitErrorOptions = {}) {
    super(
      options.hint ? `${message} — ${options.hint}` : message,
      options.cause === undefined ? undefined : { cause: options.cause },
    )
    this.name = new.target.name
    this.code = code
    this.secretName = options.secretName
    this.ref = options.ref
    this.provider = options.provider
    this.hint = options.hint
  }

  /** A log-safe summary: the same fields `JSON.stringify` sees. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      secretName: this.secretName,
      ref: this.ref,
      provider: this.provider,
    }
  }
}

Object.defineProperty(SecretkitError.prototype, BRAND, { value: true })

function isInstanceAcrossCopies(type: typeof SecretkitError, value: unknown): boolean {
  if (Function.prototype[Symbol.hasInstance].call(type, value)) return true
  // Only secretkit's own classes (each declares its errorCode) accept another copy's errors;
  // a subclass written by a user keeps plain prototype-chain semantics.
  if (!Object.hasOwn(type, 'errorCode')) return false
  if (typeof value !== 'object' || value === null || (value as { [BRAND]?: unknown })[BRAND] !== true) {
    return false
  }
  return type.errorCode === undefined || (value as SecretkitError).code === type.errorCode
}

/** The secret (or the `#field` of it) does not exist at that reference. Fallback chains fall through. */
export class SecretNotFoundError extends SecretkitError {
  static override readonly errorCode = 'SECRET_NOT_FOUND' as const
  constructor(message: string, options?: SecretkitErrorOptions) {
    super('SECRET_NOT_FOUND', message, options)
  }
}

/** The credentials in use may not read this secret. Never falls through: it is a bug to surface. */
export class SecretAccessDeniedError extends SecretkitError {
  static override readonly errorCode = 'SECRET_ACCESS_DENIED' as const
  constructor(message: string, options?: SecretkitErrorOptions) {
    super('SECRET_ACCESS_DENIED', message, options)
  }
}

export interface ProviderUnavailableErrorOptions extends SecretkitErrorOptions {
  /** Whether trying again may succeed (throttling, 5xx, network, timeout). @default true */
  retryable?: boolean
  /** Server-provided back-off (e.g. `Retry-After`), in milliseconds. */
  retryAfterMs?: number
}

/** The upstream failed transiently (throttled, 5xx, network, timeout) and retries ran out. */
export class ProviderUnavailableError extends SecretkitError {
  static override readonly errorCode = 'PROVIDER_UNAVAILABLE' as const
  readonly retryable: boolean
  readonly retryAfterMs: number | undefined
  constructor(message: string, options: ProviderUnavailableErrorOptions = {}) {
    super('PROVIDER_UNAVAILABLE', message, options)
    this.retryable = options.retryable ?? true
    this.retryAfterMs = options.retryAfterMs
  }
}

/** A value did not match its schema, or a `#field` could not be read. Says what was expected, never what was received. */
export class SecretValidationError extends SecretkitError {
  static override readonly errorCode = 'SECRET_VALIDATION_FAILED' as const
  /** Issue messages with any received value removed. */
  readonly issues: readonly string[]
  constructor(message: string, options: SecretkitErrorOptions & { issues?: readonly string[] } = {}) {
    super('SECRET_VALIDATION_FAILED', message, options)
    this.issues = options.issues ?? []
  }
}

/** The configuration is wrong: unknown provider, malformed reference, bad tenant id, use after close. */
export class SecretConfigError extends SecretkitError {
  static override readonly errorCode = 'SECRET_CONFIG_INVALID' as const
  constructor(message: string, options?: SecretkitErrorOptions) {
    super('SECRET_CONFIG_INVALID', message, options)
  }
}

/** One failed declared secret inside a {@link SecretsLoadError}. */
export interface SecretLoadFailure {
  name: string
  /** Every reference tried, in order. */
  refs: readonly string[]
  provider: string | undefined
  code: SecretkitErrorCode
  message: string
  hint: string | undefined
}

/** `load()` failed for one or more declared secrets: one line per failure. */
export class SecretsLoadError extends SecretkitError {
  static override readonly errorCode = 'SECRETS_LOAD_FAILED' as const
  readonly failures: readonly SecretLoadFailure[]
  readonly errors: readonly SecretkitError[]
  constructor(errors: readonly { name: string; refs: readonly string[]; error: SecretkitError }[]) {
    const failures = errors.map(({ name, refs, error }) => ({
      name,
      refs,
      provider: error.provider,
      code: error.code,
      message: errorDetail(error),
      hint: error.hint,
    }))
    const lines = failures.map((f) => `  - ${f.name} (${f.refs.join(' -> ')}): [${f.code}] ${f.message}`)
    super(
      'SECRETS_LOAD_FAILED',
      `${failures.length} secret${failures.length === 1 ? '' : 's'} failed to load:\n${lines.join('\n')}`,
    )
    this.failures = failures
    this.errors = errors.map((e) => e.error)
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), failures: this.failures }
  }
}

export function isSecretkitError(error: unknown): error is SecretkitError {
  return error instanceof SecretkitError
}

/** Errors a fallback chain may fall through: the next source may well have the secret. */
export function isFallThrough(error: unknown): boolean {
  return error instanceof SecretNotFoundError || error instanceof ProviderUnavailableError
}

// Registered, like BRAND, so errorDetail() reads copies made by another copy of secretkit.
const DETAIL = Symbol.for('secretkit.detail')

/**
 * A copy of `error` that names the secret and reference it concerns. The message gains a
 * `Secret "name" (ref):` prefix; `errorDetail()` still gives the provider's own sentence.
 */
export function withSecretContext<E extends SecretkitError>(
  error: E,
  context: { secretName?: string | undefined; ref?: string | undefined; provider?: string | undefined },
  detail: string = errorDetail(error),
): E {
  const copy = Object.create(Object.getPrototypeOf(error)) as E
  Object.assign(copy, error, {
    secretName: context.secretName ?? error.secretName,
    ref: context.ref ?? error.ref,
    provider: context.provider ?? error.provider,
  })
  const subject =
    copy.secretName !== undefined && copy.ref !== undefined
      ? `Secret "${copy.secretName}" (${copy.ref})`
      : `Secret ${copy.secretName !== undefined ? `"${copy.secretName}"` : (copy.ref ?? '')}`
  const message = `${subject}: ${detail}`
  const frames = (error.stack ?? '').split('\n').slice(1).join('\n')
  Object.defineProperty(copy, 'message', { value: message, writable: true, configurable: true })
  Object.defineProperty(copy, 'stack', {
    value: `${copy.name}: ${message}${frames ? `\n${frames}` : ''}`,
    writable: true,
    configurable: true,
  })
  Object.defineProperty(copy, DETAIL, { value: detail })
  if (error.cause !== undefined) {
    Object.defineProperty(copy, 'cause', { value: error.cause, writable: true, configurable: true })
  }
  return copy
}

/** The error's message without the `Secret "name" (ref):` prefix added by {@link withSecretContext}. */
export function errorDetail(error: SecretkitError): string {
  return (error as unknown as { [DETAIL]?: string })[DETAIL] ?? error.message
}
