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

/** `<provider>://<path>[?<query>][#<field>]`, split but not yet decoded. */
interface RefParts {
  provider: string
  path: string
  query: string | undefined
  field: string | undefined
}

/**
 * Splits a reference: a scheme (a letter, then letters, digits, `+`, `.` or `-`), `://`, a path
 * up to the first `?` or `#`, an optional query up to the `#`, an optional field (one line).
 * `undefined` when `text` is not shaped so. Written with `indexOf` rather than a regular
 * expression: it runs at every preload start, and V8 compiles a pattern the first time it runs.
 */
function splitRef(text: string): RefParts | undefined {
  const separator = text.indexOf('://')
  if (separator < 1 || !isScheme(text, separator)) return undefined
  const start = separator + 3
  const hash = text.indexOf('#', start)
  const end = hash === -1 ? text.length : hash
  const question = text.indexOf('?', start)
  const pathEnd = question === -1 || question > end ? end : question
  const field = hash === -1 ? undefined : text.slice(hash + 1)
  if (field !== undefined && hasLineTerminator(field)) return undefined
  return {
    provider: text.slice(0, separator),
    path: text.slice(start, pathEnd),
    query: pathEnd < end ? text.slice(pathEnd + 1, end) : undefined,
    field,
  }
}

function isScheme(text: string, end: number): boolean {
  for (let index = 0; index < end; index++) {
    const code = text.charCodeAt(index)
    const letter = (code >= 65 && code <= 90) || (code >= 97 && code <= 122)
    const other = (code >= 48 && code <= 57) || code === 43 || code === 45 || code === 46
    if (!letter && (index === 0 || !other)) return false
  }
  return true
}

function hasLineTerminator(text: string): boolean {
  return text.includes('\n') || text.includes('\r') || text.includes('\u2028') || text.includes('\u2029')
}

/** True when `text` looks like `<name>://…` and `name` is one of `providerNames`. */
export function isSecretRef(text: string, providerNames: Iterable<string>): boolean {
  const parts = splitRef(text)
  if (parts === undefined) return false
  for (const name of providerNames) if (name === parts.provider) return true
  return false
}

/** Parses a reference; throws {@link SecretConfigError} naming what is wrong. */
export function parseRef(text: string): SecretRef {
  const parts = splitRef(text)
  if (parts === undefined) {
    throw new SecretConfigError(`Malformed secret reference ${JSON.stringify(text)}`, {
      ref: text,
      hint: 'write <provider>://<path>[?version=<v>|?stage=<s>][#<field>], e.g. aws://prod/db#password',
    })
  }
  const { provider, path: rawPath, query, field: rawField } = parts
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
