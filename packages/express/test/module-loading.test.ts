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
      `const kit = require('@secretkit/express');
       console.log(typeof kit.secretsMiddleware, typeof kit.secretsErrorHandler, typeof kit.listenWithSecrets)`,
    ])
    expect(output.trim()).toBe('function function function')
  })

  it('works from ESM', () => {
    const output = run([
      '--input-type=module',
      '-e',
      `import { listenWithSecrets, secretsErrorHandler, secretsMiddleware } from '@secretkit/express'
       console.log(typeof secretsMiddleware, typeof secretsErrorHandler, typeof listenWithSecrets)`,
    ])
    expect(output.trim()).toBe('function function function')
  })
})
