import { createSecretsContext, requireSecrets, secretsErrorFormatter } from '@secretkit/trpc'
import { initTRPC, TRPCError } from '@trpc/server'
import type { CreateHTTPContextOptions } from '@trpc/server/adapters/standalone'
import type { AppSecrets } from './secrets.js'
import { payloadOf, signPayload, tokenMatches } from './sign.js'

/** `{ payload: string }`, checked without a schema library. */
export function signInput(raw: unknown): { payload: string } {
  const payload = payloadOf(raw)
  if (payload === undefined)
    throw new TRPCError({ code: 'BAD_REQUEST', message: 'send {"payload": "<text>"}' })
  return { payload }
}

/** The sample app's router: ctx.secrets on every call, errors scrubbed before they leave. */
export function createAppRouter(secrets: AppSecrets) {
  const createContext = createSecretsContext(secrets, ({ req }: CreateHTTPContextOptions) => ({
    authorization: req.headers.authorization,
  }))
  const t = initTRPC
    .context<typeof createContext>()
    .create({ errorFormatter: secretsErrorFormatter(secrets) })
  const router = t.router({
    webhooks: t.router({
      sign: t.procedure
        .use(requireSecrets(['webhookKey']))
        .input(signInput)
        .mutation(({ ctx, input }) => ({
          signature: signPayload(ctx.secrets.get('webhookKey'), input.payload),
        })),
    }),
    // Names, sources, versions and ages of the secrets (never values), for operators.
    adminSecrets: t.procedure.use(requireSecrets(['adminToken'])).query(({ ctx }) => {
      const token = ctx.authorization?.replace(/^Bearer /, '')
      if (!tokenMatches(token, ctx.secrets.get('adminToken'))) throw new TRPCError({ code: 'UNAUTHORIZED' })
      return ctx.secrets
        .status()
        .map(({ name, state, source, version, ageMs }) => ({ name, state, source, version, ageMs }))
    }),
    // Demo procedure: a resolver bug that puts the key in an error. secretsErrorFormatter scrubs it.
    debug: t.router({
      leak: t.procedure.query(({ ctx }) => {
        throw new Error(`upstream rejected webhook key ${ctx.secrets.get('webhookKey')}`)
      }),
    }),
  })
  return { router, createContext }
}

export type AppRouter = ReturnType<typeof createAppRouter>['router']
