import type { CacheEntry } from './cache/entry.js'
import { toCachePolicy, toRetryPolicy } from './cache/policy.js'
import { SecretCache } from './cache/secret-cache.js'
import {
  type InferSecrets,
  type NormalizedDeclaration,
  normalizeDeclaration,
  type SecretDeclaration,
} from './declaration.js'
import { extractValue, fieldValues, validateValue } from './derive.js'
import {
  isFallThrough,
  ProviderUnavailableError,
  SecretConfigError,
  SecretkitError,
  SecretNotFoundError,
  SecretsLoadError,
  withSecretContext,
} from './errors.js'
import { Emitter, type SecretStoreEvents } from './events.js'
import type { ProviderResult, SecretProvider, SecretRequest } from './provider.js'
import { INSPECT_CUSTOM, Redacted } from './redacted.js'
import { formatRef, parseRef, type SecretRef } from './ref.js'
import { isAuthError, type WithRotationOptions } from './rotation.js'
import { Scrubber } from './scrub.js'
import type {
  ResolveOptions,
  SecretStatus,
  SecretStore,
  SecretsOptions,
  TenantSecretLookup,
  TenantSecrets,
} from './store-types.js'
import { assertTenantId, assertTenantSecretName } from './tenant.js'

/** A reference as `resolve()` saw it: parsed once, with its cache entry kept at hand. */
interface ResolvedRef {
  readonly ref: SecretRef
  entry: CacheEntry | undefined
}

/** Past this many distinct ad-hoc references the parse memo starts over (refs are normally few). */
const MAX_REMEMBERED_REFS = 10_000

interface Slot {
  readonly declaration: NormalizedDeclaration
  /** Fast path for `get()`: the value may be returned without looking at the clock. */
  ready: boolean
  loaded: boolean
  value: unknown
  source: SecretRef | undefined
  entry: CacheEntry | undefined
  version: string | undefined
  error: SecretkitError | undefined
}

/**
 * Creates a secret store. Nothing is fetched until `load()`, `resolve()` or `tenant().get()`.
 *
 * @example
 * const secrets = createSecrets({
 *   providers: { env: envProvider(), file: fileProvider({ dir: './secrets' }) },
 *   secrets: { dbPassword: ['file://db.env#DB_PASSWORD', 'env://DB_PASSWORD'] },
 * })
 * await secrets.load()
 * connect({ password: secrets.get('dbPassword') })
 */
export function createSecrets<const D extends Record<string, SecretDeclaration> = {}>(
  options: SecretsOptions<D>,
): SecretStore<InferSecrets<D>> {
  return new Store<InferSecrets<D>>(options as SecretsOptions<Record<string, SecretDeclaration>>)
}

class Store<T extends Record<string, unknown>> implements SecretStore<T> {
  readonly #providers: Map<string, SecretProvider>
  readonly #slots = new Map<string, Slot>()
  readonly #bindings = new Map<CacheEntry, Set<Slot>>()
  readonly #refs = new Map<string, ResolvedRef>()
  readonly #events = new Emitter<SecretStoreEvents>()
  readonly #scrubber = new Scrubber()
  readonly #scrubbed = new WeakSet<ProviderResult>()
  readonly #tenancyProviders: readonly string[]
  readonly #cache: SecretCache
  #closed = false

  constructor(options: SecretsOptions<Record<string, SecretDeclaration>>) {
    if (options === null || typeof options !== 'object' || typeof options.providers !== 'object') {
      throw new SecretConfigError('createSecrets() needs a providers map', {
        hint: 'createSecrets({ providers: { env: envProvider() }, secrets: { … } })',
      })
    }
    this.#providers = new Map(Object.entries(options.providers))
    for (const [name, provider] of this.#providers) {
      if (provider === null || typeof provider !== 'object' || typeof provider.get !== 'function') {
        throw new SecretConfigError(`Provider "${name}" has no get() method`, {
          provider: name,
          hint: 'pass a provider object such as envProvider() or fileProvider({ dir })',
        })
      }
    }
    const names = new Set(this.#providers.keys())
    for (const [name, declaration] of Object.entries(options.secrets ?? {})) {
      this.#slots.set(name, {
        declaration: normalizeDeclaration(name, declaration, names),
        ready: false,
        loaded: false,
        value: undefined,
        source: undefined,
        entry: undefined,
        version: undefined,
        error: undefined,
      })
    }
    const tenancy = options.tenancy?.providers ?? [...names]
    for (const name of tenancy) {
      if (!names.has(name)) {
        throw new SecretConfigError(`tenancy.providers names unregistered provider "${name}"`, {
          provider: name,
        })
      }
    }
    this.#tenancyProviders = tenancy.filter(
      (name) => this.#providers.get(name)?.tenantCandidates !== undefined,
    )
    this.#cache = new SecretCache(
      this.#providers,
      toCachePolicy(options.cache),
      toRetryPolicy(options.retry),
      {
        updated: (entry, changed) => this.#onUpdated(entry, changed),
        failed: (entry, error) => this.#onFailed(entry, error),
        stale: (entry) => {
          for (const slot of this.#bindings.get(entry) ?? []) slot.ready = false
        },
      },
    )
  }

  get names(): readonly (keyof T & string)[] {
    return [...this.#slots.keys()]
  }

  async load(): Promise<void> {
    this.#assertOpen()
    await this.#loadAll(false)
  }

  get<K extends keyof T & string>(name: K): T[K] {
    const slot = this.#slots.get(name)
    if (slot?.ready) return slot.value as T[K]
    return this.#getSlow(name, slot) as T[K]
  }

  redacted<K extends keyof T & string>(name: K): Redacted<T[K]> {
    return new Redacted(this.get(name))
  }

  resolve(ref: string, options: ResolveOptions & { binary: true }): Promise<Uint8Array>
  resolve(ref: string, options?: ResolveOptions): Promise<string>
  resolve(text: string, options?: ResolveOptions): Promise<string | Uint8Array> {
    // Hot path: a fresh cached value, no parsing, no key building, no async frame.
    const known = options === undefined ? this.#refs.get(text) : undefined
    const entry = known?.entry
    const result = entry?.result
    if (
      result !== undefined &&
      !entry!.evicted &&
      Date.now() < entry!.freshUntil &&
      this.#scrubbed.has(result)
    ) {
      try {
        const value = extractValue(result, known!.ref.field, false)
        entry!.accessed = true
        return Promise.resolve(value)
      } catch {
        // Let the slow path report it with context.
      }
    }
    return this.#resolveSlow(text, options ?? {})
  }

  async #resolveSlow(text: string, options: ResolveOptions): Promise<string | Uint8Array> {
    let known = this.#refs.get(text)
    if (known === undefined) {
      if (this.#refs.size >= MAX_REMEMBERED_REFS) this.#refs.clear()
      known = { ref: parseRef(text), entry: undefined }
      this.#refs.set(text, known)
    }
    const { ref } = known
    try {
      if (known.entry === undefined || known.entry.evicted) {
        known.entry = this.#cache.entry(ref.provider, requestOf(ref))
      }
      const result = await this.#cache.read(known.entry)
      if (!this.#scrubbed.has(result)) this.#registerForScrubbing(result)
      return extractValue(result, ref.field, options.binary === true)
    } catch (error) {
      throw this.#withContext(error, undefined, ref)
    }
  }

  async refresh(name?: keyof T & string): Promise<void> {
    this.#assertOpen()
    if (name === undefined) await this.#loadAll(true)
    else await this.#loadSlot(this.#slotOf(name), true)
  }

  /** Every declared secret at once (same tick, so they batch); one error listing every failure. */
  async #loadAll(force: boolean): Promise<void> {
    const failures = await Promise.all(
      [...this.#slots.values()].map((slot) =>
        this.#loadSlot(slot, force).then(
          () => undefined,
          (error: SecretkitError) => ({ name: slot.declaration.name, refs: refsOf(slot), error }),
        ),
      ),
    )
    const failed = failures.filter((failure) => failure !== undefined)
    if (failed.length > 0) throw new SecretsLoadError(failed)
  }

  on<E extends keyof SecretStoreEvents>(
    event: E,
    listener: (event: SecretStoreEvents[E]) => void,
  ): () => void {
    return this.#events.on(event, listener)
  }

  off<E extends keyof SecretStoreEvents>(event: E, listener: (event: SecretStoreEvents[E]) => void): void {
    this.#events.off(event, listener)
  }

  tenant(id: string): TenantSecrets {
    assertTenantId(id)
    return Object.freeze({
      id,
      get: async (name: string) => (await this.#tenantLookup(id, name)).value.reveal(),
      lookup: (name: string) => this.#tenantLookup(id, name),
    })
  }

  async withRotation<K extends keyof T & string, R>(
    name: K,
    fn: (value: T[K]) => R | Promise<R>,
    options: WithRotationOptions = {},
  ): Promise<R> {
    const authFailed = options.isAuthError ?? isAuthError
    try {
      return await fn(this.get(name))
    } catch (error) {
      if (!authFailed(error)) throw error
      await this.refresh(name)
      return await fn(this.get(name))
    }
  }

  scrub(text: string): string {
    return this.#scrubber.scrub(text)
  }

  scrubValue<V>(value: V): V {
    return this.#scrubber.scrubValue(value)
  }

  scrubJson(value: unknown): string | undefined {
    return this.#scrubber.scrubJson(value)
  }

  scrubErrorInPlace(error: unknown): void {
    this.#scrubber.scrubErrorInPlace(error)
  }

  status(): SecretStatus[] {
    const now = Date.now()
    return [...this.#slots.values()].map((slot) => {
      const { entry, declaration } = slot
      let state: SecretStatus['state']
      if (!slot.loaded) state = slot.error ? 'failed' : 'not-loaded'
      else if (entry === undefined) state = 'missing'
      else if (entry.lastError !== undefined) state = 'error'
      else state = now < entry.freshUntil ? 'fresh' : 'stale'
      return {
        name: declaration.name,
        state,
        source: slot.source?.raw,
        provider: slot.source === undefined ? undefined : this.#providers.get(slot.source.provider)?.name,
        version: slot.version,
        ageMs: entry?.result === undefined ? undefined : now - entry.fetchedAt,
        optional: declaration.optional,
        refs: refsOf(slot),
        errorCode: (entry?.lastError ?? slot.error)?.code,
      }
    })
  }

  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    await this.#cache.close()
    for (const slot of this.#slots.values()) {
      slot.ready = false
      slot.value = undefined
    }
    this.#bindings.clear()
    this.#events.clear()
    await Promise.allSettled([...this.#providers.values()].map((provider) => provider.close?.()))
  }

  toJSON(): Record<string, unknown> {
    return { secrets: [...this.#slots.keys()], providers: [...this.#providers.keys()], closed: this.#closed }
  }

  [INSPECT_CUSTOM](
    _depth: number,
    options: object,
    inspect: (value: unknown, options: object) => string,
  ): string {
    return `SecretStore ${inspect(this.toJSON(), options)}`
  }

  #getSlow(name: string, slot: Slot | undefined): unknown {
    this.#assertOpen()
    if (slot === undefined) {
      throw new SecretConfigError(`Unknown secret "${name}"`, {
        secretName: name,
        hint: 'declare it in createSecrets({ secrets }) or read it with resolve(ref)',
      })
    }
    if (!slot.loaded) {
      throw new SecretConfigError(`Secret "${name}" was read before load() finished`, {
        secretName: name,
        hint: slot.error ? `it failed to load: ${slot.error.code}` : 'await secrets.load() at startup',
      })
    }
    const entry = slot.entry
    if (entry === undefined) return slot.value
    const now = Date.now()
    if (now < entry.freshUntil && entry.lastError === undefined) {
      slot.ready = true
      return slot.value
    }
    if (this.#cache.isServable(entry, now)) {
      this.#cache.revalidate(entry)
      return slot.value
    }
    throw this.#withContext(
      entry.lastError ?? new ProviderUnavailableError('the cached value expired'),
      name,
      slot.source,
    )
  }

  async #loadSlot(slot: Slot, force: boolean): Promise<void> {
    const { declaration } = slot
    const failures: SecretkitError[] = []
    for (const ref of declaration.refs) {
      try {
        const entry = this.#cache.entry(ref.provider, requestOf(ref))
        const result = await this.#cache.read(entry, force)
        const value = await this.#derive(declaration, ref, result)
        this.#bind(slot, entry, ref, result, value)
        return
      } catch (caught) {
        const error = this.#withContext(caught, declaration.name, ref)
        // A refresh of the source in use that merely failed keeps its last good value
        // (stale-if-error) instead of switching to a later source in the chain.
        const keepsLastGood = force && slot.source === ref && error instanceof ProviderUnavailableError
        if (keepsLastGood) throw error
        if (!isFallThrough(error)) {
          slot.error = error
          throw error
        }
        failures.push(error)
      }
    }
    if (declaration.optional) {
      this.#unbind(slot)
      slot.value = declaration.hasDefault ? declaration.defaultValue : undefined
      slot.source = undefined
      slot.version = undefined
      slot.loaded = true
      slot.ready = true
      return
    }
    const error = chainError(declaration.name, failures)
    slot.error = error
    throw error
  }

  #derive(declaration: NormalizedDeclaration, ref: SecretRef, result: ProviderResult): unknown {
    if (declaration.sensitive && !this.#scrubbed.has(result)) this.#registerForScrubbing(result)
    const value = extractValue(result, ref.field, declaration.binary)
    return declaration.schema === undefined ? value : validateValue(declaration.schema, value, value)
  }

  #bind(slot: Slot, entry: CacheEntry, ref: SecretRef, result: ProviderResult, value: unknown): void {
    if (slot.entry !== entry) {
      this.#unbind(slot)
      let bound = this.#bindings.get(entry)
      if (bound === undefined) {
        bound = new Set()
        this.#bindings.set(entry, bound)
      }
      bound.add(slot)
      entry.pinned++
      slot.entry = entry
    }
    slot.value = value
    slot.source = ref
    slot.version = result.version
    slot.error = undefined
    slot.loaded = true
    slot.ready = entry.lastError === undefined && Date.now() < entry.freshUntil
  }

  #unbind(slot: Slot): void {
    const entry = slot.entry
    if (entry === undefined) return
    this.#bindings.get(entry)?.delete(slot)
    entry.pinned--
    slot.entry = undefined
  }

  #onUpdated(entry: CacheEntry, changed: boolean): void {
    const slots = this.#bindings.get(entry)
    const result = entry.result!
    if (slots === undefined || slots.size === 0) {
      if (changed) this.#emitChange(entry.ref, entry, result.version, undefined)
      return
    }
    for (const slot of slots) {
      const previousVersion = slot.version
      const ref = slot.source!
      Promise.resolve()
        .then(() => this.#derive(slot.declaration, ref, result))
        .then(
          (value) => {
            if (slot.entry !== entry || this.#closed) return
            this.#bind(slot, entry, ref, result, value)
            if (changed) this.#emitChange(slot.declaration.name, entry, result.version, previousVersion, ref)
          },
          (caught: unknown) => {
            // The new value is unusable (schema, field): keep serving the last good one.
            const error = this.#withContext(caught, slot.declaration.name, ref)
            slot.error = error
            this.#emitError(slot.declaration.name, ref.raw, entry, error)
          },
        )
    }
  }

  #onFailed(entry: CacheEntry, error: SecretkitError): void {
    const slots = this.#bindings.get(entry)
    if (slots === undefined || slots.size === 0) {
      this.#emitError(entry.ref, entry.ref, entry, this.#withContext(error, undefined, undefined))
      return
    }
    for (const slot of slots) {
      slot.ready = false
      const ref = slot.source?.raw ?? entry.ref
      this.#emitError(
        slot.declaration.name,
        ref,
        entry,
        this.#withContext(error, slot.declaration.name, slot.source),
      )
    }
  }

  #emitChange(
    name: string,
    entry: CacheEntry,
    version: string | undefined,
    previousVersion: string | undefined,
    ref?: SecretRef,
  ): void {
    this.#events.emit('change', {
      name,
      ref: ref?.raw ?? entry.ref,
      provider: entry.providerName,
      version,
      previousVersion,
    })
  }

  #emitError(name: string, ref: string, entry: CacheEntry, error: SecretkitError): void {
    this.#events.emit('error', {
      name,
      ref,
      provider: entry.providerName,
      code: error.code,
      error,
      servingStale: this.#cache.isServable(entry),
    })
  }

  async #tenantLookup(tenant: string, nameWithField: string): Promise<TenantSecretLookup> {
    this.#assertOpen()
    const hash = nameWithField.indexOf('#')
    const name = hash === -1 ? nameWithField : nameWithField.slice(0, hash)
    const field = hash === -1 ? undefined : nameWithField.slice(hash + 1)
    assertTenantSecretName(name)
    const tried: string[] = []
    const label = `${tenant}/${name}`
    for (const providerName of this.#tenancyProviders) {
      const provider = this.#providers.get(providerName)!
      for (const candidate of provider.tenantCandidates!(tenant, name)) {
        const pick = candidate.field ?? field
        const refText = formatRef({ provider: providerName, ...candidate, field: pick })
        try {
          const entry = this.#cache.entry(providerName, requestOf(candidate))
          const result = await this.#cache.read(entry)
          if (!this.#scrubbed.has(result)) this.#registerForScrubbing(result)
          return {
            value: new Redacted(extractValue(result, pick, false) as string),
            source: refText,
            provider: provider.name,
            version: result.version,
          }
        } catch (caught) {
          const error = this.#withContext(caught, label, { raw: refText, provider: providerName })
          if (!isFallThrough(error)) throw error
          tried.push(refText)
        }
      }
    }
    throw new SecretNotFoundError(`Secret "${name}" was not found for tenant "${tenant}"`, {
      secretName: label,
      hint:
        tried.length === 0
          ? 'no registered provider supports tenancy (env, file, aws, vault, gcp, azure do)'
          : `looked in ${tried.join(', ')}`,
    })
  }

  #registerForScrubbing(result: ProviderResult): void {
    this.#scrubbed.add(result)
    this.#scrubber.add(result.value)
    for (const value of fieldValues(result)) this.#scrubber.add(value)
  }

  #withContext(
    error: unknown,
    secretName: string | undefined,
    ref: Pick<SecretRef, 'raw' | 'provider'> | undefined,
  ): SecretkitError {
    const typed =
      error instanceof SecretkitError
        ? error
        : new SecretConfigError(
            `failed with an unexpected ${error instanceof Error ? error.name : typeof error}`,
          )
    return withSecretContext(typed, { secretName, ref: ref?.raw, provider: ref?.provider })
  }

  #slotOf(name: string): Slot {
    const slot = this.#slots.get(name)
    if (slot === undefined) {
      throw new SecretConfigError(`Unknown secret "${name}"`, {
        secretName: name,
        hint: 'declare it in createSecrets({ secrets })',
      })
    }
    return slot
  }

  #assertOpen(): void {
    if (this.#closed) {
      throw new SecretConfigError('The secret store is closed', { hint: 'create a new store after close()' })
    }
  }
}

function requestOf(ref: SecretRequest): SecretRequest {
  return {
    path: ref.path,
    ...(ref.version === undefined ? {} : { version: ref.version }),
    ...(ref.stage === undefined ? {} : { stage: ref.stage }),
  }
}

function refsOf(slot: Slot): string[] {
  return slot.declaration.refs.map((ref) => ref.raw)
}

/** The error for a chain where every source fell through: the last one, naming all that were tried. */
function chainError(name: string, failures: SecretkitError[]): SecretkitError {
  const last = failures.at(-1)!
  if (failures.length === 1) return last
  const summary = failures.map((failure) => `${failure.ref} ${failure.code}`).join(', ')
  return withSecretContext(last, { secretName: name }, `no source in the chain had it (${summary})`)
}
