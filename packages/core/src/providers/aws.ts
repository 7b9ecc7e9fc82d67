import type {
  BatchGetSecretValueCommandOutput,
  GetSecretValueCommandOutput,
  SecretsManagerClient,
  SecretsManagerClientConfig,
} from '@aws-sdk/client-secrets-manager'
import { SecretConfigError, SecretNotFoundError } from '../errors.js'
import type {
  ProviderCallOptions,
  ProviderResult,
  SecretProvider,
  SecretRequest,
  TenantCandidate,
} from '../provider.js'
import { abortReason, clientConfig, fromAwsCode, toAwsError } from './aws-errors.js'
import { importPeer } from './optional-peer.js'

export interface AwsSecretsManagerOptions {
  /** AWS region. @default the SDK's chain (AWS_REGION, profile) */
  region?: string
  /** Custom endpoint (VPC endpoint, LocalStack, moto). @default the regional AWS endpoint */
  endpoint?: string
  /** Static credentials or a provider function. @default the SDK's chain (env, profile, SSO, IAM role) */
  credentials?: SecretsManagerClientConfig['credentials']
  /**
   * Prepended to every secret id this provider reads — references and tenant lookups alike:
   * with `prefix: 'prod/'`, `aws://db` reads the secret `prod/db`. @default ''
   */
  prefix?: string
  /**
   * A client you built yourself (custom middleware, proxy, credentials). Used as is: set
   * `maxAttempts: 1` on it, since the store already retries. `region`/`endpoint`/`credentials`
   * are then ignored, and `close()` leaves the client open.
   */
  client?: SecretsManagerClient
  /** Most ids per BatchGetSecretValue call (AWS allows 20). @default 20 */
  maxBatchSize?: number
}

export const AWS_PROVIDER_NAME = 'aws'
const SERVICE = 'Secrets Manager'
const SDK_PACKAGE = '@aws-sdk/client-secrets-manager'
const MAX_BATCH = 20
/** BatchGetSecretValue pages at most this many times per call; AWS answers 20 ids in one page. */
const MAX_PAGES = 20
const context = { service: SERVICE, provider: AWS_PROVIDER_NAME }

type Sdk = typeof import('@aws-sdk/client-secrets-manager')

/**
 * AWS Secrets Manager. `aws://prod/db#password` reads the JSON secret `prod/db` and picks
 * `password`; `?stage=AWSPREVIOUS` or `?version=<VersionId>` pin what is read (the stage is
 * always sent, AWSCURRENT by default). Binary secrets come back as bytes. Batched reads use
 * BatchGetSecretValue (20 ids a call). Tenant `t`'s `name` is the key `name` of the JSON
 * secret `{prefix}t`, else the secret `{prefix}t/name` (seed 003).
 *
 * The SDK (`@aws-sdk/client-secrets-manager`, an optional peer) is imported on the first read.
 *
 * @example
 * createSecrets({
 *   providers: { aws: awsSecretsManager({ region: 'eu-west-1', prefix: 'prod/' }) },
 *   secrets: { dbPassword: 'aws://db#password' },
 * })
 */
export function awsSecretsManager(options: AwsSecretsManagerOptions = {}): SecretProvider {
  const prefix = options.prefix ?? ''
  const maxBatchSize = options.maxBatchSize ?? MAX_BATCH
  if (!Number.isInteger(maxBatchSize) || maxBatchSize < 1 || maxBatchSize > MAX_BATCH) {
    throw new SecretConfigError(`Invalid awsSecretsManager maxBatchSize ${JSON.stringify(maxBatchSize)}`, {
      provider: AWS_PROVIDER_NAME,
      hint: `use a whole number from 1 to ${MAX_BATCH}`,
    })
  }
  let sdk: Promise<Sdk> | undefined
  let client: SecretsManagerClient | undefined = options.client
  const owned = options.client === undefined

  async function connect(): Promise<{ sdk: Sdk; client: SecretsManagerClient }> {
    sdk ??= importPeer(() => import('@aws-sdk/client-secrets-manager'), [SDK_PACKAGE], AWS_PROVIDER_NAME)
    const module = await sdk
    client ??= new module.SecretsManagerClient(clientConfig(options) as SecretsManagerClientConfig)
    return { sdk: module, client }
  }

  async function get(request: SecretRequest, { signal }: ProviderCallOptions): Promise<ProviderResult> {
    const { sdk, client } = await connect()
    const command = new sdk.GetSecretValueCommand({
      SecretId: prefix + request.path,
      ...(request.version === undefined
        ? { VersionStage: request.stage ?? 'AWSCURRENT' }
        : { VersionId: request.version }),
    })
    let output: GetSecretValueCommandOutput
    try {
      output = await client.send(command, { abortSignal: signal })
    } catch (error) {
      throw abortReason(signal) ?? toAwsError(error, context)
    }
    const result = toResult(output)
    if (result instanceof Error) throw result
    return result
  }

  return {
    name: AWS_PROVIDER_NAME,
    maxBatchSize,
    get,
    async getMany(requests, callOptions) {
      const { sdk, client } = await connect()
      const ids = requests.map((request) => prefix + request.path)
      const found = new Map<string, ProviderResult | Error>()
      let nextToken: string | undefined
      for (let page = 0; page < MAX_PAGES; page++) {
        let output: BatchGetSecretValueCommandOutput
        try {
          output = await client.send(
            new sdk.BatchGetSecretValueCommand({
              SecretIdList: ids,
              ...(nextToken === undefined ? {} : { NextToken: nextToken }),
            }),
            { abortSignal: callOptions.signal },
          )
        } catch (error) {
          throw abortReason(callOptions.signal) ?? toAwsError(error, context)
        }
        for (const entry of output.SecretValues ?? []) {
          const result = toResult(entry)
          if (entry.Name !== undefined) found.set(entry.Name, result)
          if (entry.ARN !== undefined) found.set(entry.ARN, result)
        }
        for (const failure of output.Errors ?? []) {
          if (failure.SecretId === undefined) continue
          const code = failure.ErrorCode ?? 'UnknownError'
          found.set(failure.SecretId, fromAwsCode(code, context, { message: failure.Message }))
        }
        nextToken = output.NextToken
        if (nextToken === undefined) break
      }
      // An id AWS answered under another spelling (a partial ARN) is read on its own.
      return Promise.all(
        requests.map((request, index) => {
          const answer = found.get(ids[index]!)
          return answer ?? get(request, callOptions).catch((error: Error) => error)
        }),
      )
    },
    tenantCandidates(tenant, name): TenantCandidate[] {
      // `prefix` is added by get(), like for any reference.
      return [{ path: tenant, field: name }, { path: `${tenant}/${name}` }]
    },
    close() {
      if (owned) client?.destroy()
      client = undefined
    },
  }
}

function toResult(output: {
  SecretString?: string | undefined
  SecretBinary?: Uint8Array | undefined
  VersionId?: string | undefined
}): ProviderResult | SecretNotFoundError {
  const value = output.SecretString ?? output.SecretBinary
  if (value === undefined) {
    return new SecretNotFoundError(`${SERVICE} returned no value for this version`, {
      provider: AWS_PROVIDER_NAME,
      hint: 'put a value with PutSecretValue, or pin another version/stage',
    })
  }
  return { value, ...(output.VersionId === undefined ? {} : { version: output.VersionId }) }
}

export default awsSecretsManager
