import { STATUS_CODES } from 'node:http'
import { inspect } from 'node:util'
import { isSecretkitError, type SecretStore } from '@secretkit/core'
import type { ErrorRequestHandler, Request } from 'express'

export interface SecretsErrorHandlerOptions {
  /**
   * Whether the client sees the error's (scrubbed) message, `code` and `details`.
   * @default the http-errors convention: `error.expose` when set, else `status < 500`
   */
  expose?: (error: unknown, status: number) => boolean
  /** Add the scrubbed stack to the response body (development only!). @default false */
  stack?: boolean
  /**
   * Receives one scrubbed line per server error (status ≥ 500): method, URL, status, and the
   * error as `util.inspect` renders it (stack, cause, own properties). `false` logs nothing.
   * @default console.error
   */
  log?: false | ((line: string) => void)
}

/** The JSON body `secretsErrorHandler` sends. */
export interface SecretsErrorBody {
  error: { status: number; message: string; code?: string; details?: unknown; stack?: string }
}

interface HttpErrorLike {
  status?: unknown
  statusCode?: unknown
  expose?: unknown
  code?: unknown
  details?: unknown
  message?: unknown
  stack?: unknown
}

/**
 * The last error-handling middleware: answers with a JSON error whose message, details and
 * stack have every secret value the store handed out replaced by `[redacted]`, and logs the
 * same way. Secret read failures (a secretkit error, e.g. a value past stale-if-error) answer
 * 503. When the response has already started it hands a scrubbed copy of the error to
 * Express's default handler, which closes the connection.
 *
 * @example
 * app.use(secretsErrorHandler(secrets))   // after every route
 */
export function secretsErrorHandler(
  store: SecretStore<any>,
  options: SecretsErrorHandlerOptions = {},
): ErrorRequestHandler {
  const expose = options.expose ?? defaultExpose
  const log = options.log === undefined ? (line: string) => console.error(line) : options.log
  return function secretkitErrorHandler(error: unknown, req, res, next) {
    if (res.headersSent) {
      next(scrubbedCopy(store, error))
      return
    }
    const status = statusOf(error)
    if (log !== false && status >= 500) log(store.scrub(describe(req, status, error)))
    const fields = (typeof error === 'object' && error !== null ? error : {}) as HttpErrorLike
    const shown = expose(error, status)
    const body: SecretsErrorBody = {
      error: {
        status,
        message:
          shown && typeof fields.message === 'string' ? fields.message : (STATUS_CODES[status] ?? 'Error'),
        ...(shown && typeof fields.code === 'string' ? { code: fields.code } : {}),
        ...(shown && fields.details !== undefined ? { details: fields.details } : {}),
        ...(options.stack && typeof fields.stack === 'string' ? { stack: fields.stack } : {}),
      },
    }
    res.status(status)
    res.type('application/json')
    res.send(scrubbedJson(store, body))
  }
}

function defaultExpose(error: unknown, status: number): boolean {
  const flag = (error as HttpErrorLike | null)?.expose
  return typeof flag === 'boolean' ? flag : status < 500
}

function statusOf(error: unknown): number {
  if (isSecretkitError(error)) return 503
  const fields = (error ?? {}) as HttpErrorLike
  const status = fields.status ?? fields.statusCode
  return typeof status === 'number' && Number.isInteger(status) && status >= 400 && status <= 599
    ? status
    : 500
}

function describe(req: Request, status: number, error: unknown): string {
  return `${req.method} ${req.originalUrl} ${status}: ${inspect(error, { depth: 4, breakLength: Number.POSITIVE_INFINITY })}`
}

/**
 * The body as JSON with no secret value left (`store.scrubJson`). Should a secret sit where
 * scrubbing would break the JSON (such as `1234` inside a number), only status and status text
 * are sent.
 */
function scrubbedJson(store: SecretStore<any>, body: SecretsErrorBody): string {
  const { status } = body.error
  return (
    store.scrubJson(body) ?? JSON.stringify({ error: { status, message: STATUS_CODES[status] ?? 'Error' } })
  )
}

/** An Error with the original's status, message and stack, scrubbed, for Express's default handler. */
function scrubbedCopy(store: SecretStore<any>, error: unknown): Error {
  const fields = (typeof error === 'object' && error !== null ? error : {}) as HttpErrorLike
  const copy = new Error(store.scrub(typeof fields.message === 'string' ? fields.message : String(error)))
  copy.stack = store.scrub(inspect(error))
  return Object.assign(copy, { status: statusOf(error) })
}
