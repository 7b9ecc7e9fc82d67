import type { StandardSchemaV1 } from '@standard-schema/spec'
import { SecretNotFoundError, SecretValidationError } from './errors.js'
import type { ProviderResult } from './provider.js'
import { REDACTED_PLACEHOLDER } from './redacted.js'

const parsedJson = new WeakMap<ProviderResult, Record<string, unknown> | null>()
// Created on first use: the TextDecoder global loads Node's encoding code when first read,
// which a process that only ever sees string secrets never needs.
let decoder: InstanceType<typeof TextDecoder> | undefined
function decodeUtf8(bytes: Uint8Array): string {
  decoder ??= new TextDecoder('utf-8', { fatal: false })
  return decoder.decode(bytes)
}

/** The value a reader gets: the whole secret, or one `#field` of it; string unless `binary`. */
export function extractValue(
  result: ProviderResult,
  field: string | undefined,
  binary: boolean,
): string | Uint8Array {
  if (field === undefined) {
    if (binary) return typeof result.value === 'string' ? Buffer.from(result.value, 'utf8') : result.value
    return typeof result.value === 'string' ? result.value : decodeUtf8(result.value)
  }
  const fields = result.fields ?? parseJsonObject(result)
  if (!Object.hasOwn(fields, field)) {
    throw new SecretNotFoundError(`the secret has no field "${field}"`, {
      hint: 'check the #field name against the keys stored in the secret',
    })
  }
  const picked = fields[field]
  const text = typeof picked === 'string' ? picked : JSON.stringify(picked)
  return binary ? Buffer.from(text, 'utf8') : text
}

/** Top-level string values of a structured secret (its `fields`, or its JSON object), for scrubbing. */
export function fieldValues(result: ProviderResult): string[] {
  const fields = result.fields ?? tryParseJsonObject(result) ?? {}
  return Object.values(fields).filter((value): value is string => typeof value === 'string')
}

function parseJsonObject(result: ProviderResult): Record<string, unknown> {
  const parsed = tryParseJsonObject(result)
  if (parsed === null) {
    throw new SecretValidationError('a #field was requested but the secret is not a JSON object', {
      hint: 'store the secret as a JSON object, or drop the #field to read it whole',
    })
  }
  return parsed
}

function tryParseJsonObject(result: ProviderResult): Record<string, unknown> | null {
  let parsed = parsedJson.get(result)
  if (parsed === undefined) {
    try {
      const text = typeof result.value === 'string' ? result.value : decodeUtf8(result.value)
      const value: unknown = JSON.parse(text)
      parsed =
        value !== null && typeof value === 'object' && !Array.isArray(value)
          ? (value as Record<string, unknown>)
          : null
    } catch {
      // JSON.parse errors quote the input: never keep them.
      parsed = null
    }
    parsedJson.set(result, parsed)
  }
  return parsed
}

/**
 * Validates with a Standard Schema. Issue messages are kept only with the received value
 * cut out, so the error says what was expected and never what was received.
 */
export async function validateValue(
  schema: StandardSchemaV1,
  value: unknown,
  rawValue: string | Uint8Array,
): Promise<unknown> {
  const outcome = await schema['~standard'].validate(value)
  if (outcome.issues === undefined) return outcome.value
  const issues = outcome.issues.map((issue) => sanitizeIssue(issue, rawValue))
  throw new SecretValidationError(`value does not match its schema: ${issues.join('; ')}`, {
    issues,
    hint: 'fix the stored value or the schema',
  })
}

function sanitizeIssue(issue: StandardSchemaV1.Issue, rawValue: string | Uint8Array): string {
  const path = issue.path?.map((segment) => (typeof segment === 'object' ? segment.key : segment)).join('.')
  let message = issue.message.replace(/,?\s*(but\s+)?(received|got)\b.*$/is, '').trim()
  const raw = typeof rawValue === 'string' ? rawValue : decodeUtf8(rawValue)
  if (raw.length >= 3) message = message.split(raw).join(REDACTED_PLACEHOLDER)
  if (message === '') message = 'invalid value'
  return path ? `${path}: ${message}` : message
}
