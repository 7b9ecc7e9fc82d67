import { SecretConfigError } from './errors.js'

/**
 * A parsed secret reference: `<provider>://<path>[?version=<v>|?stage=<s>][#<field>]`.
 * References name where a secret lives; they never contain the value.
 */
export interface SecretRef {
  /** The registered provider name (the scheme). */
  readonly provider: string
  readonly path: string
  readonly version?: string
  readonly stage?: string
  /** Key of a JSON secret (or of a `.env` file) to pick. */
  readonly field?: string
  /** The reference as written, normalised. */
  readonly raw: string
}

// Letter ranges spelled out rather than the `i` flag: V8 sets up case folding the first time a
// case-insensitive pattern runs, a quarter of a millisecond at every preload start.
const REF_PATTERN = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/

/** True when `text` looks like `<name>://…` and `name` is one of `providerNames`. */
export function isSecretRef(text: string, providerNames: Iterable<string>): boolean {
  const match = REF_PATTERN.exec(text)
  if (!match) return false
  for (const name of providerNames) if (name === match[1]) return true
  return false
}

/** Parses a reference; throws {@link SecretConfigError} naming what is wrong. */
export function parseRef(text: string): SecretRef {
  const match = REF_PATTERN.exec(text)
  if (!match) {
    throw new SecretConfigError(`Malformed secret reference ${JSON.stringify(text)}`, {
      ref: text,
      hint: 'write <provider>://<path>[?version=<v>|?stage=<s>][#<field>], e.g. aws://prod/db#password',
    })
  }
  const [, provider = '', rawPath = '', query, rawField] = match
  const path = decodeURIComponent(rawPath)
  if (path === '') {
    throw new SecretConfigError(`Secret reference ${JSON.stringify(text)} has an empty path`, {
      ref: text,
      provider,
      hint: 'name the secret after the ://, e.g. env://DB_PASSWORD',
    })
  }
  let version: string | undefined
  let stage: string | undefined
  if (query) {
    for (const [key, value] of new URLSearchParams(query)) {
      if (key === 'version') version = value
      else if (key === 'stage') stage = value
      else {
        throw new SecretConfigError(`Unknown option "${key}" in secret reference ${JSON.stringify(text)}`, {
          ref: text,
          provider,
          hint: 'only ?version=<v> and ?stage=<s> are understood',
        })
      }
    }
    if (version !== undefined && stage !== undefined) {
      throw new SecretConfigError(`Secret reference ${JSON.stringify(text)} sets both version and stage`, {
        ref: text,
        provider,
        hint: 'pin either a version or a stage, not both',
      })
    }
  }
  const field = rawField === undefined || rawField === '' ? undefined : decodeURIComponent(rawField)
  return {
    provider,
    path,
    ...(version === undefined ? {} : { version }),
    ...(stage === undefined ? {} : { stage }),
    ...(field === undefined ? {} : { field }),
    raw: formatRef({ provider, path, version, stage, field }),
  }
}

/** Writes a reference back out; the inverse of {@link parseRef}. */
export function formatRef(ref: {
  provider: string
  path: string
  version?: string | undefined
  stage?: string | undefined
  field?: string | undefined
}): string {
  let text = `${ref.provider}://${ref.path}`
  if (ref.version !== undefined) text += `?version=${encodeURIComponent(ref.version)}`
  else if (ref.stage !== undefined) text += `?stage=${encodeURIComponent(ref.stage)}`
  if (ref.field !== undefined) text += `#${ref.field}`
  return text
}
