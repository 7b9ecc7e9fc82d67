import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { envProvider, fileProvider, memoryProvider } from '../src/index.js'
import { createTestingProvider } from '../src/testing/index.js'
import { describeProviderConformance } from './support/conformance.js'

describeProviderConformance('env', async () => {
  const env: Record<string, string> = {}
  return {
    provider: envProvider({ prefix: 'SK_', env }),
    write: async (path, value) => {
      env[`SK_${path}`] = value
    },
    missingPath: 'NOT_THERE',
    versioned: false,
  }
})

describeProviderConformance('file', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'secretkit-conformance-'))
  let tick = 0
  return {
    provider: fileProvider({ dir }),
    write: async (path, value) => {
      await writeFile(join(dir, `${path}.txt`), value)
      // mtime is the version: make each write visibly newer even on coarse clocks.
      const { utimes } = await import('node:fs/promises')
      tick += 1
      await utimes(join(dir, `${path}.txt`), new Date(), new Date(Date.now() + tick * 1000))
    },
    missingPath: 'not-there',
  }
})

describeProviderConformance('memory', async () => {
  const provider = memoryProvider()
  return { provider, write: async (path, value) => provider.set(path, value), missingPath: 'not-there' }
})

describeProviderConformance('testing (batching)', async () => {
  const provider = createTestingProvider({ maxBatchSize: 5 })
  return { provider, write: async (path, value) => provider.set(path, value), missingPath: 'not-there' }
})
