import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const packageDir = fileURLToPath(new URL('..', import.meta.url))

function run(args: string[]): string {
  return execFileSync(process.execPath, args, { cwd: packageDir, encoding: 'utf8' })
}

describe('the built package', () => {
  it('works from CommonJS through require()', () => {
    const output = run([
      '-e',
      `const core = require('@secretkit/core');
       const testing = require('@secretkit/core/testing');
       const store = core.createSecrets({ providers: { up: testing.createTestingProvider({ secrets: { a: 'x' } }) } });
       store.resolve('up://a').then((v) => console.log(typeof core.createSecrets, v));`,
    ])
    expect(output.trim()).toBe('function x')
  })

  it('serves @secretkit/core/sync to require() and import alike, without the store', () => {
    const script = (load: string) => `${load}
       const secrets = sync.readSecretsSync({ providers: { env: sync.envProvider({ env: { A: 'x' } }) }, secrets: { A: 'env://A' } });
       console.log(secrets.map((s) => s.name + '=' + s.value).join(), typeof sync.createSecrets)`
    expect(run(['-e', script(`const sync = require('@secretkit/core/sync');`)]).trim()).toBe('A=x undefined')
    expect(
      run(['--input-type=module', '-e', script(`import * as sync from '@secretkit/core/sync';`)]).trim(),
    ).toBe('A=x undefined')
  })

  it('works from ESM', () => {
    const output = run([
      '--input-type=module',
      '-e',
      `import { createSecrets, envProvider } from '@secretkit/core'; console.log(typeof createSecrets, typeof envProvider)`,
    ])
    expect(output.trim()).toBe('function function')
  })
})

describe('a plain script', () => {
  it('stays alive while an awaited read is between retries', () => {
    const output = run([
      '--input-type=module',
      '-e',
      `import { createSecrets, ProviderUnavailableError } from '@secretkit/core'
       const down = { name: 'down', async get() { throw new ProviderUnavailableError('connection refused') } }
       const store = createSecrets({ providers: { up: down }, retry: { attempts: 3, baseDelay: '200ms' } })
       try { await store.resolve('up://x') } catch (error) { console.log('settled', error.code) }`,
    ])
    expect(output.trim()).toBe('settled PROVIDER_UNAVAILABLE')
  })
})
