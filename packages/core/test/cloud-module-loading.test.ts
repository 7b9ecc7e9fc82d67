import { execFile } from 'node:child_process'
import * as nodeModule from 'node:module'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import {
  type AzureKeyVaultServer,
  type GcpSecretManagerServer,
  startAzureKeyVaultServer,
  startGcpSecretManagerServer,
} from '@secretkit/test-servers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const packageDir = fileURLToPath(new URL('..', import.meta.url))
const run = promisify(execFile)

// Records every module URL the child resolves, for `import` and `require()` alike
// (module.registerHooks: Node 22.15+ / 23.5+).
const HOOK = `
import { registerHooks } from 'node:module'
globalThis.resolvedModules = []
registerHooks({
  resolve(specifier, context, next) {
    const result = next(specifier, context)
    globalThis.resolvedModules.push(result.url)
    return result
  },
})`
const SDK = /@google-cloud|google-gax|google-auth-library|@grpc|@azure|@aws-sdk|node-vault/

const CHILD = `
const sdkModules = () => [...new Set(globalThis.resolvedModules
  .filter((url) => ${SDK}.test(url))
  .map((url) => url.match(/node_modules\\/((?:@[^/]+\\/)?[^/]+)\\/(?!.*node_modules)/)?.[1] ?? url))].sort()
const report = {}
const core = await import('@secretkit/core')
report.core = sdkModules()
const { gcpSecretManager } = await import('@secretkit/core/gcp')
const { azureKeyVault } = await import('@secretkit/core/azure')
report.subpaths = sdkModules()
const credential = { getToken: async () => ({ token: 'child-token', expiresOnTimestamp: Date.now() + 3_600_000 }) }
const azure = azureKeyVault({
  vaultUrl: process.env.AZURE_VAULT_URL,
  credential,
  clientOptions: { tlsOptions: { ca: process.env.AZURE_CA_PEM }, disableChallengeResourceVerification: true },
})
report.providersCreated = sdkModules()
const grpc = await import('@grpc/grpc-js')
const gcp = gcpSecretManager({
  projectId: process.env.GCP_PROJECT,
  clientOptions: {
    apiEndpoint: '127.0.0.1', port: Number(process.env.GCP_PORT),
    sslCreds: grpc.credentials.createInsecure(), universeDomain: 'googleapis.com',
  },
})
const store = core.createSecrets({ providers: { gcp, azure } })
report.gcpValue = await store.resolve('gcp://lazy')
report.afterGcpCall = sdkModules()
report.azureValue = await store.resolve('azure://lazy')
report.afterAzureCall = sdkModules()
await store.close()
console.log(JSON.stringify(report))
`

const hooksAvailable = typeof (nodeModule as { registerHooks?: unknown }).registerHooks === 'function'
if (!hooksAvailable) {
  console.warn(
    `\n[cloud-module-loading] SKIPPED: Node ${process.version} has no module.registerHooks (22.15+)\n`,
  )
}

describe.skipIf(!hooksAvailable)(
  'cloud SDKs are loaded only when a provider makes its first call (built dist)',
  () => {
    let gcp: GcpSecretManagerServer
    let azure: AzureKeyVaultServer
    beforeAll(async () => {
      ;[gcp, azure] = await Promise.all([startGcpSecretManagerServer(), startAzureKeyVaultServer()])
      gcp.createSecret('lazy')
      gcp.addVersion('lazy', 'from-gcp')
      azure.setSecret('lazy', 'from-azure')
    })
    afterAll(async () => {
      await Promise.all([gcp?.stop(), azure?.stop()])
    })

    it("import '@secretkit/core' and the /gcp, /azure subpaths load no SDK; the first call loads only its own", async () => {
      const { stdout } = await run(
        process.execPath,
        ['--import', `data:text/javascript,${encodeURIComponent(HOOK)}`, '--input-type=module', '-e', CHILD],
        {
          cwd: packageDir,
          env: {
            ...process.env,
            METADATA_SERVER_DETECTION: 'none',
            GCE_METADATA_HOST: '127.0.0.1:9',
            GCP_PROJECT: gcp.projectId,
            GCP_PORT: String(gcp.port),
            AZURE_VAULT_URL: azure.vaultUrl,
            AZURE_CA_PEM: azure.caPem,
          },
        },
      )
      const report = JSON.parse(stdout.trim().split('\n').at(-1)!)
      expect(report.core).toEqual([])
      expect(report.subpaths).toEqual([])
      expect(report.providersCreated).toEqual([])
      expect(report.gcpValue).toBe('from-gcp')
      expect(report.afterGcpCall).toContain('@google-cloud/secret-manager')
      expect(report.afterGcpCall.filter((name: string) => /@azure|@aws-sdk|node-vault/.test(name))).toEqual(
        [],
      )
      expect(report.azureValue).toBe('from-azure')
      expect(report.afterAzureCall).toContain('@azure/keyvault-secrets')
      // A credential was given, so @azure/identity (DefaultAzureCredential) is never loaded.
      expect(report.afterAzureCall).not.toContain('@azure/identity')
      expect(azure.auth.lastTokenSeen).toBe('child-token')
    })

    it('require() of the core and the subpaths works from CommonJS and loads no SDK', async () => {
      const { stdout } = await run(
        process.execPath,
        [
          '-e',
          `require('@secretkit/core'); const { gcpSecretManager } = require('@secretkit/core/gcp');
           const { azureKeyVault, default: fromDefault } = require('@secretkit/core/azure');
           gcpSecretManager({ projectId: 'p' }); azureKeyVault({ vaultUrl: 'https://x.vault.azure.net' });
           const loaded = Object.keys(require.cache).filter((f) => ${SDK}.test(f));
           console.log(JSON.stringify({ loaded, sameDefault: fromDefault === azureKeyVault }))`,
        ],
        { cwd: packageDir },
      )
      expect(JSON.parse(stdout.trim())).toEqual({ loaded: [], sameDefault: true })
    })
  },
)
