import { fileURLToPath } from 'node:url'
import { runNode } from '@secretkit/e2e-support'
import { describe, expect, it } from 'vitest'

const packageDir = fileURLToPath(new URL('..', import.meta.url))
const run = (args: string[]) => runNode(packageDir, args)

// A CommonJS Nest app (what `nest new --type cjs` and tsc with "module": "commonjs" produce)
// loads the ESM build through require(); decorators are applied as tsc's CJS output does.
const commonJsApp = `
require('reflect-metadata');
const { Module, Injectable } = require('@nestjs/common');
const { NestFactory } = require('@nestjs/core');
const { SecretsModule, InjectSecret } = require('@secretkit/nestjs');
const { memoryProvider } = require('@secretkit/core');
let Reader = class { constructor(key) { this.key = key } };
Reader = Reflect.decorate([Injectable(), (target) => { InjectSecret('apiKey')(target, undefined, 0) }], Reader);
let AppModule = class {};
AppModule = Reflect.decorate([Module({
  imports: [SecretsModule.forRoot({ providers: { mem: memoryProvider({ api: 'from-memory' }) }, secrets: { apiKey: 'mem://api' } })],
  providers: [Reader],
})], AppModule);
NestFactory.createApplicationContext(AppModule, { logger: false }).then(async (app) => {
  const reader = app.get(Reader);
  console.log(typeof SecretsModule.forRootAsync, reader.key.value, JSON.stringify(reader.key));
  await app.close();
});
`

describe('the built package', () => {
  it('works from a CommonJS Nest app through require()', () => {
    expect(run(['-e', commonJsApp]).trim()).toBe('function from-memory "[redacted]"')
  })

  it('works from ESM', () => {
    const output = run([
      '--input-type=module',
      '-e',
      `import { SecretsModule, SecretRef } from '@secretkit/nestjs'; console.log(typeof SecretsModule.forRoot, typeof SecretRef)`,
    ])
    expect(output.trim()).toBe('function function')
  })
})
