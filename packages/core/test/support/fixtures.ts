import type { SecretDeclaration } from '../../src/declaration.js'
import { createSecrets, type SecretsOptions } from '../../src/index.js'
import { createTestingProvider, type TestingProviderOptions } from '../../src/testing/index.js'

/** A value no error, event, log line or snapshot may ever contain. */
export const CANARY = 'canary-7f3a9c1e-do-not-leak'

/** Settles pending promise callbacks and nextTick batches without moving fake time. */
export async function flush(rounds = 5): Promise<void> {
  for (let round = 0; round < rounds; round++) {
    await new Promise<void>((resolve) => process.nextTick(resolve))
    await Promise.resolve()
  }
}

export function setup<const D extends Record<string, SecretDeclaration>>(
  secrets: D,
  upstreamOptions: TestingProviderOptions = {},
  options: Omit<SecretsOptions<D>, 'providers' | 'secrets'> = {},
) {
  const upstream = createTestingProvider({
    secrets: { db: 'first', ...upstreamOptions.secrets },
    ...upstreamOptions,
  })
  const store = createSecrets({ ...options, providers: { up: upstream }, secrets })
  return { upstream, store }
}
