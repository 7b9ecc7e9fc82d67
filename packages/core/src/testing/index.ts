import { type Duration, toMilliseconds } from '../duration.js'
import {
  ProviderUnavailableError,
  SecretAccessDeniedError,
  type SecretkitError,
  SecretNotFoundError,
} from '../errors.js'
import type { ProviderCallOptions, ProviderResult, SecretProvider, SecretRequest } from '../provider.js'

/** Failures the testing provider can inject. */
export type Fault = 'not-found' | 'denied' | 'throttled' | '5xx' | 'network' | 'timeout'

export interface TestingProviderOptions {
  /** Initial secrets by path. */
  secrets?: Record<string, string | { value: string | Uint8Array; version?: string }>
  /** Offer `getMany` with this batch limit (like AWS: 20, SSM: 10). @default undefined (no batching) */
  maxBatchSize?: number
  /** Delay before every answer. @default 0 */
  latency?: Duration
  /** Provider type id reported in errors. @default 'testing' */
  name?: string
}

export interface FaultOptions {
  /** Only for this path. @default every path */
  path?: string
  /** For the next N upstream calls, then healthy again. @default forever */
  times?: number
  /** With `'throttled'`: the server's Retry-After. */
  retryAfter?: Duration
}

export interface UpstreamCalls {
  /** Upstream round-trips: `get` + `getMany` calls. */
  total: number
  get: number
  getMany: number
  /** Every path asked for, in order (a batch adds each of its paths). */
  paths: string[]
}

export interface TestingProvider extends SecretProvider {
  readonly calls: UpstreamCalls
  /** Writes a new value upstream (rotation). Version defaults to the next number. */
  set(path: string, value: string | Uint8Array, version?: string): void
  delete(path: string): void
  /** Injects a failure. Later faults are checked first. */
  fail(fault: Fault, options?: FaultOptions): void
  /** Removes every injected fault. */
  heal(): void
  setLatency(latency: Duration): void
  resetCalls(): void
}

interface ActiveFault {
  fault: Fault
  path: string | undefined
  remaining: number
  retryAfterMs: number | undefined
}

/**
 * An in-memory provider for tests: counts upstream calls, rotates values, and injects
 * not-found, denied, throttled, 5xx, network and timeout failures and latency.
 *
 * @example
 * const upstream = createTestingProvider({ secrets: { 'db': 'example' }, maxBatchSize: 20 })
 * const secrets = createSecrets({ providers: { up: upstream }, secrets: { db: 'up://db' } })
 * await secrets.load(); expect(upstream.calls.total).toBe(1)
 */
export function createTestingProvider(options: TestingProviderOptions = {}): TestingProvider {
  const name = options.name ?? 'testing'
  const values = new Map<string, ProviderResult>()
  const versions = new Map<string, number>()
  let faults: ActiveFault[] = []
  let latencyMs = toMilliseconds(options.latency ?? 0, 'latency')
  const calls: UpstreamCalls = { total: 0, get: 0, getMany: 0, paths: [] }

  const set = (path: string, value: string | Uint8Array, version?: string) => {
    const next = (versions.get(path) ?? 0) + 1
    versions.set(path, next)
    values.set(path, { value, version: version ?? `v${next}` })
  }
  for (const [path, input] of Object.entries(options.secrets ?? {})) {
    if (typeof input === 'string') set(path, input)
    else set(path, input.value, input.version)
  }

  const takeFault = (path: string): ActiveFault | undefined => {
    for (let index = faults.length - 1; index >= 0; index--) {
      const active = faults[index]!
      if (active.path !== undefined && active.path !== path) continue
      active.remaining--
      if (active.remaining <= 0) faults.splice(index, 1)
      return active
    }
    return undefined
  }

  const answer = async (request: SecretRequest, signal: AbortSignal): Promise<ProviderResult> => {
    const active = takeFault(request.path)
    if (active?.fault === 'timeout') return hang(signal)
    if (active !== undefined) throw faultError(active, name, request.path)
    const result = values.get(request.path)
    if (result === undefined || (request.version !== undefined && request.version !== result.version)) {
      throw new SecretNotFoundError(`no secret at "${request.path}"`, { provider: name })
    }
    return result
  }

  const provider: TestingProvider = {
    name,
    calls,
    async get(request: SecretRequest, { signal }: ProviderCallOptions) {
      calls.total++
      calls.get++
      calls.paths.push(request.path)
      await delay(latencyMs, signal)
      return answer(request, signal)
    },
    set,
    delete(path) {
      values.delete(path)
    },
    fail(fault, faultOptions = {}) {
      faults.push({
        fault,
        path: faultOptions.path,
        remaining: faultOptions.times ?? Number.POSITIVE_INFINITY,
        retryAfterMs:
          faultOptions.retryAfter === undefined
            ? undefined
            : toMilliseconds(faultOptions.retryAfter, 'retryAfter'),
      })
    },
    heal() {
      faults = []
    },
    setLatency(latency) {
      latencyMs = toMilliseconds(latency, 'latency')
    },
    resetCalls() {
      calls.total = 0
      calls.get = 0
      calls.getMany = 0
      calls.paths = []
    },
  }
  if (options.maxBatchSize !== undefined) {
    Object.assign(provider, {
      maxBatchSize: options.maxBatchSize,
      async getMany(requests: readonly SecretRequest[], { signal }: ProviderCallOptions) {
        calls.total++
        calls.getMany++
        for (const request of requests) calls.paths.push(request.path)
        await delay(latencyMs, signal)
        return Promise.all(requests.map((request) => answer(request, signal).catch((error: Error) => error)))
      },
    })
  }
  return provider
}

function faultError(active: ActiveFault, provider: string, path: string): SecretkitError {
  switch (active.fault) {
    case 'not-found':
      return new SecretNotFoundError(`no secret at "${path}"`, { provider })
    case 'denied':
      return new SecretAccessDeniedError(`access to "${path}" denied`, {
        provider,
        hint: 'grant read access',
      })
    case 'throttled':
      return new ProviderUnavailableError('throttled', {
        provider,
        ...(active.retryAfterMs === undefined ? {} : { retryAfterMs: active.retryAfterMs }),
      })
    case '5xx':
      return new ProviderUnavailableError('upstream answered 503 Service Unavailable', { provider })
    default:
      return new ProviderUnavailableError('network error: connection reset', { provider })
  }
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0) return Promise.resolve()
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms)
    signal.addEventListener('abort', () => {
      clearTimeout(timer)
      reject(signal.reason)
    })
  })
}

function hang(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    signal.addEventListener('abort', () => reject(signal.reason), { once: true })
  })
}
