import { fileURLToPath } from 'node:url'
import { runNode } from '@secretkit/e2e-support'
import { describe, expect, it } from 'vitest'

const packageDir = fileURLToPath(new URL('..', import.meta.url))
const run = (args: string[]) => runNode(packageDir, args)

describe('the built package', () => {
  it('registers from CommonJS through require()', () => {
    const output = run([
      '-e',
      `const { secretkit } = require('@secretkit/fastify');
       const { createSecrets } = require('@secretkit/core');
       const { createTestingProvider } = require('@secretkit/core/testing');
       const fastify = require('fastify');
       const store = createSecrets({ providers: { up: createTestingProvider({ secrets: { k: 'value-1' } }) }, secrets: { k: 'up://k' } });
       const app = fastify();
       app.register(secretkit, { secrets: store });
       app.ready().then(() => { console.log(app.secrets.get('k')); return app.close() });`,
    ])
    expect(output.trim()).toBe('value-1')
  })

  it('works from ESM, default export included', () => {
    const output = run([
      '--input-type=module',
      '-e',
      `import secretkit, { secretkit as named, secretkitLoggerOptions } from '@secretkit/fastify'
       console.log(secretkit === named, typeof secretkitLoggerOptions)`,
    ])
    expect(output.trim()).toBe('true function')
  })
})
