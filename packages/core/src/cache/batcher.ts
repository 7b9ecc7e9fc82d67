import { ProviderUnavailableError } from '../errors.js'
import type { ProviderCallOptions, ProviderResult, SecretProvider, SecretRequest } from '../provider.js'

interface PendingRead {
  request: SecretRequest
  resolve: (result: ProviderResult) => void
  reject: (error: unknown) => void
}

type Call = <T>(attempt: (options: ProviderCallOptions) => Promise<T>) => Promise<T>

/** Largest batch when a provider has `getMany` but states no limit. */
const DEFAULT_MAX_BATCH = 20

/**
 * Coalesces reads that arrive in the same tick for one provider into `getMany` calls of
 * at most `maxBatchSize` ids. Reads pinned to a version or stage go through `get`.
 */
export class ProviderBatcher {
  readonly #provider: SecretProvider
  readonly #call: Call
  #queue: PendingRead[] = []

  constructor(provider: SecretProvider, call: Call) {
    this.#provider = provider
    this.#call = call
  }

  read(request: SecretRequest): Promise<ProviderResult> {
    const provider = this.#provider
    if (provider.getMany === undefined || request.version !== undefined || request.stage !== undefined) {
      return this.#call((options) => provider.get(request, options))
    }
    return new Promise((resolve, reject) => {
      // nextTick runs after the current synchronous turn: every read issued in it joins the batch.
      if (this.#queue.length === 0) process.nextTick(() => this.#flush())
      this.#queue.push({ request, resolve, reject })
    })
  }

  #flush(): void {
    const queue = this.#queue
    this.#queue = []
    const size = Math.max(1, this.#provider.maxBatchSize ?? DEFAULT_MAX_BATCH)
    for (let start = 0; start < queue.length; start += size) {
      void this.#send(queue.slice(start, start + size))
    }
  }

  async #send(chunk: PendingRead[]): Promise<void> {
    const provider = this.#provider
    try {
      if (chunk.length === 1) {
        const [only] = chunk as [PendingRead]
        only.resolve(await this.#call((options) => provider.get(only.request, options)))
        return
      }
      const requests = chunk.map((pending) => pending.request)
      const results = await this.#call((options) => provider.getMany!(requests, options))
      chunk.forEach((pending, index) => {
        const result = results[index]
        if (result === undefined)
          pending.reject(new Error(`${provider.name}: getMany returned too few results`))
        else if (result instanceof ProviderUnavailableError && result.retryable) {
          // One id failed transiently inside a good batch: retry that id alone under the policy.
          this.#call((options) => provider.get(pending.request, options)).then(
            pending.resolve,
            pending.reject,
          )
        } else if (result instanceof Error) pending.reject(result)
        else pending.resolve(result)
      })
    } catch (error) {
      for (const pending of chunk) pending.reject(error)
    }
  }
}
