import { randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { AwsStubError, type AwsStubState, awsJsonOperations } from './aws-fault-stub-operations.js'
import { CallCounter, type FaultRule, FaultSwitchboard } from './fault-injection.js'

/**
 * - `throttle`: 400 `ThrottlingException` (the SDK retries it, then surfaces it)
 * - `server-error` / `unavailable`: 500 / 503
 * - `malformed`: 200 with a truncated JSON body
 * - `delay`: answers normally after `delayMs`
 * - `connection-reset`: destroys the socket without answering (network error)
 */
export type AwsFaultKind =
  | 'throttle'
  | 'server-error'
  | 'unavailable'
  | 'malformed'
  | 'delay'
  | 'connection-reset'

export interface AwsFaultStubOptions {
  /** Secrets Manager secrets by name (SecretString). */
  secrets?: Record<string, string>
  /** SSM parameters by name (returned as SecureString). */
  parameters?: Record<string, string>
}

export interface AwsFaultStub {
  /** Pass as `endpoint` to SecretsManagerClient / SSMClient. */
  readonly endpoint: string
  readonly port: number
  readonly region: string
  readonly credentials: { accessKeyId: string; secretAccessKey: string }
  /** Creates the secret or adds a new current version (new VersionId). */
  setSecret(name: string, value: string): void
  deleteSecret(name: string): void
  /** Creates the parameter or bumps its Version. */
  setParameter(name: string, value: string, type?: 'String' | 'SecureString' | 'StringList'): void
  deleteParameter(name: string): void
  /** Injects a fault for the next `times` matching calls (or always when `times` is omitted). */
  fault(rule: FaultRule<AwsFaultKind>): void
  clearFaults(): void
  /** Requests per operation (from `X-Amz-Target`, e.g. `GetSecretValue`), faulted ones included. */
  readonly calls: CallCounter
  /** Clears faults and counters (data is kept). */
  reset(): void
  stop(): Promise<void>
}

/**
 * A fault-injecting HTTP server speaking AWS JSON 1.1 for Secrets Manager (GetSecretValue,
 * BatchGetSecretValue) and SSM (GetParameter, GetParameters, GetParametersByPath) from memory.
 * For error paths moto cannot produce; use moto for everything else.
 */
export async function startAwsFaultStub(options: AwsFaultStubOptions = {}): Promise<AwsFaultStub> {
  const state: AwsStubState = { secrets: new Map(), parameters: new Map() }
  const faults = new FaultSwitchboard<AwsFaultKind>()
  const calls = new CallCounter()
  const setSecret = (name: string, value: string) => {
    state.secrets.set(name, { value, versionId: randomUUID(), createdDate: Date.now() / 1000 })
  }
  const setParameter = (
    name: string,
    value: string,
    type: 'String' | 'SecureString' | 'StringList' = 'SecureString',
  ) => {
    const version = (state.parameters.get(name)?.version ?? 0) + 1
    state.parameters.set(name, { value, type, version, lastModifiedDate: Date.now() / 1000 })
  }
  for (const [name, value] of Object.entries(options.secrets ?? {})) setSecret(name, value)
  for (const [name, value] of Object.entries(options.parameters ?? {})) setParameter(name, value)

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) sendError(response, 500, 'InternalFailure', String(error))
      else response.destroy()
    })
  })

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const target = String(request.headers['x-amz-target'] ?? '')
    const operation = target.slice(target.indexOf('.') + 1)
    calls.record(operation)
    const body = await readBody(request)
    const fault = faults.take(operation)
    if (fault?.delayMs) await sleep(fault.delayMs)
    switch (fault?.kind) {
      case 'throttle':
        return sendError(response, 400, 'ThrottlingException', 'Rate exceeded')
      case 'server-error':
        return sendError(response, 500, 'InternalServiceError', 'Injected internal error')
      case 'unavailable':
        return sendError(response, 503, 'ServiceUnavailable', 'Injected unavailability')
      case 'connection-reset':
        request.socket.destroy()
        return
      case 'malformed':
        response.writeHead(200, jsonHeaders())
        response.end('{"SecretString": "trunc')
        return
    }
    const run = awsJsonOperations[target]
    if (!run) return sendError(response, 400, 'UnknownOperationException', `Unsupported target ${target}`)
    try {
      const input = body.length ? (JSON.parse(body) as Record<string, unknown>) : {}
      const output = JSON.stringify(run(state, input))
      response.writeHead(200, jsonHeaders())
      response.end(output)
    } catch (error) {
      if (error instanceof AwsStubError) return sendError(response, 400, error.type, error.message)
      if (error instanceof SyntaxError) return sendError(response, 400, 'SerializationException', 'Bad JSON')
      throw error
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    region: 'us-east-1',
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    setSecret,
    deleteSecret: (name) => void state.secrets.delete(name),
    setParameter,
    deleteParameter: (name) => void state.parameters.delete(name),
    fault: (rule) => faults.add(rule),
    clearFaults: () => faults.clear(),
    calls,
    reset() {
      faults.clear()
      calls.reset()
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

function jsonHeaders(): Record<string, string> {
  return { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': randomUUID() }
}

function sendError(response: ServerResponse, status: number, type: string, message: string): void {
  response.writeHead(status, { ...jsonHeaders(), 'x-amzn-errortype': type })
  response.end(JSON.stringify({ __type: type, message }))
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of request) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}
