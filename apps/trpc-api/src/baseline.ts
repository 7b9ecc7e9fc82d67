import { initTRPC } from '@trpc/server'
import { signInput } from './router.js'
import { signPayload } from './sign.js'

/**
 * The same signing procedure without secretkit: the key is passed in once. The benchmark
 * compares this router with {@link createAppRouter} to price the integration.
 */
export function createBaselineRouter(webhookKey: string) {
  const t = initTRPC.create()
  return t.router({
    webhooks: t.router({
      sign: t.procedure
        .input(signInput)
        .mutation(({ input }) => ({ signature: signPayload(webhookKey, input.payload) })),
    }),
  })
}
