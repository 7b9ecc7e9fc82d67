import { ProviderUnavailableError, SecretkitError } from '../errors.js'
import type { RetryPolicy } from './policy.js'

/**
 * Runs `attempt` with a per-attempt timeout, retrying retryable {@link ProviderUnavailableError}s
 * with exponential back-off and full jitter, within the policy's attempts and deadline.
 * A server-provided `retryAfterMs` is honoured as a lower bound for the next sleep.
 */
export async function withRetry<T>(
  policy: RetryPolicy,
  attempt: (signal: AbortSignal) => Promise<T>,
  closed: AbortSignal,
): Promise<T> {
  const deadline = Date.now() + policy.deadline
  for (let attemptIndex = 0; ; attemptIndex++) {
    let error: unknown
    try {
      return await withTimeout(policy.timeout, attempt, closed)
    } catch (caught) {
      error = caught
    }
    if (!(error instanceof ProviderUnavailableError) || !error.retryable || closed.aborted) throw error
    if (attemptIndex + 1 >= policy.attempts) throw error
    const ceiling = Math.min(policy.maxDelay, policy.baseDelay * 2 ** attemptIndex)
    const delay = Math.max(Math.random() * ceiling, error.retryAfterMs ?? 0)
    if (Date.now() + delay > deadline) throw error
    await sleep(delay, closed)
    if (closed.aborted) throw error
  }
}

async function withTimeout<T>(
  timeoutMs: number,
  attempt: (signal: AbortSignal) => Promise<T>,
  closed: AbortSignal,
): Promise<T> {
  const controller = new AbortController()
  const onClose = () => controller.abort(closed.reason)
  closed.addEventListener('abort', onClose, { once: true })
  let timer: ReturnType<typeof setTimeout> | undefined
  const timedOut = new Promise<never>((_, reject) => {
    if (!Number.isFinite(timeoutMs)) return
    timer = setTimeout(() => {
      const error = new ProviderUnavailableError(`upstream call timed out after ${timeoutMs}ms`, {
        hint: 'the provider is slow or unreachable; raise retry.timeout if it is merely slow',
      })
      controller.abort(error)
      reject(error)
    }, timeoutMs)
    timer.unref?.()
  })
  try {
    return await Promise.race([attempt(controller.signal), timedOut])
  } catch (error) {
    if (error instanceof SecretkitError) throw error
    if (controller.signal.aborted && controller.signal.reason instanceof SecretkitError) {
      throw controller.signal.reason
    }
    throw error
  } finally {
    if (timer !== undefined) clearTimeout(timer)
    closed.removeEventListener('abort', onClose)
  }
}

/**
 * Back-off pause. Not unref'd: a script awaiting a read during the pause must stay alive
 * (an unref'd timer lets it exit with an unsettled await). `close()` ends the pause.
 */
function sleep(ms: number, closed: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms)
    closed.addEventListener('abort', done, { once: true })
    function done() {
      clearTimeout(timer)
      closed.removeEventListener('abort', done)
      resolve()
    }
  })
}
