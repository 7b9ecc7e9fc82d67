import {
  CreateSecretCommand,
  DeleteSecretCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager'
import type { SSMClient } from '@aws-sdk/client-ssm'
import {
  type AwsFaultKind,
  type MotoServer,
  motoAvailability,
  startFaultStub,
  startMoto,
} from '@secretkit/test-servers'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { z } from 'zod'
import {
  createSecrets,
  ProviderUnavailableError,
  SecretAccessDeniedError,
  SecretConfigError,
  SecretNotFoundError,
  type SecretProvider,
  type SecretRequest,
  type SecretsLoadError,
} from '../src/index.js'
import { awsSecretsManager } from '../src/providers/aws.js'
import { fromAwsCode, toAwsError } from '../src/providers/aws-errors.js'
import { ssmParameterStore } from '../src/providers/ssm.js'
import { putParameter, putSecret, secretsManagerFor, signal, ssmFor, waitFor } from './support/aws.js'
import { CANARY } from './support/fixtures.js'
import { captureOutput, expectNoCanary } from './support/leak.js'

/** Every outcome of `read`: the error it threw, or each per-id error of a batch. */
async function outcomes(read: () => Promise<unknown>): Promise<unknown[]> {
  try {
    const result = await read()
    return Array.isArray(result) ? result.filter((item) => item instanceof Error) : []
  } catch (error) {
    return [error]
  }
}

const captured: string[] = []
beforeEach(() => {
  captured.length = 0
  captureOutput(captured)
})
afterEach(() => {
  vi.restoreAllMocks()
  expect(captured.join('\n')).not.toContain(CANARY)
})

describe('mapping of SDK errors', () => {
  const context = { service: 'Secrets Manager', provider: 'aws' }

  it('keeps the AWS error name, code and status only: never the message, body or cause', () => {
    const sdkError = Object.assign(new Error(`Secret ${CANARY} is not allowed`), {
      name: 'AccessDeniedException',
      $metadata: { httpStatusCode: 400 },
      $responseBodyText: `{"SecretString":"${CANARY}"}`,
      $response: { headers: {}, body: CANARY },
    })
    const mapped = toAwsError(sdkError, context)
    expect(mapped).toBeInstanceOf(SecretAccessDeniedError)
    expect(mapped.message).toContain('AccessDeniedException')
    expect(mapped.cause).toBeUndefined()
    expectNoCanary(mapped)
  })

  it.each([
    ['ResourceNotFoundException', SecretNotFoundError],
    ['ParameterNotFound', SecretNotFoundError],
    ['ParameterVersionNotFound', SecretNotFoundError],
    ['AccessDeniedException', SecretAccessDeniedError],
    ['DecryptionFailure', SecretAccessDeniedError],
    ['KMSAccessDeniedException', SecretAccessDeniedError],
    ['KMSDisabledException', SecretAccessDeniedError],
    ['InvalidKeyId', SecretAccessDeniedError],
    ['ThrottlingException', ProviderUnavailableError],
    ['TooManyUpdates', ProviderUnavailableError],
    ['InternalServiceError', ProviderUnavailableError],
    ['ValidationException', SecretConfigError],
    ['InvalidParameterException', SecretConfigError],
    ['CredentialsProviderError', SecretConfigError],
  ] as const)('%s → %o', (name, type) => {
    const mapped = toAwsError(Object.assign(new Error(CANARY), { name }), context)
    expect(mapped).toBeInstanceOf(type)
    expectNoCanary(mapped)
  })

  it('5xx, network codes and unparseable bodies are retryable; a 403 body that fails to parse is denied', () => {
    const cases: [object, unknown][] = [
      [{ name: 'Unknown', $metadata: { httpStatusCode: 502 } }, ProviderUnavailableError],
      [{ name: 'Error', code: 'ECONNREFUSED' }, ProviderUnavailableError],
      [{ name: 'TimeoutError', code: 'ECONNRESET' }, ProviderUnavailableError],
      [{ name: 'SyntaxError', $metadata: { httpStatusCode: 200 } }, ProviderUnavailableError],
      [{ name: 'SyntaxError', $metadata: { httpStatusCode: 403 } }, SecretAccessDeniedError],
    ]
    for (const [shape, type] of cases) {
      const mapped = toAwsError(Object.assign(new Error(CANARY), shape), context)
      expect(mapped).toBeInstanceOf(type)
      expectNoCanary(mapped)
    }
    const throttled = toAwsError(
      Object.assign(new Error(CANARY), {
        name: 'ThrottlingException',
        $response: { headers: { 'retry-after': '2' } },
      }),
      context,
    ) as ProviderUnavailableError
    expect(throttled.retryAfterMs).toBe(2_000)
    const noRegion = toAwsError(new Error('Region is missing'), context)
    expect(noRegion).toBeInstanceOf(SecretConfigError)
    expect(noRegion.message).toMatch(/AWS_REGION/)
    expect(
      fromAwsCode('InvalidRequestException', context, { message: 'marked for deletion' }),
    ).toBeInstanceOf(SecretNotFoundError)
    expect(fromAwsCode('InvalidRequestException', context, { message: 'other' })).toBeInstanceOf(
      SecretConfigError,
    )
  })
})

const moto = motoAvailability()

describe.skipIf(!moto.available)(`leak canary against moto ${moto.reason}`, () => {
  let server: MotoServer
  let sm: SecretsManagerClient
  let ssm: SSMClient
  beforeAll(async () => {
    server = await startMoto()
    sm = secretsManagerFor(server).client
    ssm = ssmFor(server).client
  })
  afterAll(async () => {
    sm?.destroy()
    ssm?.destroy()
    await server?.stop()
  })
  beforeEach(() => server.reset())

  it('provider errors never echo names or values (not found, versions, labels, deleted, invalid)', async () => {
    await putSecret(sm, 'leak/json', JSON.stringify({ password: CANARY }))
    await putSecret(sm, `leak/${CANARY}-deleted`, CANARY)
    await sm.send(new DeleteSecretCommand({ SecretId: `leak/${CANARY}-deleted` }))
    await putParameter(ssm, '/leak/param', CANARY)
    const aws = awsSecretsManager(server)
    const parameters = ssmParameterStore(server)
    const named = (suffix: string): SecretRequest => ({ path: `leak/${CANARY}${suffix}` })
    const reads: Array<[SecretProvider, () => Promise<unknown>]> = [
      [aws, () => aws.get(named('-missing'), { signal })],
      [aws, () => aws.get({ ...named('-missing'), version: `${CANARY}-version` }, { signal })],
      [aws, () => aws.get({ path: 'leak/json', version: `${CANARY}-version-0000000000000` }, { signal })],
      [aws, () => aws.get({ path: 'leak/json', stage: `${CANARY}` }, { signal })],
      [aws, () => aws.get(named('-deleted'), { signal })],
      [aws, () => aws.getMany!([named('-a'), named('-deleted'), { path: 'leak/json' }], { signal })],
      [
        aws,
        () =>
          aws.getMany!(
            Array.from({ length: 21 }, (_, i) => named(`-${i}`)),
            { signal },
          ),
      ],
      [parameters, () => parameters.get({ path: `/leak/${CANARY}` }, { signal })],
      [parameters, () => parameters.get({ path: '/leak/param', version: '99' }, { signal })],
      [parameters, () => parameters.get({ path: '/leak/param', stage: `${CANARY}` }, { signal })],
      [parameters, () => parameters.get({ path: `/leak/${CANARY} with spaces!` }, { signal })],
      [
        parameters,
        () => parameters.getMany!([{ path: `/leak/${CANARY}` }, { path: '/leak/param' }], { signal }),
      ],
      [
        parameters,
        () =>
          parameters.getMany!(
            Array.from({ length: 11 }, (_, i) => named(`${i}`)),
            { signal },
          ),
      ],
      [parameters, () => parameters.listPath(`/leak/${CANARY}`)],
      [parameters, () => parameters.listPath(`${CANARY}`)],
    ]
    let errors = 0
    for (const [provider, read] of reads) {
      for (const error of await outcomes(read)) {
        errors++
        expect(error, provider.name).toBeInstanceOf(Error)
        expect((error as Error).constructor.name).toMatch(/^Secret|^Provider/)
        expectNoCanary(error)
      }
    }
    expect(errors).toBeGreaterThanOrEqual(15)
    await aws.close?.()
    await parameters.close?.()
  })

  it('store errors for canary values (missing #field, schema, deleted) name the secret, never the value', async () => {
    await putSecret(sm, 'leak/json', JSON.stringify({ password: CANARY }))
    await putSecret(sm, 'leak/port', CANARY)
    await putSecret(sm, 'leak/gone', CANARY)
    await sm.send(new DeleteSecretCommand({ SecretId: 'leak/gone' }))
    await putParameter(ssm, '/leak/port', CANARY)
    const store = createSecrets({
      providers: { aws: awsSecretsManager(server), ssm: ssmParameterStore(server) },
      secrets: {
        user: 'aws://leak/json#user',
        port: { from: 'aws://leak/port', schema: z.coerce.number() },
        ssmPort: { from: 'ssm:///leak/port', schema: z.coerce.number() },
        gone: 'aws://leak/gone',
        password: 'aws://leak/json#password',
      },
    })
    const error = await store.load().catch((caught: unknown) => caught)
    expect((error as Error).message).toMatch(/user[\s\S]*port[\s\S]*ssmPort[\s\S]*gone/)
    expectNoCanary(error)
    expect(store.scrub(`value=${CANARY}`)).toBe('value=[redacted]')
    await store.close()
  })
})

describe.skipIf(!moto.available)(`leak canary against moto enforcing IAM ${moto.reason}`, () => {
  let server: MotoServer
  beforeAll(async () => {
    // moto checks credentials after the first N actions: the setup writes, then every read is refused.
    vi.stubEnv('INITIAL_NO_AUTH_ACTION_COUNT', '2')
    try {
      server = await startMoto()
    } finally {
      vi.unstubAllEnvs()
    }
    await secretsManagerFor(server).client.send(
      new CreateSecretCommand({ Name: 'denied/db', SecretString: CANARY }),
    )
    await putParameter(ssmFor(server).client, '/denied/db', CANARY)
  })
  afterAll(() => server?.stop())

  it('access denied on every read path is a SecretAccessDeniedError without the value', async () => {
    const aws = awsSecretsManager(server)
    const parameters = ssmParameterStore(server)
    const errors = [
      ...(await outcomes(() => aws.get({ path: 'denied/db' }, { signal }))),
      ...(await outcomes(() => aws.getMany!([{ path: 'denied/db' }, { path: 'x' }], { signal }))),
      ...(await outcomes(() => parameters.get({ path: '/denied/db' }, { signal }))),
      ...(await outcomes(() => parameters.getMany!([{ path: '/denied/db' }, { path: '/x' }], { signal }))),
      ...(await outcomes(() => parameters.listPath('/denied'))),
    ]
    expect(errors).toHaveLength(5)
    for (const error of errors) {
      expect(error).toBeInstanceOf(SecretAccessDeniedError)
      expectNoCanary(error)
    }
    // Access denied is a bug to surface: a fallback chain does not fall through it.
    const fallback = ssmFor(server)
    const store = createSecrets({
      providers: { aws, ssm: ssmParameterStore({ client: fallback.client }) },
      secrets: { db: { from: ['aws://denied/db', 'ssm:///denied/db'] } },
    })
    const loadError = await store.load().catch((caught: unknown) => caught)
    expect((loadError as SecretsLoadError).failures[0]?.code).toBe('SECRET_ACCESS_DENIED')
    expect(fallback.calls.total).toBe(0)
    expectNoCanary(loadError)
    fallback.client.destroy()
    await store.close()
  })
})

describe('leak canary against the fault stub', () => {
  it('background refresh failures of every kind: errors and events carry names only', async () => {
    const stub = await startFaultStub({
      secrets: { db: CANARY, other: JSON.stringify({ key: CANARY }) },
      parameters: { '/app/token': CANARY },
    })
    const store = createSecrets({
      providers: { aws: awsSecretsManager(stub), ssm: ssmParameterStore(stub) },
      secrets: { db: 'aws://db', key: 'aws://other#key', token: 'ssm:///app/token' },
      cache: { ttl: 100, staleWhileRevalidate: 0, staleIfError: '1h' },
      retry: { attempts: 2, baseDelay: 1, timeout: 200 },
    })
    const seen: unknown[] = []
    store.on('error', (event) => seen.push(event))
    store.on('change', (event) => seen.push(event))
    await store.load()
    const kinds: AwsFaultKind[] = ['throttle', 'server-error', 'unavailable', 'malformed', 'connection-reset']
    for (const kind of kinds) {
      stub.fault({ kind })
      const before = seen.length
      await waitFor(() => seen.length >= before + 3)
      seen.push(await store.resolve('aws://db?stage=AWSPREVIOUS').catch((caught: unknown) => caught))
      seen.push(await store.refresh().catch((caught: unknown) => caught))
      expect(store.get('db')).toBe(CANARY)
      stub.clearFaults()
    }
    stub.fault({ kind: 'delay', delayMs: 500 })
    seen.push(await store.resolve('ssm:///app/token?version=1').catch((caught: unknown) => caught))
    stub.clearFaults()
    stub.setSecret('db', `${CANARY}-rotated`)
    await waitFor(() => store.get('db') === `${CANARY}-rotated`)
    expect(seen.filter((item) => item instanceof Error).length).toBeGreaterThanOrEqual(10)
    for (const item of seen) expectNoCanary(item)
    await store.close()
    await stub.stop()
  })
})
