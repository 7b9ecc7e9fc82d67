import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  type AzureKeyVaultServer,
  type GcpSecretManagerServer,
  type MotoServer,
  motoAvailability,
  type OpenBaoServer,
  openBaoAvailability,
  startAzureKeyVaultServer,
  startGcpSecretManagerServer,
  startMoto,
  startOpenBao,
} from '@secretkit/test-servers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSecrets, envProvider, fileProvider, type SecretChangeEvent } from '../src/index.js'
import { awsSecretsManager } from '../src/providers/aws.js'
import { azureKeyVault } from '../src/providers/azure.js'
import { gcpSecretManager } from '../src/providers/gcp.js'
import { vaultProvider } from '../src/providers/vault.js'
import { putSecret, secretsManagerFor } from './support/aws.js'
import {
  azureClientOptions,
  connectionGuard,
  FixedTokenCredential,
  gcpClientOptions,
} from './support/cloud.js'
import { BaoAdmin } from './support/openbao-admin.js'

const moto = motoAvailability()
const bao = openBaoAvailability()

describe.skipIf(!moto.available || !bao.available)(
  `one store over six providers ${moto.reason} ${bao.reason}`,
  () => {
    const guard = connectionGuard()
    let motoServer: MotoServer
    let baoServer: OpenBaoServer
    let gcp: GcpSecretManagerServer
    let azure: AzureKeyVaultServer
    let dir: string

    beforeAll(async () => {
      ;[motoServer, baoServer, gcp, azure] = await Promise.all([
        startMoto(),
        startOpenBao(),
        startGcpSecretManagerServer(),
        startAzureKeyVaultServer(),
      ])
      dir = await mkdtemp(join(tmpdir(), 'secretkit-cross-'))
      await writeFile(join(dir, 'db.env'), 'DB_PASSWORD=file-db-password\n')

      const admin = secretsManagerFor(motoServer).client
      await putSecret(admin, 'prod/stripe', JSON.stringify({ api_key: 'aws-stripe-key' }))
      admin.destroy()
      await new BaoAdmin(baoServer).kv2('app/api', { token: 'vault-api-token' })
      gcp.createSecret('analytics-key')
      gcp.addVersion('analytics-key', 'gcp-analytics-key')
      azure.setSecret('signing-key', 'azure-signing-key')
    })

    afterAll(async () => {
      await Promise.all([motoServer?.stop(), baoServer?.stop(), gcp?.stop(), azure?.stop()])
      guard.restore()
    })

    it('loads a mixed declaration with fallback chains in one load(), and only talks to loopback', async () => {
      const env = { SMTP_PASSWORD: 'env-smtp-password', SENTRY_DSN_FALLBACK: 'env-sentry' }
      const secrets = createSecrets({
        providers: {
          env: envProvider({ env }),
          file: fileProvider({ dir }),
          aws: awsSecretsManager({
            endpoint: motoServer.endpoint,
            region: motoServer.region,
            credentials: motoServer.credentials,
          }),
          vault: vaultProvider({ url: baoServer.address, token: baoServer.rootToken }),
          gcp: gcpSecretManager({ projectId: gcp.projectId, clientOptions: gcpClientOptions(gcp) }),
          azure: azureKeyVault({
            vaultUrl: azure.vaultUrl,
            credential: new FixedTokenCredential(),
            clientOptions: azureClientOptions(azure),
          }),
        },
        secrets: {
          stripeKey: ['aws://prod/stripe#api_key', 'env://STRIPE_KEY'],
          apiToken: ['vault://app/api#token', 'env://API_TOKEN'],
          analyticsKey: ['gcp://analytics-key', 'env://ANALYTICS_KEY'],
          signingKey: ['azure://signing-key', 'file://signing.txt'],
          dbPassword: ['aws://prod/db#password', 'vault://app/db#password', 'file://db.env#DB_PASSWORD'],
          smtpPassword: ['gcp://smtp', 'azure://smtp', 'env://SMTP_PASSWORD'],
          sentryDsn: { from: ['vault://app/sentry#dsn', 'env://SENTRY_DSN'], optional: true },
        },
        retry: { attempts: 1 },
      })
      const changes: SecretChangeEvent[] = []
      secrets.on('change', (event) => changes.push(event))

      await secrets.load()

      expect(
        Object.fromEntries(secrets.status().map((status) => [status.name, [status.source, status.provider]])),
      ).toEqual({
        stripeKey: ['aws://prod/stripe#api_key', 'aws'],
        apiToken: ['vault://app/api#token', 'vault'],
        analyticsKey: ['gcp://analytics-key', 'gcp'],
        signingKey: ['azure://signing-key', 'azure'],
        dbPassword: ['file://db.env#DB_PASSWORD', 'file'],
        smtpPassword: ['env://SMTP_PASSWORD', 'env'],
        sentryDsn: [undefined, undefined],
      })
      expect(secrets.get('stripeKey')).toBe('aws-stripe-key')
      expect(secrets.get('apiToken')).toBe('vault-api-token')
      expect(secrets.get('analyticsKey')).toBe('gcp-analytics-key')
      expect(secrets.get('signingKey')).toBe('azure-signing-key')
      expect(secrets.get('dbPassword')).toBe('file-db-password')
      expect(secrets.get('smtpPassword')).toBe('env-smtp-password')
      expect(secrets.get('sentryDsn')).toBeUndefined()
      expect(changes).toEqual([])

      // Every scrubbed value, whichever provider it came from.
      const line = ['aws-stripe-key', 'vault-api-token', 'gcp-analytics-key', 'azure-signing-key'].join(' ')
      expect(secrets.scrub(line)).toBe('[redacted] [redacted] [redacted] [redacted]')

      await secrets.close()
      // Every connection went to one of the four loopback peers, nowhere else.
      const allowed = new Set(
        [motoServer.endpoint, baoServer.address, azure.vaultUrl, `http://${gcp.host}:${gcp.port}`].map(
          (url) => `127.0.0.1:${new URL(url).port}`,
        ),
      )
      expect(guard.targets.size).toBeGreaterThan(0)
      for (const target of guard.targets)
        expect(allowed).toContain(target.replace(/^localhost:/, '127.0.0.1:'))
    })
  },
)
