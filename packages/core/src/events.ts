import type { SecretkitError, SecretkitErrorCode } from './errors.js'

/** A rotation was observed. Carries names and versions, never the value. */
export interface SecretChangeEvent {
  /** Declared secret name, or the reference for ad-hoc reads. */
  name: string
  ref: string
  provider: string
  version: string | undefined
  previousVersion: string | undefined
}

/** A background refresh failed. Carries names and codes, never the value. */
export interface SecretErrorEvent {
  name: string
  ref: string
  provider: string
  code: SecretkitErrorCode
  error: SecretkitError
  /** True while the last good value is still served (stale-if-error). */
  servingStale: boolean
}

export interface SecretStoreEvents {
  change: SecretChangeEvent
  error: SecretErrorEvent
}

type Listener<T> = (event: T) => void

/** A minimal typed emitter: no `'error'` special case, and a throwing listener cannot break a refresh. */
export class Emitter<Events extends object> {
  readonly #listeners = new Map<keyof Events, Set<Listener<never>>>()

  on<K extends keyof Events>(event: K, listener: Listener<Events[K]>): () => void {
    let set = this.#listeners.get(event)
    if (set === undefined) {
      set = new Set()
      this.#listeners.set(event, set)
    }
    set.add(listener as Listener<never>)
    return () => this.off(event, listener)
  }

  off<K extends keyof Events>(event: K, listener: Listener<Events[K]>): void {
    this.#listeners.get(event)?.delete(listener as Listener<never>)
  }

  emit<K extends keyof Events>(event: K, payload: Events[K]): void {
    const set = this.#listeners.get(event)
    if (set === undefined) return
    for (const listener of [...set]) {
      try {
        ;(listener as Listener<Events[K]>)(payload)
      } catch {
        // A listener's own failure must not stop the cache from refreshing.
      }
    }
  }

  clear(): void {
    this.#listeners.clear()
  }
}
