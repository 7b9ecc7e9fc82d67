import type { Parameter, SSMClient, SSMClientConfig } from '@aws-sdk/client-ssm'
import { SecretConfigError, SecretNotFoundError } from '../errors.js'
import type { ProviderCallOptions, ProviderResult, SecretProvider, TenantCandidate } from '../provider.js'
import { abortReason, clientConfig, toAwsError } from './aws-errors.js'
import { importPeer } from './optional-peer.js'

export interface SsmParameterStoreOptions {
  /** AWS region. @default the SDK's chain (AWS_REGION, profile) */
  region?: string
  /** Custom endpoint (VPC endpoint, LocalStack, moto). @default the regional AWS endpoint */
  endpoint?: string
  /** Static credentials or a provider function. @default the SDK's chain (env, profile, SSO, IAM role) */
  credentials?: SSMClientConfig['credentials']
  /**
   * Prepended to every parameter name this provider reads — references, tenant lookups and
   * `listPath()` alike: with `prefix: '/prod/'`, `ssm://db/password` reads `/prod/db/password`. @default ''
   */
  prefix?: string
  /**
   * A client you built yourself. Used as is: set `maxAttempts: 1` on it, since the store
   * already retries. `region`/`endpoint`/`credentials` are then ignored, and `close()` leaves it open.
   */
  client?: SSMClient
  /** Decrypt SecureString parameters (needs kms:Decrypt). @default true */
  withDecryption?: boolean
}

/** One parameter of a hierarchy read by {@link SsmParameterStoreProvider.listPath}. */
export interface SsmPathParameter {
  /** Full parameter name, prefix included. */
  name: string
  value: string
  version: string | undefined
}

export interface SsmListPathOptions {
  /** Include every level below `path`, not only its direct children. @default false */
  recursive?: boolean
  signal?: AbortSignal
}

export interface SsmParameterStoreProvider extends SecretProvider {
  /**
   * Every parameter under `path` (prefix applied), through all GetParametersByPath pages.
   * The values are secrets: the result is not cached and not scrubbed by any store.
   */
  listPath(path: string, options?: SsmListPathOptions): Promise<SsmPathParameter[]>
}

export const SSM_PROVIDER_NAME = 'ssm'
const SERVICE = 'SSM Parameter Store'
const SDK_PACKAGE = '@aws-sdk/client-ssm'
/** GetParameters takes at most 10 names. */
const MAX_BATCH = 10
/** GetParametersByPath returns at most 10 a page; 1,000 pages is 10,000 parameters, the account limit. */
const MAX_PAGES = 1_000
const context = { service: SERVICE, provider: SSM_PROVIDER_NAME }

type Sdk = typeof import('@aws-sdk/client-ssm')

/**
 * AWS Systems Manager Parameter Store. `ssm:///prod/db/password` reads that parameter
 * (SecureString decrypted; StringList as its raw comma-separated text); `?version=3` reads
 * `name:3`, `?stage=blue` reads the label `name:blue`. Batched reads use GetParameters (10
 * names a call). A name with `/` that lacks the leading one gets it (`ssm://prod/db` reads
 * `/prod/db`), and prefix and path meet with one `/`. Tenant `t`'s `name` is `{prefix}t/name`. `listPath()` loads a hierarchy.
 *
 * The SDK (`@aws-sdk/client-ssm`, an optional peer) is imported on the first read.
 *
 * @example
 * createSecrets({
 *   providers: { ssm: ssmParameterStore({ region: 'eu-west-1', prefix: '/prod/' }) },
 *   secrets: { dbPassword: 'ssm://db/password' },
 * })
 */
export function ssmParameterStore(options: SsmParameterStoreOptions = {}): SsmParameterStoreProvider {
  const prefix = options.prefix ?? ''
  const withDecryption = options.withDecryption ?? true
  let sdk: Promise<Sdk> | undefined
  let client: SSMClient | undefined = options.client
  const owned = options.client === undefined

  async function connect(): Promise<{ sdk: Sdk; client: SSMClient }> {
    sdk ??= importPeer(() => import('@aws-sdk/client-ssm'), [SDK_PACKAGE], SSM_PROVIDER_NAME)
    const module = await sdk
    client ??= new module.SSMClient(clientConfig(options) as SSMClientConfig)
    return { sdk: module, client }
  }

  async function send<T>(
    signal: AbortSignal | undefined,
    run: (sdk: Sdk, client: SSMClient, options: { abortSignal?: AbortSignal }) => Promise<T>,
  ): Promise<T> {
    const { sdk, client } = await connect()
    try {
      return await run(sdk, client, signal === undefined ? {} : { abortSignal: signal })
    } catch (error) {
      throw (signal && abortReason(signal)) ?? toAwsError(error, context)
    }
  }

  return {
    name: SSM_PROVIDER_NAME,
    maxBatchSize: MAX_BATCH,
    async get(request, { signal }: ProviderCallOptions) {
      const selector = request.version ?? request.stage
      const name = parameterName(prefix, request.path) + (selector === undefined ? '' : `:${selector}`)
      const output = await send(signal, (sdk, client, call) =>
        client.send(new sdk.GetParameterCommand({ Name: name, WithDecryption: withDecryption }), call),
      )
      return toResult(output.Parameter)
    },
    async getMany(requests, { signal }) {
      const names = requests.map((request) => parameterName(prefix, request.path))
      const output = await send(signal, (sdk, client, call) =>
        client.send(new sdk.GetParametersCommand({ Names: names, WithDecryption: withDecryption }), call),
      )
      const found = new Map<string, Parameter>()
      for (const parameter of output.Parameters ?? []) {
        // Selector-pinned reads never come through getMany, so only plain answers count.
        if (parameter.Selector) continue
        if (parameter.Name !== undefined) found.set(parameter.Name, parameter)
        if (parameter.ARN !== undefined) found.set(parameter.ARN, parameter)
      }
      return names.map((name) => {
        const parameter = found.get(name)
        if (parameter === undefined) return notFound()
        try {
          return toResult(parameter)
        } catch (error) {
          return error as Error
        }
      })
    },
    async listPath(path, { recursive = false, signal } = {}) {
      const root = parameterName(prefix, path)
      if (!root.startsWith('/')) {
        // The path is the caller's own input: not echoed, like every other provider error.
        throw new SecretConfigError('listPath() needs a path that starts with "/"', {
          provider: SSM_PROVIDER_NAME,
          hint: 'pass a hierarchy such as /prod/app (or set prefix to one)',
        })
      }
      const parameters: SsmPathParameter[] = []
      let nextToken: string | undefined
      for (let page = 0; page < MAX_PAGES; page++) {
        const token = nextToken
        const output = await send(signal, (sdk, client, call) =>
          client.send(
            new sdk.GetParametersByPathCommand({
              Path: root,
              Recursive: recursive,
              WithDecryption: withDecryption,
              MaxResults: 10,
              ...(token === undefined ? {} : { NextToken: token }),
            }),
            call,
          ),
        )
        for (const parameter of output.Parameters ?? []) {
          if (parameter.Name === undefined || parameter.Value === undefined) continue
          parameters.push({
            name: parameter.Name,
            value: parameter.Value,
            version: parameter.Version === undefined ? undefined : String(parameter.Version),
          })
        }
        nextToken = output.NextToken
        if (nextToken === undefined) return parameters
      }
      throw new SecretConfigError(`listPath() found more than ${MAX_PAGES} pages of parameters`, {
        provider: SSM_PROVIDER_NAME,
        hint: 'list a narrower path',
      })
    },
    tenantCandidates(tenant, name): TenantCandidate[] {
      // `prefix` is added by get(), like for any reference.
      return [{ path: `${tenant}/${name}` }]
    },
    close() {
      if (owned) client?.destroy()
      client = undefined
    },
  }
}

/** `prefix + path` (one `/` where they meet), with the leading `/` SSM requires of any name that contains one. */
function parameterName(prefix: string, path: string): string {
  const name = prefix.endsWith('/') && path.startsWith('/') ? prefix + path.slice(1) : prefix + path
  return name.includes('/') && !name.startsWith('/') && !name.startsWith('arn:') ? `/${name}` : name
}

function toResult(parameter: Parameter | undefined): ProviderResult {
  if (parameter?.Value === undefined) throw notFound()
  return {
    value: parameter.Value,
    ...(parameter.Version === undefined ? {} : { version: String(parameter.Version) }),
  }
}

function notFound(): SecretNotFoundError {
  return new SecretNotFoundError(`${SERVICE} has no such parameter (ParameterNotFound)`, {
    provider: SSM_PROVIDER_NAME,
    hint: 'check the name (hierarchies start with "/"), the region and the prefix',
  })
}

export default ssmParameterStore
