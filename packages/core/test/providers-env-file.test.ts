import { spawnSync } from 'node:child_process'
import { chmod, mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  createSecrets,
  envProvider,
  fileProvider,
  memoryProvider,
  SecretConfigError,
  SecretNotFoundError,
} from '../src/index.js'

describe('env provider', () => {
  it('reads {prefix}{path}, sees changes on refresh, and treats empty as missing', async () => {
    const env: Record<string, string | undefined> = { APP_DB_PASSWORD: 'pw-1', APP_EMPTY: '' }
    const store = createSecrets({
      providers: { env: envProvider({ prefix: 'APP_', env }) },
      secrets: { db: 'env://DB_PASSWORD' },
    })
    await store.load()
    expect(store.get('db')).toBe('pw-1')
    env.APP_DB_PASSWORD = 'pw-2'
    await store.refresh('db')
    expect(store.get('db')).toBe('pw-2')
    await expect(store.resolve('env://EMPTY')).rejects.toThrow(/APP_EMPTY is empty/)
    await expect(store.resolve('env://NOPE')).rejects.toThrow(/APP_NOPE is not set — set APP_NOPE/)
    await store.close()
  })

  it('allowEmpty accepts an empty variable', async () => {
    const store = createSecrets({ providers: { env: envProvider({ env: { EMPTY: '' }, allowEmpty: true }) } })
    expect(await store.resolve('env://EMPTY')).toBe('')
    await store.close()
  })
})

describe('file provider', () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'secretkit-file-'))
    await writeFile(join(dir, 'stripe.json'), JSON.stringify({ api_key: 'sk_test_1', nested: { a: 1 } }))
    await writeFile(join(dir, 'postgres.env'), 'DB_PASSWORD="p@ss word"\nDB_USER=app\n')
    await writeFile(
      join(dir, 'app.env'),
      '# app settings\nexport TOKEN=tok-1 # rotated monthly\nCERT="line one\nline two"\nESCAPED="a\\nb"\nRAW=\'a\\nb\'\n',
    )
    await writeFile(join(dir, 'api_key.txt'), '  text-key\n')
    await writeFile(join(dir, 'tls.key'), '-----BEGIN KEY-----\nabc\n-----END KEY-----\n\n')
    await mkdir(join(dir, 'folder'))
  })

  it('parses .json and .env (so #field works), trims .txt and .key, and finds the extension', async () => {
    const store = createSecrets({
      providers: { file: fileProvider({ dir }) },
      secrets: {
        stripe: 'file://stripe.json#api_key',
        nested: 'file://stripe#nested',
        password: 'file://postgres.env#DB_PASSWORD',
        text: 'file://api_key',
        key: 'file://tls.key',
      },
    })
    await store.load()
    expect(store.get('stripe')).toBe('sk_test_1')
    expect(store.get('nested')).toBe('{"a":1}')
    expect(store.get('password')).toBe('p@ss word')
    expect(store.get('text')).toBe('text-key')
    expect(store.get('key')).toBe('-----BEGIN KEY-----\nabc\n-----END KEY-----')
    expect(store.status()[0]?.version).toMatch(/^\d+(\.\d+)?$/)
    await store.close()
  })

  it('reads .env files as `node --env-file` does: export, comments, quotes, multi-line values', async () => {
    const store = createSecrets({ providers: { file: fileProvider({ dir }) } })
    expect(await store.resolve('file://app.env#TOKEN')).toBe('tok-1')
    expect(await store.resolve('file://app.env#CERT')).toBe('line one\nline two')
    expect(await store.resolve('file://app.env#ESCAPED')).toBe('a\nb')
    expect(await store.resolve('file://app.env#RAW')).toBe('a\\nb')
    await store.close()
  })

  it('reports a missing file, a directory and a path outside the folder clearly', async () => {
    const store = createSecrets({ providers: { file: fileProvider({ dir }) } })
    await expect(store.resolve('file://nope')).rejects.toThrow(SecretNotFoundError)
    await expect(store.resolve('file://nope')).rejects.toThrow(
      /no file at nope.json or nope.env or nope.txt or nope.key/,
    )
    await expect(store.resolve('file://folder')).rejects.toThrow(SecretNotFoundError)
    await expect(store.resolve('file://folder.json')).rejects.toThrow(SecretNotFoundError)
    await expect(store.resolve('file://../etc/passwd')).rejects.toThrow(SecretConfigError)
    await expect(store.resolve('file://../etc/passwd')).rejects.toThrow(/outside the secrets folder/)
    await store.close()
  })

  it('reads only inside its folder: not the folder itself, nor a sibling whose name starts alike', async () => {
    const sibling = `${dir}-sibling`
    await mkdir(sibling, { recursive: true })
    await writeFile(join(sibling, 'x.txt'), 'sibling-value')
    const store = createSecrets({ providers: { file: fileProvider({ dir }) } })
    const name = dir.slice(dir.lastIndexOf('/') + 1)
    await expect(store.resolve(`file://../${name}-sibling/x.txt`)).rejects.toThrow(
      /outside the secrets folder/,
    )
    await expect(store.resolve('file://.')).rejects.toThrow(/outside the secrets folder/)
    await expect(store.resolve('file://sub/../../x.txt')).rejects.toThrow(/outside the secrets folder/)
    await store.close()
    // A folder that ends with a separator (the root, say) still contains its files.
    const root = createSecrets({ providers: { file: fileProvider({ dir: '/' }) } })
    expect(await root.resolve(`file://${sibling.slice(1)}/x.txt`)).toBe('sibling-value')
    await root.close()
  })

  it('reports an unreadable file as access denied with a fix', async () => {
    const locked = join(dir, 'locked.txt')
    await writeFile(locked, 'locked-value')
    await chmod(locked, 0o000)
    const script = `
      import { createSecrets, fileProvider } from ${JSON.stringify(new URL('../dist/index.js', import.meta.url).href)}
      const store = createSecrets({ providers: { file: fileProvider({ dir: ${JSON.stringify(dir)} }) } })
      try { await store.resolve('file://locked.txt') } catch (error) { console.log(error.code + ' ' + error.message) }
    `
    // Root reads any file, so run the read as an unprivileged user when we are root.
    const asRoot = process.getuid?.() === 0
    await chmod(dir, 0o755)
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      ...(asRoot ? { uid: 65534, gid: 65534 } : {}),
      cwd: fileURLToPath(new URL('..', import.meta.url)),
    })
    expect(child.stderr).toBe('')
    expect(child.stdout).toMatch(
      /^SECRET_ACCESS_DENIED Secret file:\/\/locked.txt: permission denied reading .*locked.txt — make the file readable/,
    )
    expect(child.stdout).not.toContain('locked-value')
  })
})

describe('memory provider', () => {
  it('numbers versions and serves pinned versions', async () => {
    const memory = memoryProvider({ token: 'one' })
    memory.set('token', 'two')
    const store = createSecrets({ providers: { mem: memory } })
    expect(await store.resolve('mem://token')).toBe('two')
    await expect(store.resolve('mem://token?version=1')).rejects.toThrow(SecretNotFoundError)
    expect(await store.resolve('mem://token?version=2')).toBe('two')
    await store.close()
  })
})
