import { CallCounter } from './fault-injection.js'

/** The slice of an AWS SDK v3 client this helper needs (any SecretsManagerClient / SSMClient). */
interface MiddlewareClient {
  middlewareStack: { add(middleware: any, options: { step: 'initialize'; name: string }): void }
}

/**
 * moto keeps no request counts, so count on the client side: one record per command sent
 * (`GetSecretValue`, `BatchGetSecretValue`, …), retries not included.
 */
export function countAwsCommands(client: MiddlewareClient): CallCounter {
  const counter = new CallCounter()
  client.middlewareStack.add(
    (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => (args: unknown) => {
      counter.record((context.commandName ?? 'Unknown').replace(/Command$/, ''))
      return next(args)
    },
    { step: 'initialize', name: 'secretkitCommandCounter' },
  )
  return counter
}
