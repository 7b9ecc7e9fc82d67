// GCP Secret Manager and Azure Key Vault providers against the wire-level test servers
// (loopback only): upstream calls of load() and of 1,000 concurrent cold reads, the peak
// of reads in flight under the provider's concurrency bound, and cached resolve() against
// a direct SDK read. Needs `pnpm turbo run build --filter=@secretkit/core...` first.
import { pathToFileURL } from 'node:url'

export const title = 'GCP Secret Manager and Azure Key Vault providers'
/** @param {string} specifier */
const load = (specifier) => import(specifier)

const SECRETS = 100
const CONCURRENCY = 10
const CACHED_READS = 20_000
const DIRECT_READS = 200

process.env.METADATA_SERVER_DETECTION = 'none'
process.env.GCE_METADATA_HOST = '127.0.0.1:9'

/**
 * @param {number} count
 * @param {() => Promise<unknown>} fn
 */
async function opsPerSecond(count, fn) {
  const started = performance.now()
  for (let i = 0; i < count; i++) await fn()
  return Math.round(count / ((performance.now() - started) / 1000))
}

export async function run() {
  const [core, { gcpSecretManager }, { azureKeyVault }, servers, gcpSdk, azureSdk, grpc] = await Promise.all([
    load('@secretkit/core'),
    load('@secretkit/core/gcp'),
    load('@secretkit/core/azure'),
    load('@secretkit/test-servers'),
    load('@google-cloud/secret-manager'),
    load('@azure/keyvault-secrets'),
    load('@grpc/grpc-js'),
  ])
  const gcp = await servers.startGcpSecretManagerServer()
  const azure = await servers.startAzureKeyVaultServer()
  const names = Array.from({ length: SECRETS }, (_, i) => `bench-${i}`)
  for (const name of names) {
    gcp.createSecret(name)
    gcp.addVersion(name, `gcp-${name}`)
    azure.setSecret(name, `azure-${name}`)
  }
  const credential = {
    getToken: async () => ({ token: 'bench-token', expiresOnTimestamp: Date.now() + 3_600_000 }),
  }
  const gcpOptions = {
    apiEndpoint: gcp.host,
    port: gcp.port,
    sslCreds: grpc.credentials.createInsecure(),
    universeDomain: 'googleapis.com',
  }
  const azureOptions = { tlsOptions: { ca: azure.caPem }, disableChallengeResourceVerification: true }

  const cases = [
    {
      label: 'gcp',
      server: gcp,
      operation: 'AccessSecretVersion',
      provider: () =>
        gcpSecretManager({ projectId: gcp.projectId, clientOptions: gcpOptions, concurrency: CONCURRENCY }),
      direct: () => {
        const client = new gcpSdk.SecretManagerServiceClient(gcpOptions)
        const name = `${gcp.secretName('bench-0')}/versions/latest`
        return {
          read: () => client.accessSecretVersion({ name }, { retry: null }),
          close: () => client.close(),
        }
      },
    },
    {
      label: 'azure',
      server: azure,
      operation: 'GetSecret',
      provider: () =>
        azureKeyVault({
          vaultUrl: azure.vaultUrl,
          credential,
          clientOptions: azureOptions,
          concurrency: CONCURRENCY,
        }),
      direct: () => {
        const client = new azureSdk.SecretClient(azure.vaultUrl, credential, azureOptions)
        return { read: () => client.getSecret('bench-0'), close: () => undefined }
      },
    },
  ]

  const rows = []
  const checks = []
  try {
    for (const { label, server, operation, provider, direct } of cases) {
      // load() of N secrets: N calls (no batch API), at most `concurrency` in flight.
      server.calls.reset()
      const store = core.createSecrets({
        providers: { cloud: provider() },
        secrets: Object.fromEntries(names.map((name) => [name, `cloud://${name}`])),
      })
      const loadStarted = performance.now()
      await store.load()
      const loadMs = performance.now() - loadStarted
      const loadCalls = server.calls.count(operation)

      // 1,000 concurrent cold reads of one key: one upstream call.
      server.calls.reset()
      const cold = core.createSecrets({ providers: { cloud: provider() } })
      await Promise.all(Array.from({ length: 1000 }, () => cold.resolve('cloud://bench-1')))
      const coldCalls = server.calls.count(operation)

      const cachedOps = await opsPerSecond(CACHED_READS, () => cold.resolve('cloud://bench-1'))
      const sdk = direct()
      await sdk.read() // warm: connection, challenge
      const directOps = await opsPerSecond(DIRECT_READS, sdk.read)
      await sdk.close()
      await store.close()
      await cold.close()

      rows.push({
        case: `${label}: load() of ${SECRETS}`,
        'upstream calls': loadCalls,
        'wall ms': Math.round(loadMs),
      })
      rows.push({ case: `${label}: 1,000 concurrent cold reads`, 'upstream calls': coldCalls })
      rows.push({ case: `${label}: cached resolve()`, 'ops/s': cachedOps })
      rows.push({ case: `${label}: direct SDK read`, 'ops/s': directOps })
      checks.push(
        {
          name: `${label} load() calls`,
          value: loadCalls,
          target: `== ${SECRETS}`,
          pass: loadCalls === SECRETS,
        },
        { name: `${label} cold reads calls`, value: coldCalls, target: '== 1', pass: coldCalls === 1 },
        {
          name: `${label} cached resolve / direct SDK`,
          value: Math.round(cachedOps / directOps),
          target: '>= 3',
          pass: cachedOps / directOps >= 3,
        },
      )
    }
  } finally {
    await gcp.stop()
    await azure.stop()
  }
  return { title, rows, checks }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { title, rows, checks } = await run()
  console.log(title)
  console.table(rows)
  console.table(checks)
  process.exitCode = checks.every((check) => check.pass) ? 0 : 1
}
