import { fileURLToPath } from 'node:url'
import { exportTypes } from '@secretkit/e2e-support'
import { describe, expect, it } from 'vitest'

const packageDir = fileURLToPath(new URL('..', import.meta.url))
const names = ['createSecretsContext', 'requireSecrets', 'secretsErrorFormatter', 'secretsOnError']

describe('the built package', () => {
  it.each(['require', 'import'] as const)('loads through %s()', (loader) => {
    expect(exportTypes(packageDir, '@secretkit/trpc', names, loader)).toEqual(names.map(() => 'function'))
  })
})
