import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const packageDir = fileURLToPath(new URL('..', import.meta.url))

function run(args: string[]): string {
  return execFileSync(process.execPath, args, { cwd: packageDir, encoding: 'utf8' })
}

describe('the built aws and ssm subpaths', () => {
  it('work from CommonJS through require(), default export included', () => {
    const output = run([
      '-e',
      `const aws = require('@secretkit/core/aws');
       const ssm = require('@secretkit/core/ssm');
       console.log(aws.default === aws.awsSecretsManager, aws.default().name, ssm.default === ssm.ssmParameterStore, ssm.default().name);`,
    ])
    expect(output.trim()).toBe('true aws true ssm')
  })

  it('load no AWS SDK until a provider first reads', () => {
    const output = run([
      '--input-type=module',
      '-e',
      `import { registerHooks } from 'node:module'
       const sdk = new Set()
       registerHooks({ resolve(specifier, context, next) {
         if (specifier.startsWith('@aws-sdk/')) sdk.add(specifier)
         return next(specifier, context)
       } })
       const { createSecrets } = await import('@secretkit/core')
       const { awsSecretsManager } = await import('@secretkit/core/aws')
       const { ssmParameterStore } = await import('@secretkit/core/ssm')
       const options = { region: 'us-east-1', endpoint: 'http://127.0.0.1:9', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } }
       const store = createSecrets({
         providers: { aws: awsSecretsManager(options), ssm: ssmParameterStore(options) },
         retry: { attempts: 1 },
       })
       const before = sdk.size
       const error = await store.resolve('aws://x').catch((caught) => caught)
       console.log(before, sdk.has('@aws-sdk/client-secrets-manager'), sdk.has('@aws-sdk/client-ssm'), error.code)
       await store.close()`,
    ])
    expect(output.trim()).toBe('0 true false PROVIDER_UNAVAILABLE')
  })
})
