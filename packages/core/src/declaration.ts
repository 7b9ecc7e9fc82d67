import type { StandardSchemaV1 } from '@standard-schema/spec'
import { SecretConfigError } from './errors.js'
import { parseRef, type SecretRef } from './ref.js'

/** One declared secret: a reference, a fallback chain, or the full form. */
export type SecretDeclaration = string | readonly string[] | SecretDeclarationOptions

export interface SecretDeclarationOptions {
  /** Reference, or fallback chain tried in order (e.g. cloud → env). */
  from: string | readonly string[]
  /** Any Standard Schema (zod, valibot, arktype, …); `get()` returns its output type. */
  schema?: StandardSchemaV1
  /** A missing secret is `undefined` (or `default`) instead of a load error. @default false */
  optional?: boolean
  /** Value used when an optional secret is missing. */
  default?: unknown
  /** Return bytes (`Uint8Array`) instead of a UTF-8 string. @default false */
  binary?: boolean
  /** Scrub this value from errors and logs. Turn off for non-secret config such as a port. @default true */
  sensitive?: boolean
  /** Free text shown by `secretkit check`. */
  description?: string
}

type ValueOf<D> = D extends { schema: infer S extends StandardSchemaV1 }
  ? StandardSchemaV1.InferOutput<S>
  : D extends { binary: true }
    ? Uint8Array
    : string

/** The type `get(name)` returns for a declaration. */
export type DeclaredValue<D> = D extends { optional: true }
  ? D extends { default: unknown }
    ? ValueOf<D>
    : ValueOf<D> | undefined
  : ValueOf<D>

/** Maps a declaration map to the values `get()` returns. */
export type InferSecrets<D> = { -readonly [K in keyof D]: DeclaredValue<D[K]> }

export interface NormalizedDeclaration {
  readonly name: string
  readonly refs: readonly SecretRef[]
  readonly schema: StandardSchemaV1 | undefined
  readonly optional: boolean
  readonly hasDefault: boolean
  readonly defaultValue: unknown
  readonly binary: boolean
  readonly sensitive: boolean
  readonly description: string | undefined
}

const DECLARATION_KEYS = new Set([
  'from',
  'schema',
  'optional',
  'default',
  'binary',
  'sensitive',
  'description',
])

export function normalizeDeclaration(
  name: string,
  declaration: SecretDeclaration,
  providerNames: ReadonlySet<string>,
): NormalizedDeclaration {
  const options: SecretDeclarationOptions =
    typeof declaration === 'string' || Array.isArray(declaration)
      ? { from: declaration as string | readonly string[] }
      : (declaration as SecretDeclarationOptions)
  if (options === null || typeof options !== 'object' || options.from === undefined) {
    throw new SecretConfigError(`Secret "${name}" has no "from" reference`, {
      secretName: name,
      hint: "declare it as 'provider://path', a list of references, or { from: … }",
    })
  }
  for (const key of Object.keys(options)) {
    if (!DECLARATION_KEYS.has(key)) {
      throw new SecretConfigError(`Secret "${name}" has an unknown option "${key}"`, {
        secretName: name,
        hint: `allowed options: ${[...DECLARATION_KEYS].join(', ')}`,
      })
    }
  }
  const chain = typeof options.from === 'string' ? [options.from] : [...options.from]
  if (chain.length === 0) {
    throw new SecretConfigError(`Secret "${name}" has an empty fallback chain`, {
      secretName: name,
      hint: 'give at least one reference',
    })
  }
  const refs = chain.map((text) => {
    const ref = parseRef(text)
    if (!providerNames.has(ref.provider)) {
      throw new SecretConfigError(`Secret "${name}" uses unregistered provider "${ref.provider}"`, {
        secretName: name,
        ref: ref.raw,
        provider: ref.provider,
        hint: `registered providers: ${[...providerNames].join(', ') || 'none'}`,
      })
    }
    return ref
  })
  if (options.schema !== undefined && typeof options.schema?.['~standard']?.validate !== 'function') {
    throw new SecretConfigError(`Secret "${name}" has a schema that is not a Standard Schema`, {
      secretName: name,
      hint: 'use zod, valibot, arktype or any library implementing https://standardschema.dev',
    })
  }
  return {
    name,
    refs,
    schema: options.schema,
    optional: options.optional ?? false,
    hasDefault: 'default' in options,
    defaultValue: options.default,
    binary: options.binary ?? false,
    sensitive: options.sensitive ?? true,
    description: options.description,
  }
}
