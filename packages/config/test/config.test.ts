import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SecretConfigError } from '@secretkit/core'
import { createTestingProvider } from '@secretkit/core/testing'
import { scratchTree } from '@secretkit/e2e-support'
import { describe, expect, it } from 'vitest'
import { defineConfig, findConfigFile, loadConfig, RESOLVED_MARKER, resolveEnv } from '../src/index.js'

const CANARY = 'canary-9c4e2b71-config-do-not-leak'

function folder(files: Record<string, string> = {}): string {
  return scratchTree(files, { prefix: 'secretkit-config-' })
}

async function configError(file: string): Promise<SecretConfigError> {
  const error = await loadConfig(file).then(
    () => undefined,
    (caught: unknown) => caught,
  )
  expect(error).toBeInstanceOf(SecretConfigError)
  return error as SecretConfigError
}

describe('findConfigFile', () => {
  it('finds the nearest config from the working directory upward, .mjs before .json before .yaml', () => {
    const dir = folder({
      'secretkit.config.yaml': 'secrets: {}\n',
      'app/secretkit.config.json': '{}',
      'app/secretkit.config.mjs': 'export default {}',
      'app/src/deep/.keep': '',
    })
    expect(findConfigFile(join(dir, 'app/src/deep'))).toBe(join(dir, 'app/secretkit.config.mjs'))
    expect(findConfigFile(join(dir, 'app/src/..'))).toBe(join(dir, 'app/secretkit.config.mjs'))
    expect(findConfigFile(dir)).toBe(join(dir, 'secretkit.config.yaml'))
    expect(findConfigFile(`${dir}/app/src/../src/deep/`)).toBe(join(dir, 'app/secretkit.config.mjs'))
  })
})

describe('loadConfig', () => {
  it('rejects unknown keys in JSON, naming the file, the line and the key', async () => {
    const file = join(
      folder({
        'secretkit.config.json': `{
  "providers": {
    "file": { "type": "file", "dri": "./secrets" },
    "cloud": { "type": "aws-secrets" }
  },
  "secrets": { "DB_PASSWORD": { "from": "file://db.env#DB_PASSWORD", "optinal": true } },
  "cahce": { "ttl": "5m" }
}`,
      }),
      'secretkit.config.json',
    )
    const { message } = await configError(file)
    expect(message).toContain(
      `${file}:3: unknown key "dri" in providers.file (allowed: type, dir, extensions)`,
    )
    expect(message).toContain(`${file}:4: provider "cloud" has unknown type "aws-secrets"`)
    expect(message).toContain(`${file}:6: unknown key "optinal" in secrets.DB_PASSWORD`)
    expect(message).toContain(`${file}:7: unknown key "cahce" at the top level`)
  })

  it('reports JSON syntax errors with their line, without quoting the file', async () => {
    const file = join(
      folder({
        'secretkit.config.json': `{\n  "secrets": {\n    "A": "env://A"\n    "B": "${CANARY}"\n  }\n}`,
      }),
      'secretkit.config.json',
    )
    const { message } = await configError(file)
    expect(message).toMatch(new RegExp(`${file}:4: invalid JSON`))
    expect(message).not.toContain(CANARY)
  })

  it('reports YAML syntax errors and unknown keys with their lines', async () => {
    const dir = folder({
      'bad.yaml': `secrets:\n  A: env://A\n  B: [file://b\n  C: "${CANARY}"\n`,
      'unknown.yaml':
        'providers:\n  file:\n    type: file\n    directory: ./secrets\nsecrets:\n  A: [1]\npreload:\n  refresh: yes please\n',
    })
    const syntax = await configError(join(dir, 'bad.yaml'))
    expect(syntax.message).toMatch(/bad\.yaml:\d+: invalid YAML: /)
    expect(syntax.message).not.toContain(CANARY)
    const { message } = await configError(join(dir, 'unknown.yaml'))
    expect(message).toContain(`${join(dir, 'unknown.yaml')}:4: unknown key "directory" in providers.file`)
    expect(message).toContain(`${join(dir, 'unknown.yaml')}:6: secret "A" must be a reference`)
    expect(message).toContain(`${join(dir, 'unknown.yaml')}:8: preload.refresh must be true or false`)
  })

  it('loads a .mjs config whose default export is defineConfig({ … })', async () => {
    const dir = folder({
      'secretkit.config.mjs': `export default { providers: { env: { type: 'env', prefix: 'APP_' } }, secrets: { A: 'env://A' }, preload: { refresh: true } }`,
      'wrong.mjs': 'export default { secret: {} }',
    })
    const loaded = await loadConfig(join(dir, 'secretkit.config.mjs'))
    expect(loaded).toMatchObject({ dir, format: 'js', config: { preload: { refresh: true } } })
    const { message } = await configError(join(dir, 'wrong.mjs'))
    expect(message).toContain('unknown key "secret" at the top level')
    expect(defineConfig({ secrets: { A: 'env://A' } })).toEqual({ secrets: { A: 'env://A' } })
  })
})

describe('resolveEnv', () => {
  it('resolves references in the environment and declared secrets; leaves other URLs alone', async () => {
    const dir = folder({
      'conf/secretkit.config.json': JSON.stringify({
        providers: { file: { type: 'file', dir: './vault-files' }, env: { type: 'env' } },
        secrets: {
          API_TOKEN: ['file://missing.txt', 'env://FALLBACK_TOKEN'],
          OPTIONAL: { from: 'file://none', optional: true },
        },
      }),
      'conf/vault-files/db.env': `DB_PASSWORD=${CANARY}\n`,
    })
    const env = {
      SECRETKIT_CONFIG: join(dir, 'conf/secretkit.config.json'),
      DB_PASSWORD: 'file://db.env#DB_PASSWORD',
      FALLBACK_TOKEN: 'token-value',
      HOMEPAGE: 'https://example.test/x',
      CA_FILE: 'file:///etc/ssl/cert.pem',
      OTHER_CLOUD: 'gcp://projects/x/secrets/y',
    }
    const result = await resolveEnv({ env, cwd: tmpdir() })
    await result.store?.close()
    expect(result.error).toBeUndefined()
    expect(result.values).toEqual({ DB_PASSWORD: CANARY, API_TOKEN: 'token-value', [RESOLVED_MARKER]: '1' })
    expect(result.unconfigured).toEqual([{ name: 'OTHER_CLOUD', provider: 'gcp' }])
    expect(
      result.secrets.map(({ name, origin, state, source }) => ({ name, origin, state, source })),
    ).toEqual([
      { name: 'API_TOKEN', origin: 'config', state: 'fresh', source: 'env://FALLBACK_TOKEN' },
      { name: 'OPTIONAL', origin: 'config', state: 'missing', source: undefined },
      { name: 'DB_PASSWORD', origin: 'env', state: 'fresh', source: 'file://db.env#DB_PASSWORD' },
    ])
    expect(JSON.stringify(result.secrets)).not.toContain(CANARY)
  })

  it('returns the aggregate error with every failure, and no value for the failed ones', async () => {
    const result = await resolveEnv({
      cwd: folder({ 'secrets/ok.txt': CANARY }),
      env: { A: 'file://ok.txt', B: 'file://missing.txt', C: 'env://NOT_SET' },
    })
    await result.store?.close()
    expect(result.error?.failures.map((failure) => [failure.name, failure.code])).toEqual([
      ['B', 'SECRET_NOT_FOUND'],
      ['C', 'SECRET_NOT_FOUND'],
    ])
    expect(result.values).toEqual({ A: CANARY, [RESOLVED_MARKER]: '1' })
    expect(result.error?.message).not.toContain(CANARY)
  })

  it('sync: reads env and file references at once, without a store, to the same values and statuses', async () => {
    const dir = folder({
      'secretkit.config.json': JSON.stringify({
        providers: { file: { type: 'file', dir: './s' }, env: { type: 'env' }, aws: { type: 'aws' } },
        secrets: {
          API_TOKEN: ['file://missing.txt', 'env://FALLBACK_TOKEN'],
          OPTIONAL: { from: 'file://none', optional: true },
          DEFAULTED: { from: 'env://NONE', optional: true, default: 'd' },
        },
      }),
      's/db.env': `DB_PASSWORD=${CANARY}\n`,
    })
    const env = {
      DB_PASSWORD: 'file://db.env#DB_PASSWORD',
      GONE: 'env://NOT_SET_ANYWHERE',
      FALLBACK_TOKEN: 'token-value',
    }
    const withStore = await resolveEnv({ cwd: dir, env: { ...env, GONE: 'env://FALLBACK_TOKEN' } })
    await withStore.store?.close()
    const sync = await resolveEnv({ cwd: dir, env: { ...env, GONE: 'env://FALLBACK_TOKEN' }, sync: true })
    expect(sync.store).toBeUndefined()
    expect(sync.error).toBeUndefined()
    expect(sync.values).toEqual(withStore.values)
    expect(sync.unset).toEqual(withStore.unset)
    const comparable = ({ ageMs: _ageMs, ...status }: (typeof sync.secrets)[number]) => status
    expect(sync.secrets.map(comparable)).toEqual(withStore.secrets.map(comparable))
    expect(JSON.stringify(sync.secrets)).not.toContain(CANARY)

    // A failure goes through the store, which reports it: the same aggregate error as without sync.
    const failing = await resolveEnv({ cwd: dir, env, sync: true })
    await failing.store?.close()
    expect(failing.store).toBeDefined()
    expect(failing.error?.failures.map((failure) => [failure.name, failure.code])).toEqual([
      ['GONE', 'SECRET_NOT_FOUND'],
    ])
    expect(failing.values.DB_PASSWORD).toBe(CANARY)
    expect(failing.error?.message).not.toContain(CANARY)
  })

  it('sync: leaves code-file providers, cloud references and preload.refresh to the store', async () => {
    const upstream = createTestingProvider({ secrets: { db: 'v' } })
    ;(globalThis as Record<string, unknown>).__secretkitSyncTestProvider = upstream
    const code = folder({
      'secretkit.config.mjs': `export default { providers: { up: globalThis.__secretkitSyncTestProvider }, secrets: { DB: 'up://db' } }`,
    })
    const fromCode = await resolveEnv({ cwd: code, env: {}, sync: true })
    await fromCode.store?.close()
    expect(fromCode.store).toBeDefined()
    expect(fromCode.values.DB).toBe('v')
    expect(upstream.calls.total).toBe(1)

    const refreshing = folder({
      'secretkit.config.json': JSON.stringify({
        providers: { env: { type: 'env' } },
        preload: { refresh: true },
      }),
    })
    const withRefresh = await resolveEnv({ cwd: refreshing, env: { A: 'env://B', B: 'b' }, sync: true })
    await withRefresh.store?.close()
    expect(withRefresh.store).toBeDefined()
    expect(withRefresh.values.A).toBe('b')
  })

  it('does nothing, and creates no store, when there is nothing to resolve', async () => {
    const result = await resolveEnv({ cwd: folder(), env: { PATH: '/bin', DATABASE_URL: 'postgres://h/db' } })
    expect(result).toMatchObject({ values: {}, secrets: [], store: undefined, configFile: undefined })
  })

  it('does not fetch declared secrets again in a child whose parent already resolved them', async () => {
    const upstream = createTestingProvider({ secrets: { db: CANARY } })
    const dir = folder({
      'secretkit.config.mjs': `export default { providers: { up: globalThis.__secretkitTestProvider }, secrets: { DB: 'up://db' } }`,
    })
    ;(globalThis as Record<string, unknown>).__secretkitTestProvider = upstream
    const parent = await resolveEnv({ cwd: dir, env: {} })
    await parent.store?.close()
    expect(parent.values.DB).toBe(CANARY)
    const child = await resolveEnv({ cwd: dir, env: { ...parent.values } })
    expect(child.store).toBeUndefined()
    expect(upstream.calls.total).toBe(1)
  })

  it('says which package a cloud provider type needs when it is not installed', async () => {
    const dir = folder({
      // A closed loopback port: the provider may be created, but nothing leaves this machine.
      'secretkit.config.json': JSON.stringify({
        providers: { aws: { type: 'aws', region: 'eu-west-1', endpoint: 'http://127.0.0.1:9' } },
      }),
    })
    let installed = true
    try {
      import.meta.resolve('@secretkit/core/aws')
    } catch {
      installed = false
    }
    const outcome = await resolveEnv({ cwd: dir, env: { DB: 'aws://prod/db#password' } }).then(
      async (result) => {
        await result.store?.close()
        return result
      },
      (error: unknown) => error,
    )
    if (installed) {
      // With the subpath present the provider is created and the read fails locally (no
      // credentials, or the closed port), naming the secret and its reference.
      expect(outcome).toMatchObject({
        secrets: [expect.objectContaining({ name: 'DB', state: 'failed', refs: ['aws://prod/db#password'] })],
      })
      expect(['SECRET_CONFIG_INVALID', 'PROVIDER_UNAVAILABLE']).toContain(
        (outcome as { secrets: { errorCode: string }[] }).secrets[0]?.errorCode,
      )
    } else {
      expect(outcome).toBeInstanceOf(SecretConfigError)
      expect((outcome as Error).message).toContain(
        'provider type aws needs @secretkit/core/aws and @aws-sdk/client-secrets-manager installed',
      )
    }
  })
})

describe('the built package', () => {
  it('loads from CommonJS through require()', async () => {
    const { execFileSync } = await import('node:child_process')
    const output = execFileSync(
      process.execPath,
      [
        '-e',
        `const c = require('@secretkit/config'); console.log(typeof c.resolveEnv, typeof c.defineConfig)`,
      ],
      { cwd: new URL('..', import.meta.url), encoding: 'utf8' },
    )
    expect(output.trim()).toBe('function function')
  })
})
