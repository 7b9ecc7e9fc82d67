import {
  ProviderUnavailableError,
  SecretAccessDeniedError,
  SecretConfigError,
  type SecretkitError,
  SecretNotFoundError,
} from '../errors.js'

const PROVIDER = 'gcp'

// gRPC status codes (google.rpc.Code), by number so mapping needs no gRPC import.
const CODE_NAMES: Record<number, string> = {
  1: 'CANCELLED',
  2: 'UNKNOWN',
  3: 'INVALID_ARGUMENT',
  4: 'DEADLINE_EXCEEDED',
  5: 'NOT_FOUND',
  7: 'PERMISSION_DENIED',
  8: 'RESOURCE_EXHAUSTED',
  9: 'FAILED_PRECONDITION',
  10: 'ABORTED',
  12: 'UNIMPLEMENTED',
  13: 'INTERNAL',
  14: 'UNAVAILABLE',
  15: 'DATA_LOSS',
  16: 'UNAUTHENTICATED',
}
const RETRYABLE = new Set([1, 2, 4, 8, 10, 13, 14])

/**
 * Maps what the Secret Manager client threw to secretkit's typed errors. Only the gRPC code
 * (or the error's class name) is kept: the SDK's message and the error itself are dropped,
 * because they are not ours to vouch for.
 */
export function gcpError(error: unknown, resource: string): SecretkitError {
  const code = (error as { code?: unknown } | null)?.code
  if (typeof code !== 'number') return nonGrpcError(error, resource)
  const status = CODE_NAMES[code] ?? `code ${code}`
  const options = { provider: PROVIDER }
  switch (code) {
    case 5:
      return new SecretNotFoundError(`${resource} does not exist (NOT_FOUND)`, {
        ...options,
        hint: 'create the secret or add a version, or fix the name, project or prefix',
      })
    case 9:
      // A disabled or destroyed version: reported as not found (not a config error) so a
      // fallback chain can still find the secret elsewhere.
      return new SecretNotFoundError(`${resource} is not readable (FAILED_PRECONDITION)`, {
        ...options,
        hint: 'the version is disabled or destroyed: enable it, add a new version, or pin another one',
      })
    case 7:
    case 16:
      return new SecretAccessDeniedError(`access to ${resource} was denied (${status})`, {
        ...options,
        hint: 'grant the caller roles/secretmanager.secretAccessor on the secret or project',
      })
    case 3:
    case 12:
      return new SecretConfigError(`Secret Manager rejected the request for ${resource} (${status})`, {
        ...options,
        hint: 'check the project id, the secret id and the apiEndpoint',
      })
    default:
      return new ProviderUnavailableError(`Secret Manager failed reading ${resource} (${status})`, {
        ...options,
        retryable: RETRYABLE.has(code),
      })
  }
}

function nonGrpcError(error: unknown, resource: string): SecretkitError {
  const kind = error instanceof Error ? error.name : typeof error
  const message = error instanceof Error ? error.message : ''
  if (kind === 'AbortError') {
    return new ProviderUnavailableError(`reading ${resource} was aborted`, { provider: PROVIDER })
  }
  // google-auth-library fails before any RPC when no credentials are found. Only the fact
  // is kept, not its text.
  if (/credential|authenticat/i.test(message)) {
    return new SecretConfigError(`no Google credentials to read ${resource} (${kind})`, {
      provider: PROVIDER,
      hint: 'set up Application Default Credentials (GOOGLE_APPLICATION_CREDENTIALS, a workload identity) or pass clientOptions',
    })
  }
  return new ProviderUnavailableError(`Secret Manager failed reading ${resource} (${kind})`, {
    provider: PROVIDER,
    retryable: false,
  })
}

/** The response's `data_crc32c` (int64: number, string or Long) as a number, if present. */
export function checksumOf(value: unknown): number | undefined {
  if (value === null || value === undefined) return undefined
  const parsed = Number(typeof value === 'object' ? String(value) : value)
  return Number.isFinite(parsed) ? parsed : undefined
}

/** The error for a payload whose CRC-32C does not match: corruption in transit, so retryable. */
export function checksumMismatch(resource: string): SecretkitError {
  return new ProviderUnavailableError(`the payload of ${resource} failed its CRC-32C check`, {
    provider: PROVIDER,
    retryable: true,
    hint: 'the data was corrupted in transit; the read is retried',
  })
}
