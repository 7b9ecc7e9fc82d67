import type { SecretProvider } from '@secretkit/core'
import type { FastifyInstance } from 'fastify'

/** A value no response, error or log line may ever contain. */
export const CANARY = 'canary-5d1e8b2f-fastify-do-not-leak'

/** Starts the app on a free loopback port and returns its base URL. */
export async function listen(app: FastifyInstance): Promise<string> {
  return app.listen({ port: 0, host: '127.0.0.1' })
}

/** A pino destination that keeps every line written, as Fastify's `logger.stream`. */
export function captureLogs() {
  const lines: string[] = []
  return {
    lines,
    stream: { write: (line: string) => void lines.push(line) },
    text: () => lines.join(''),
    /** Parsed log records. */
    records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
  }
}

/** Wraps a provider so tests can see whether the store closed it. */
export function closeCounting(provider: SecretProvider): SecretProvider & { closes: number } {
  const wrapped = {
    name: provider.name,
    get: provider.get.bind(provider),
    closes: 0,
    async close() {
      wrapped.closes++
    },
  }
  return wrapped
}
