import { describe, expect, it } from 'vitest'
import { SecretkitError, SecretNotFoundError, type SecretProvider } from '../../src/index.js'

/** What a provider's real peer must let the conformance suite do. */
export interface ConformanceFixture {
  provider: SecretProvider
  /** Writes a string secret upstream (creating it or adding a new version). */
  write(path: string, value: string): Promise<void>
  /** A path that does not exist upstream. */
  missingPath: string
  /** Whether writing a new value gives a new `version` (false for env vars). @default true */
  versioned?: boolean
  cleanup?(): Promise<void>
}

const signal = new AbortController().signal

/**
 * The provider contract, run against every provider and its real peer: reads, versions,
 * rotation, typed not-found, batch order and per-id errors, tenancy shape, idempotent close.
 */
export function describeProviderConformance(label: string, setup: () => Promise<ConformanceFixture>): void {
  describe(`provider conformance: ${label}`, () => {
    it('reads a written secret, and sees a new value (and version) after a write', async () => {
      const fixture = await setup()
      try {
        await fixture.write('conformance-a', 'value-one')
        const first = await fixture.provider.get({ path: 'conformance-a' }, { signal })
        expect(decode(first.value)).toBe('value-one')
        await fixture.write('conformance-a', 'value-two')
        const second = await fixture.provider.get({ path: 'conformance-a' }, { signal })
        expect(decode(second.value)).toBe('value-two')
        if (fixture.versioned ?? true) {
          expect(second.version).toBeDefined()
          expect(second.version).not.toBe(first.version)
        }
      } finally {
        await fixture.cleanup?.()
      }
    })

    it('throws SecretNotFoundError (and only typed errors) for a missing secret', async () => {
      const fixture = await setup()
      try {
        const error = await fixture.provider
          .get({ path: fixture.missingPath }, { signal })
          .catch((caught) => caught)
        expect(error).toBeInstanceOf(SecretNotFoundError)
        expect(error).toBeInstanceOf(SecretkitError)
      } finally {
        await fixture.cleanup?.()
      }
    })

    it('getMany (when offered) answers in request order with per-id errors', async () => {
      const fixture = await setup()
      try {
        if (fixture.provider.getMany === undefined) return
        await fixture.write('conformance-b1', 'b-one')
        await fixture.write('conformance-b2', 'b-two')
        const results = await fixture.provider.getMany(
          [{ path: 'conformance-b2' }, { path: fixture.missingPath }, { path: 'conformance-b1' }],
          { signal },
        )
        expect(results).toHaveLength(3)
        expect(decode((results[0] as { value: string }).value)).toBe('b-two')
        expect(results[1]).toBeInstanceOf(SecretNotFoundError)
        expect(decode((results[2] as { value: string }).value)).toBe('b-one')
        expect(fixture.provider.maxBatchSize ?? 1).toBeGreaterThan(0)
      } finally {
        await fixture.cleanup?.()
      }
    })

    it('names tenant candidates as plain paths and closes idempotently', async () => {
      const fixture = await setup()
      try {
        const candidates = fixture.provider.tenantCandidates?.('acme', 'stripe_api_key') ?? []
        for (const candidate of candidates) {
          expect(typeof candidate.path).toBe('string')
          expect(candidate.path).toMatch(/acme|ACME|stripe/i)
        }
        await fixture.provider.close?.()
        await fixture.provider.close?.()
      } finally {
        await fixture.cleanup?.()
      }
    })
  })
}

function decode(value: string | Uint8Array): string {
  return typeof value === 'string' ? value : Buffer.from(value).toString('utf8')
}
