import { SecretConfigError } from '../errors.js'

/**
 * Imports an optional peer dependency the first time a provider needs it. A missing
 * package becomes a {@link SecretConfigError} with the install line; `import()` is cached
 * by the runtime, so later calls cost one resolved promise.
 */
export async function importPeer<T>(
  load: () => Promise<T>,
  packages: readonly string[],
  provider: string,
): Promise<T> {
  try {
    return await load()
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
      throw new SecretConfigError(`The ${provider} provider needs ${packages.join(' and ')}`, {
        provider,
        hint: `install it: npm install ${packages.join(' ')}`,
      })
    }
    throw error
  }
}
