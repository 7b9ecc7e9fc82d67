import { SecretConfigError } from './errors.js'

// Letters, digits, `_`, `-`, `.`; no separators, no `..`, no NUL: a tenant id can never
// step into another tenant's path, file or key.
const SAFE_SEGMENT = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/

/** Throws unless `id` is a safe tenant id. */
export function assertTenantId(id: unknown): asserts id is string {
  if (typeof id !== 'string' || !SAFE_SEGMENT.test(id) || id.includes('..')) {
    throw new SecretConfigError(`Invalid tenant id ${describe(id)}`, {
      hint: 'tenant ids are 1–128 letters, digits, "_", "-" or "."; no "/", "\\", "..", or NUL',
    })
  }
}

/** Throws unless `name` is a safe secret name for a tenant lookup. */
export function assertTenantSecretName(name: unknown): asserts name is string {
  if (typeof name !== 'string' || !SAFE_SEGMENT.test(name) || name.includes('..')) {
    throw new SecretConfigError(`Invalid tenant secret name ${describe(name)}`, {
      hint: 'secret names are 1–128 letters, digits, "_", "-" or "."; no "/", "\\", "..", or NUL',
    })
  }
}

function describe(value: unknown): string {
  // JSON.stringify escapes NUL and control characters, so the message stays one printable line.
  return typeof value === 'string' ? JSON.stringify(value.slice(0, 64)) : `of type ${typeof value}`
}
