import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CANARY, folder, hook, node } from './support.js'

const PRINT_A = 'console.log(process.env.A)'
const CACHE_NAME = new RegExp(
  `^hook-[0-9a-f]{16}-${process.versions.v8.replace(/\./g, '\\.')}-${process.arch}\\.bin$`,
)

/** The cache files in `dir`: name, the first byte (the ways the hook has gone), inode, size. */
function cacheFiles(dir: string) {
  return readdirSync(dir).map((name) => {
    const file = join(dir, name)
    const { ino: inode, size } = statSync(file)
    return { name, outcomes: readFileSync(file)[0], inode, size }
  })
}

function app(config: object) {
  return folder({
    'secretkit.config.json': JSON.stringify(config),
    'secrets/a.env': `A=${CANARY}\n`,
    'app.mjs': PRINT_A,
  })
}

const FILE_CONFIG = { providers: { env: { type: 'env' }, file: { type: 'file', dir: './secrets' } } }

describe("the hook's code cache", () => {
  it('is written by a first start, reused by later ones, and extended when the hook goes another way', async () => {
    const cache = folder({})
    const dir = app(FILE_CONFIG)
    const env = { SECRETKIT_CODE_CACHE_DIR: cache }

    // Nothing to resolve: written, with the bit for that way (1).
    expect(await node(dir, ['--import', hook, 'app.mjs'], env)).toMatchObject({ code: 0, stderr: '' })
    const [first] = cacheFiles(cache)
    expect(first?.name).toMatch(CACHE_NAME)
    expect(first?.outcomes).toBe(1)
    // Again the same way: read, not written again.
    await node(dir, ['--import', hook, 'app.mjs'], env)
    expect(cacheFiles(cache)).toEqual([first])

    // Synchronous env/file reads (2) run other code: the cache is rewritten with both bits.
    const synced = await node(dir, ['--import', hook, 'app.mjs'], { ...env, A: 'file://a.env#A' })
    expect(synced).toMatchObject({ code: 0, stdout: `${CANARY}\n`, stderr: '' })
    const [second] = cacheFiles(cache)
    expect(second?.outcomes).toBe(1 | 2)
    expect(second?.inode).not.toBe(first?.inode)
    expect(await node(dir, ['--import', hook, 'app.mjs'], { ...env, A: 'file://a.env#A' })).toMatchObject({
      stdout: `${CANARY}\n`,
    })
    expect(cacheFiles(cache)).toEqual([second])

    // The store (here for preload.refresh) adds the third bit.
    const withStore = app({ ...FILE_CONFIG, preload: { refresh: true } })
    const stored = await node(withStore, ['--import', hook, 'app.mjs'], { ...env, A: 'file://a.env#A' })
    expect(stored).toMatchObject({ code: 0, stdout: `${CANARY}\n`, stderr: '' })
    expect(cacheFiles(cache).map((each) => each.outcomes)).toEqual([1 | 2 | 4])
  })

  it('lives beside the package unless SECRETKIT_CODE_CACHE_DIR says otherwise', async () => {
    const dir = app(FILE_CONFIG)
    expect(await node(dir, ['--import', hook, 'app.mjs'])).toMatchObject({ code: 0, stderr: '' })
    const beside = join(hook, '../../.cache')
    expect(cacheFiles(beside).some((each) => CACHE_NAME.test(each.name))).toBe(true)
  })

  it('starts the app the same with a cache it cannot use: corrupt, unwritable, or turned off', async () => {
    const dir = app(FILE_CONFIG)
    const refs = { A: 'file://a.env#A' }
    const cache = folder({})
    await node(dir, ['--import', hook, 'app.mjs'], { ...refs, SECRETKIT_CODE_CACHE_DIR: cache })
    const [written] = cacheFiles(cache)
    const file = join(cache, written?.name ?? '')

    // V8 refuses a cache that is not its own; the hook compiles the script and writes a new one.
    writeFileSync(file, Buffer.concat([Buffer.of(2), Buffer.alloc(written?.size ?? 64, 0x5a)]))
    const corrupt = await node(dir, ['--import', hook, 'app.mjs'], {
      ...refs,
      SECRETKIT_CODE_CACHE_DIR: cache,
    })
    expect(corrupt).toMatchObject({ code: 0, stdout: `${CANARY}\n`, stderr: '' })
    expect(
      readFileSync(file)
        .subarray(1, 64)
        .every((byte) => byte === 0x5a),
    ).toBe(false)
    // A first byte that names no way the hook goes: the file is not used.
    writeFileSync(file, Buffer.of(0, 1, 2, 3))
    const unknown = await node(dir, ['--import', hook, 'app.mjs'], {
      ...refs,
      SECRETKIT_CODE_CACHE_DIR: cache,
    })
    expect(unknown).toMatchObject({ code: 0, stdout: `${CANARY}\n`, stderr: '' })
    expect(readFileSync(file)[0]).toBe(2)

    // A folder that cannot be created (its parent is a file): no cache, no message.
    const blocked = folder({ 'not-a-folder': '' })
    const unwritable = await node(dir, ['--import', hook, 'app.mjs'], {
      ...refs,
      SECRETKIT_CODE_CACHE_DIR: join(blocked, 'not-a-folder', 'cache'),
    })
    expect(unwritable).toMatchObject({ code: 0, stdout: `${CANARY}\n`, stderr: '' })
    expect(readdirSync(blocked)).toEqual(['not-a-folder'])

    const unused = folder({})
    for (const off of ['off', '0', 'false', 'OFF']) {
      const result = await node(dir, ['--import', hook, 'app.mjs'], {
        ...refs,
        SECRETKIT_CODE_CACHE: off,
        SECRETKIT_CODE_CACHE_DIR: unused,
      })
      expect(result).toMatchObject({ code: 0, stdout: `${CANARY}\n`, stderr: '' })
    }
    expect(readdirSync(unused)).toEqual([])
  })

  it('comes out whole when several processes start at once and all write it', async () => {
    const cache = folder({})
    const dir = app(FILE_CONFIG)
    const env = { A: 'file://a.env#A', SECRETKIT_CODE_CACHE_DIR: cache }
    const results = await Promise.all(
      Array.from({ length: 6 }, () => node(dir, ['--import', hook, 'app.mjs'], env)),
    )
    for (const result of results) expect(result).toMatchObject({ code: 0, stdout: `${CANARY}\n`, stderr: '' })
    // One cache, no temporary file left behind, and V8 takes it: the next start does not rewrite it.
    const [written, ...others] = cacheFiles(cache)
    expect(others).toEqual([])
    expect(written?.name).toMatch(CACHE_NAME)
    expect(await node(dir, ['--import', hook, 'app.mjs'], env)).toMatchObject({ stdout: `${CANARY}\n` })
    expect(cacheFiles(cache)).toEqual([written])
  })

  it('holds compiled code only, never a value it resolved', async () => {
    const cache = folder({})
    const env = { A: 'file://a.env#A', B: 'env://C', C: CANARY, SECRETKIT_CODE_CACHE_DIR: cache }
    // Every way the hook goes, so the cache holds all of its code.
    await node(app(FILE_CONFIG), ['--import', hook, 'app.mjs'], { SECRETKIT_CODE_CACHE_DIR: cache })
    await node(app(FILE_CONFIG), ['--import', hook, 'app.mjs'], env)
    await node(app({ ...FILE_CONFIG, preload: { refresh: true } }), ['--import', hook, 'app.mjs'], env)
    const [file] = cacheFiles(cache)
    expect(file?.outcomes).toBe(7)
    const content = readFileSync(join(cache, file?.name ?? ''))
    for (const encoding of ['utf8', 'utf16le', 'latin1'] as const) {
      expect(content.includes(Buffer.from(CANARY, encoding)), encoding).toBe(false)
      expect(content.includes(Buffer.from(CANARY.slice(0, 12), encoding)), encoding).toBe(false)
    }
  })
})
