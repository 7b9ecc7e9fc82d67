import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const packageDir = fileURLToPath(new URL('..', import.meta.url))

function run(args: string[]): string {
  return execFileSync(process.execPath, args, { cwd: packageDir, encoding: 'utf8' })
}

describe('the built @secretkit/core/vault subpath', () => {
  it('loads node-vault only when a provider first reads, and works through require()', () => {
    const output = run([
      '-e',
      `const loaded = () => Object.keys(require.cache).some((file) => file.includes('node-vault'));
       const core = require('@secretkit/core');
       const vault = require('@secretkit/core/vault');
       const provider = vault.default({ url: 'http://127.0.0.1:9', token: 't', kvVersion: 2 });
       const before = [loaded(), typeof vault.vaultProvider, provider.name, typeof core.createSecrets].join(' ');
       provider.get({ path: 'a' }, { signal: new AbortController().signal }).catch((error) => {
         console.log(before, loaded(), error.code);
       });`,
    ])
    expect(output.trim()).toBe('false function vault function true PROVIDER_UNAVAILABLE')
  })
})
