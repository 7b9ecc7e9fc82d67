import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { type Duration, type SecretStore, toMilliseconds } from '@secretkit/core'
import type { Express } from 'express'

export interface ListenWithSecretsOptions {
  /** Port to listen on; `0` picks a free one (read it from the returned `url`). @default 0 */
  port?: number
  /** Interface to bind. @default Node's default: every interface */
  host?: string
  /** Signals that shut the server and the store down gracefully. `[]` installs no handler. @default ['SIGTERM', 'SIGINT'] */
  signals?: readonly NodeJS.Signals[]
  /** How long in-flight requests may take after a shutdown signal before their sockets are closed. @default '10s' */
  shutdownTimeout?: Duration
  /** Runs after the server stopped and before the store closes: close your own pools here. */
  onShutdown?: () => void | Promise<void>
}

/** A server that started after every declared secret loaded. */
export interface SecretsServer {
  readonly server: Server
  /** `http://host:port` the server listens on. */
  readonly url: string
  /** Stops accepting connections, waits for in-flight requests, runs `onShutdown`, closes the store. Idempotent. */
  close(): Promise<void>
}

/**
 * Loads every declared secret, then listens — so the first request already has them. If any
 * secret fails to load, nothing listens, the store is closed and the promise rejects with
 * the `SecretsLoadError` listing every failure (names, references, codes; never values).
 * On `signals` the server stops accepting, in-flight requests finish, then the store closes.
 *
 * @example
 * const { url } = await listenWithSecrets(app, secrets, { port: 3000 })
 */
export async function listenWithSecrets(
  app: Express,
  store: SecretStore<any>,
  options: ListenWithSecretsOptions = {},
): Promise<SecretsServer> {
  const shutdownTimeout = toMilliseconds(options.shutdownTimeout ?? '10s', 'shutdownTimeout')
  try {
    await store.load()
  } catch (error) {
    await store.close()
    throw error
  }
  const server = createServer(app)
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(options.port ?? 0, options.host, () => {
        server.off('error', reject)
        resolve()
      })
    })
  } catch (error) {
    await store.close()
    throw error
  }

  let closing: Promise<void> | undefined
  const signals = options.signals ?? ['SIGTERM', 'SIGINT']
  const onSignal = () => {
    close().catch(() => {
      process.exitCode = 1
    })
  }
  function close(): Promise<void> {
    closing ??= (async () => {
      for (const signal of signals) process.off(signal, onSignal)
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()))
      // A keep-alive socket whose request finishes during shutdown would otherwise idle until
      // its timeout: sweep idle sockets until the server is closed.
      server.closeIdleConnections()
      const sweep = setInterval(() => server.closeIdleConnections(), 50)
      const force = setTimeout(() => server.closeAllConnections(), shutdownTimeout)
      sweep.unref()
      force.unref()
      await stopped
      clearInterval(sweep)
      clearTimeout(force)
      try {
        await options.onShutdown?.()
      } finally {
        await store.close()
      }
    })()
    return closing
  }
  for (const signal of signals) process.once(signal, onSignal)
  return { server, url: urlOf(server.address() as AddressInfo), close }
}

function urlOf(address: AddressInfo): string {
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address
  return `http://${host}:${address.port}`
}
