import type { AddressInfo } from 'node:net'
import type { AnyTRPCRouter } from '@trpc/server'
import { createHTTPServer } from '@trpc/server/adapters/standalone'

/** A value no response, log line or error may ever contain. */
export const CANARY = 'canary-trpc-0c4f8a61-do-not-leak'

type ServerOptions<R extends AnyTRPCRouter> = Parameters<typeof createHTTPServer<R>>[0]

/** Serves `router` through tRPC's standalone adapter on a free loopback port. */
export async function serve<R extends AnyTRPCRouter>(options: ServerOptions<R>) {
  const server = createHTTPServer(options)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const url = `http://127.0.0.1:${port}`
  return {
    url,
    /** Calls a query over HTTP and returns the status and parsed JSON body. */
    async query(path: string, input?: unknown): Promise<{ status: number; body: any; text: string }> {
      const search = input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`
      const response = await fetch(`${url}/${path}${search}`)
      const text = await response.text()
      return { status: response.status, body: JSON.parse(text), text }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
