import { mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import type { SecretDeclaration } from '../src/declaration.js'
import { createSecrets, memoryProvider, SecretNotFoundError, type SecretProvider } from '../src/index.js'
import { envProvider, fileProvider, MAX_SYNC_FILE_BYTES, readSecretsSync } from '../src/sync.js'
import { CANARY } from './support/fixtures.js'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'secretkit-sync-'))
  await writeFile(join(dir, 'db.env'), `DB_PASSWORD=${CANARY}\nDB_USER=app\n`)
  await writeFile(join(dir, 'stripe.json'), JSON.stringify({ api_key: 'sk_test_1', nested: { a: 1 } }))
  await writeFile(join(dir, 'token.txt'), '  text-token\n')
  await writeFile(join(dir, 'big.txt'), 'x'.repeat(MAX_SYNC_FILE_BYTES + 1))
  await writeFile(join(dir, 'limit.txt'), 'y'.repeat(MAX_SYNC_FILE_BYTES))
  await mkdir(join(dir, 'folder.txt'))
})

const env = { DB_PASSWORD: 'from-env', EMPTY: '', USER_NAME: 'app' }
const providers = () => ({ env: envProvider({ env }), file: fileProvider({ dir }) })

/** What the store makes of the same declarations: values by name, and the winning source. */
async function viaStore(secrets: Record<string, SecretDeclaration>) {
  const store = createSecrets({ providers: providers(), secrets })
  await store.load()
  const result = store.status().map((status) => ({
    name: status.name,
    value: store.get(status.name),
    source: status.source,
    provider: status.provider,
    version: status.version,
  }))
  await store.close()
  return result
}

describe('getSync of the env and file providers', () => {
  it('answers as get() does, values and errors alike', async () => {
    const { env: envs, file } = providers()
    for (const [provider, path] of [
      [envs, 'DB_PASSWORD'],
      [file, 'db.env'],
      [file, 'stripe'],
      [file, 'token.txt'],
      [file, 'limit.txt'],
    ] as const) {
      expect(provider.getSync?.({ path })).toEqual(
        await provider.get({ path }, { signal: AbortSignal.timeout(1000) }),
      )
    }
    for (const [provider, path] of [
      [envs, 'NOPE'],
      [envs, 'EMPTY'],
      [file, 'nope'],
      [file, '../outside.txt'],
    ] as const) {
      const asyncError = await provider.get({ path }, { signal: AbortSignal.timeout(1000) }).catch((e) => e)
      expect(() => provider.getSync?.({ path })).toThrow(asyncError.constructor)
      expect(() => provider.getSync?.({ path })).toThrow(asyncError.message)
    }
  })

  it('leaves files over MAX_SYNC_FILE_BYTES and anything but a regular file to get()', async () => {
    const { file } = providers()
    expect(file.getSync?.({ path: 'big.txt' })).toBeUndefined()
    expect(file.getSync?.({ path: 'folder.txt' })).toBeUndefined()
    await expect(file.get({ path: 'big.txt' }, { signal: AbortSignal.timeout(1000) })).resolves.toMatchObject(
      {
        value: 'x'.repeat(MAX_SYNC_FILE_BYTES + 1),
      },
    )
  })
})

describe('readSecretsSync', () => {
  it('reads what load() reads: fields, fallback chains, optional secrets and defaults', async () => {
    const secrets: Record<string, SecretDeclaration> = {
      DB_PASSWORD: 'file://db.env#DB_PASSWORD',
      DB_USER: 'env://USER_NAME',
      STRIPE: 'file://stripe#api_key',
      NESTED: 'file://stripe.json#nested',
      TOKEN: ['file://nope.txt', 'env://NOPE', 'file://token'],
      FIELD_FALLBACK: ['file://db.env#MISSING', 'env://DB_PASSWORD'],
      OPTIONAL: { from: 'env://NOPE', optional: true },
      DEFAULTED: { from: ['env://NOPE', 'file://nope'], optional: true, default: 'fallback' },
      BYTES: { from: 'file://token.txt', binary: true },
    }
    const read = readSecretsSync({ providers: providers(), secrets })
    expect(read).toBeDefined()
    const expected = await viaStore(secrets)
    expect(
      read?.map(({ name, value, source, provider, version }) => ({ name, value, source, provider, version })),
    ).toEqual(expected)
    expect(read?.find((secret) => secret.name === 'TOKEN')?.refs).toEqual([
      'file://nope.txt',
      'env://NOPE',
      'file://token',
    ])
  })

  it('returns undefined, throwing nothing, whenever the store has more to do or to report', () => {
    const cases: [string, Record<string, SecretProvider>, Record<string, SecretDeclaration>][] = [
      ['a required secret no source has', providers(), { A: 'env://NOPE' }],
      ['an empty variable', providers(), { A: 'env://EMPTY' }],
      ['a path outside the folder', providers(), { A: 'file://../etc/passwd' }],
      ['a file too large to read at once', providers(), { A: 'file://big.txt' }],
      ['a directory', providers(), { A: 'file://folder.txt' }],
      ['a provider without getSync', { ...providers(), mem: memoryProvider({ a: 'x' }) }, { A: 'mem://a' }],
      ['an unregistered provider', providers(), { A: 'aws://prod/db' }],
      ['a malformed reference', providers(), { A: 'env://' }],
      ['an unknown option', providers(), { A: { from: 'env://USER_NAME', nope: true } as SecretDeclaration }],
      [
        'a schema (validation may be asynchronous)',
        providers(),
        {
          A: {
            from: 'env://USER_NAME',
            schema: {
              '~standard': { version: 1, vendor: 'test', validate: (value: unknown) => ({ value }) },
            },
          },
        },
      ],
      ['one failure among successes', providers(), { A: 'env://USER_NAME', B: 'file://db.env#NOPE' }],
      [
        'an error other than not found before a source that has it',
        {
          env: envProvider({ env }),
          flaky: {
            name: 'flaky',
            get: () => Promise.reject(new Error('x')),
            getSync: () => {
              throw new SecretNotFoundError('gone') // not found: falls through
            },
          },
          broken: {
            name: 'broken',
            get: () => Promise.reject(new Error('x')),
            getSync: () => {
              throw new Error(CANARY)
            },
          },
        },
        { A: ['flaky://a', 'broken://b', 'env://USER_NAME'] },
      ],
    ]
    for (const [what, providerMap, secrets] of cases) {
      expect({ what, read: readSecretsSync({ providers: providerMap, secrets }) }).toEqual({
        what,
        read: undefined,
      })
    }
  })

  it('reads nothing and asks no provider when there is nothing declared', () => {
    expect(readSecretsSync({ providers: providers(), secrets: {} })).toEqual([])
  })
})
