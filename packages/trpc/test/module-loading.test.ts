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
      `const kit = require('@secretkit/trpc');
       console.log(typeof kit.createSecretsContext, typeof kit.requireSecrets, typeof kit.secretsErrorFormatter)`,
    ])
    expect(output.trim()).toBe('function function function')
  })

  it('works from ESM', () => {
    const output = run([
      '--input-type=module',
      '-e',
      `import { createSecretsContext, requireSecrets, secretsErrorFormatter } from '@secretkit/trpc'
       console.log(typeof createSecretsContext, typeof requireSecrets, typeof secretsErrorFormatter)`,
    ])
    expect(output.trim()).toBe('function function function')
  })
})
