import { SecretNotFoundError } from '../errors.js'
import type { ProviderResult, SecretProvider } from '../provider.js'

export type MemorySecretInput = string | Uint8Array | { value: string | Uint8Array; version?: string }

export interface MemoryProvider extends SecretProvider {
  /** Stores a new value; the version is the one given or the next number. */
  set(path: string, value: string | Uint8Array, version?: string): void
  delete(path: string): void
}

export const MEMORY_PROVIDER_NAME = 'memory'

/**
 * Secrets held in memory: for tests, examples and values computed at start-up.
 *
 * @example
 * const memory = memoryProvider({ 'db/password': 'example' })
 * memory.set('db/password', 'rotated') // version 2
 */
export function memoryProvider(initial: Record<string, MemorySecretInput> = {}): MemoryProvider {
  const entries = new Map<string, ProviderResult>()
  const counters = new Map<string, number>()
  const set = (path: string, value: string | Uint8Array, version?: string) => {
    const next = (counters.get(path) ?? 0) + 1
    counters.set(path, next)
    entries.set(path, { value, version: version ?? String(next) })
  }
  for (const [path, input] of Object.entries(initial)) {
    if (typeof input === 'string' || input instanceof Uint8Array) set(path, input)
    else set(path, input.value, input.version)
  }
  return {
    name: MEMORY_PROVIDER_NAME,
    async get({ path, version }) {
      const entry = entries.get(path)
      if (entry === undefined || (version !== undefined && version !== entry.version)) {
        throw new SecretNotFoundError(
          `no in-memory secret at "${path}"${version ? ` version ${version}` : ''}`,
          {
            provider: MEMORY_PROVIDER_NAME,
            hint: 'add it to memoryProvider({ … }) or call set()',
          },
        )
      }
      return entry
    },
    set,
    delete(path) {
      entries.delete(path)
    },
  }
}

export default memoryProvider
