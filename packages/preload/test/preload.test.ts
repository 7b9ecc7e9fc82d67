import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import { CANARY, folder, hook, node, type Result } from './support.js'

const PRINT_ENV = `console.log(JSON.stringify({ A: process.env.A, B: process.env.B, URL: process.env.URL }))`
// Records every module URL the process resolves (module.registerHooks: Node 22.15+, 24, 26).
const RECORD_MODULES = `import { registerHooks } from 'node:module'
const seen = []
registerHooks({ resolve(specifier, context, next) { const result = next(specifier, context); seen.push(result.url); return result } })
process.on('exit', () => process.stdout.write('MODULES ' + JSON.stringify(seen) + '\\n'))
`

describe('node --import @secretkit/preload', () => {
  it('writes resolved references and declared secrets into process.env before an ESM entry runs', async () => {
    const dir = folder({
      'secretkit.config.json': JSON.stringify({
        providers: { env: { type: 'env' }, file: { type: 'file', dir: './secrets' } },
        secrets: { B: 'file://b.txt' },
      }),
      'secrets/a.env': `A=${CANARY}\n`,
      'secrets/b.txt': 'from-a-file\n',
      'app.mjs': PRINT_ENV,
    })
    const result = await node(dir, ['--import', hook, 'app.mjs'], {
      A: 'file://a.env#A',
      URL: 'https://example.test/',
    })
    expect(result).toMatchObject({ code: 0, stderr: '' })
    expect(JSON.parse(result.stdout)).toEqual({ A: CANARY, B: 'from-a-file', URL: 'https://example.test/' })
  })

  it('works for a CommonJS entry through NODE_OPTIONS, with the default providers when there is no config', async () => {
    const dir = folder({ 'secrets/a.txt': CANARY, 'app.cjs': `${PRINT_ENV}; console.log(typeof require)` })
    const result = await node(dir, ['app.cjs'], {
      NODE_OPTIONS: `--import ${hook}`,
      A: 'file://a.txt',
      B: 'env://C',
      C: 'c',
    })
    expect(result).toMatchObject({ code: 0, stderr: '' })
    expect(result.stdout).toBe(`${JSON.stringify({ A: CANARY, B: 'c' })}\nfunction\n`)
  })

  it('says so when a variable refers to a provider type nobody configured, and leaves it alone', async () => {
    const dir = folder({ 'app.mjs': PRINT_ENV })
    const result = await node(dir, ['--import', hook, 'app.mjs'], { A: 'aws://prod/db#password' })
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout).A).toBe('aws://prod/db#password')
    expect(result.stderr).toContain(
      'A looks like a secret reference, but no provider named "aws" is configured',
    )
    expect(result.stderr).toContain(
      'create secretkit.config.json with { "providers": { "aws": { "type": "aws" } } }',
    )
  })

  it('stops the process before the app runs when a required secret is missing', async () => {
    const dir = folder({
      'secrets/a.txt': CANARY,
      'app.mjs': `console.log('the app ran', process.env.A)`,
    })
    const result = await node(dir, ['--import', hook, 'app.mjs'], {
      A: 'file://a.txt',
      B: 'file://b.txt',
      C: 'env://NOPE',
    })
    expect(result.code).toBe(1)
    expect(result.stdout).toBe('')
    expect(result.stderr).toContain('secretkit: 2 secrets failed to load:')
    expect(result.stderr).toContain('- B (file://b.txt): [SECRET_NOT_FOUND]')
    expect(result.stderr).toContain('- C (env://NOPE): [SECRET_NOT_FOUND]')
    expect(result.stderr).toContain('the app was not started')
    expect(result.stderr).not.toContain(CANARY)
  })

  it('stops the process with file, line and problem when the config file is wrong', async () => {
    const dir = folder({
      'secretkit.config.yaml': 'providers:\n  file:\n    type: file\n    folder: ./s\n',
      'app.mjs': '',
    })
    const result = await node(dir, ['--import', hook, 'app.mjs'])
    expect(result.code).toBe(1)
    expect(result.stderr).toContain(
      `${join(dir, 'secretkit.config.yaml')}:4: unknown key "folder" in providers.file`,
    )
  })

  it('loads no cloud provider code when only env and file references exist, and nothing at all without references', async () => {
    const dir = folder({
      'secretkit.config.json': JSON.stringify({
        providers: {
          env: { type: 'env' },
          file: { type: 'file', dir: './secrets' },
          aws: { type: 'aws', region: 'eu-west-1' },
          gcp: { type: 'gcp' },
        },
      }),
      'secrets/a.txt': CANARY,
      'record.mjs': RECORD_MODULES,
      'app.mjs': PRINT_ENV,
    })
    // Core's code: the chunk the built hook imports for the store (or core itself).
    const isCore = (url: string) => /\/core\/|\/core-\w+\.js$/.test(url)
    const modulesOf = (result: Result): string[] =>
      JSON.parse(/^MODULES (.*)$/m.exec(result.stdout)?.[1] ?? '[]') as string[]
    // Files loaded besides the app's own: the hook is one file.
    const outsideApp = (result: Result): string[] =>
      modulesOf(result).filter((url) => url.startsWith('file:') && !url.startsWith(pathToFileURL(dir).href))
    const cloud = (result: Result): string[] =>
      modulesOf(result).filter((url) => /aws|gcp|azure|vault|ssm|google|yaml/.test(url))

    // References that env and file answer at once are read by the hook alone.
    const withRefs = await node(dir, ['--import', './record.mjs', '--import', hook, 'app.mjs'], {
      A: 'file://a.txt',
      B: 'env://C',
      C: 'c',
    })
    expect(withRefs.stdout).toContain(CANARY)
    expect(cloud(withRefs)).toEqual([])
    expect(outsideApp(withRefs)).toEqual([pathToFileURL(hook).href])

    // Anything else (here a missing secret to report) goes through core's store: still no cloud code.
    const withMissing = await node(dir, ['--import', './record.mjs', '--import', hook, 'app.mjs'], {
      A: 'file://a.txt',
      B: 'env://NOPE',
    })
    expect(withMissing.code).toBe(1)
    expect(withMissing.stderr).toContain('- B (env://NOPE): [SECRET_NOT_FOUND]')
    expect(withMissing.stderr).not.toContain(CANARY)
    expect(modulesOf(withMissing).some(isCore)).toBe(true)
    expect(cloud(withMissing)).toEqual([])

    const withoutRefs = await node(dir, ['--import', './record.mjs', '--import', hook, 'app.mjs'], {
      URL: 'https://example.test/',
    })
    expect(withoutRefs.code).toBe(0)
    expect(modulesOf(withoutRefs).filter(isCore)).toEqual([])
    // Without references it reads nothing besides itself.
    expect(outsideApp(withoutRefs)).toEqual([pathToFileURL(hook).href])
  })

  it('keeps process.env in sync on rotation when preload.refresh is on', async () => {
    const dir = folder({
      'secretkit.config.json': JSON.stringify({
        providers: { file: { type: 'file', dir: './secrets' } },
        secrets: { A: 'file://a.txt' },
        cache: { ttl: '200ms', refresh: 'background' },
        preload: { refresh: true },
      }),
      'secrets/a.txt': 'first',
      'app.mjs': `import { writeFileSync } from 'node:fs'
const seen = [process.env.A]
writeFileSync('secrets/a.txt', 'second')
for (let i = 0; i < 100 && process.env.A === 'first'; i++) await new Promise((r) => setTimeout(r, 50))
seen.push(process.env.A)
console.log(seen.join(' -> '))`,
    })
    const result = await node(dir, ['--import', hook, 'app.mjs'])
    expect(result).toMatchObject({ code: 0, stdout: 'first -> second\n', stderr: '' })
  })

  it('leaves process.env alone after start when refresh is off (the default), and lets the process exit', async () => {
    const dir = folder({
      'secretkit.config.json': JSON.stringify({
        providers: { file: { type: 'file', dir: './secrets' } },
        secrets: { A: 'file://a.txt' },
        cache: { ttl: '100ms' },
      }),
      'secrets/a.txt': 'first',
      'app.mjs': `import { writeFileSync } from 'node:fs'
writeFileSync('secrets/a.txt', 'second')
await new Promise((r) => setTimeout(r, 500))
console.log(process.env.A)`,
    })
    const result = await node(dir, ['--import', hook, 'app.mjs'])
    expect(result).toMatchObject({ code: 0, stdout: 'first\n', stderr: '' })
  })

  it('treats errors thrown by the installed @secretkit/core (a second copy of core) by their type', async () => {
    // Inside the package, so the config file can import the installed core (the hook bundles its own copy).
    const results = fileURLToPath(new URL('../test-results/', import.meta.url))
    mkdirSync(results, { recursive: true })
    const dir = folder(
      {
        'secretkit.config.mjs': `import { SecretAccessDeniedError, SecretNotFoundError, fileProvider } from '@secretkit/core'
const primary = {
  name: 'primary',
  async get({ path }) {
    if (path === 'denied') throw new SecretAccessDeniedError('may not read denied', { provider: 'primary' })
    throw new SecretNotFoundError('not in primary', { provider: 'primary' })
  },
}
export default {
  providers: { primary, file: fileProvider({ dir: new URL('./secrets', import.meta.url).pathname }) },
  secrets: { A: [\`primary://\${process.env.FIRST_PATH}\`, 'file://a.txt'] },
}`,
        'secrets/a.txt': CANARY,
        'app.mjs': PRINT_ENV,
      },
      results,
    )
    // Not found falls through to the next source...
    const missing = await node(dir, ['--import', hook, 'app.mjs'], { FIRST_PATH: 'a' })
    expect(missing).toMatchObject({ code: 0, stderr: '' })
    expect(JSON.parse(missing.stdout)).toMatchObject({ A: CANARY })
    // ...access denied does not: it stops the app, typed as the provider threw it.
    const denied = await node(dir, ['--import', hook, 'app.mjs'], { FIRST_PATH: 'denied' })
    expect(denied.code).toBe(1)
    expect(denied.stderr).toContain('[SECRET_ACCESS_DENIED] may not read denied')
    expect(denied.stdout + denied.stderr).not.toContain(CANARY)
  })
})
