import {
  BatchGetSecretValueCommand,
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager'
import {
  GetParameterCommand,
  GetParametersByPathCommand,
  GetParametersCommand,
  SSMClient,
} from '@aws-sdk/client-ssm'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { type AwsFaultStub, startFaultStub } from '../src/index.js'

describe('AWS JSON 1.1 fault stub', () => {
  let stub: AwsFaultStub
  let secrets: SecretsManagerClient
  let ssm: SSMClient

  beforeAll(async () => {
    stub = await startFaultStub({
      secrets: { 'prod/db': '{"password":"pw"}', 'prod/api': 'key-1' },
      parameters: { '/app/a': 'A', '/app/b': 'B', '/app/deep/c': 'C' },
    })
    const config = { endpoint: stub.endpoint, region: stub.region, credentials: stub.credentials }
    secrets = new SecretsManagerClient(config)
    ssm = new SSMClient(config)
  })
  afterAll(async () => {
    secrets?.destroy()
    ssm?.destroy()
    await stub?.stop()
  })
  beforeEach(() => stub.reset())

  it('serves GetSecretValue and BatchGetSecretValue from memory, counting per operation', async () => {
    const one = await secrets.send(new GetSecretValueCommand({ SecretId: 'prod/db' }))
    expect(one.SecretString).toBe('{"password":"pw"}')
    expect(one.CreatedDate).toBeInstanceOf(Date)
    const batch = await secrets.send(new BatchGetSecretValueCommand({ SecretIdList: ['prod/api', 'nope'] }))
    expect(batch.SecretValues?.map((s) => s.SecretString)).toEqual(['key-1'])
    expect(batch.Errors?.[0]?.ErrorCode).toBe('ResourceNotFoundException')
    expect(stub.calls.snapshot()).toEqual({ GetSecretValue: 1, BatchGetSecretValue: 1 })
  })

  it('reports a missing secret as ResourceNotFoundException and a new version with a new VersionId', async () => {
    await expect(secrets.send(new GetSecretValueCommand({ SecretId: 'missing' }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    )
    const before = await secrets.send(new GetSecretValueCommand({ SecretId: 'prod/api' }))
    stub.setSecret('prod/api', 'key-2')
    const after = await secrets.send(new GetSecretValueCommand({ SecretId: 'prod/api' }))
    expect([after.SecretString, after.VersionId === before.VersionId]).toEqual(['key-2', false])
  })

  it('serves SSM GetParameter, GetParameters and GetParametersByPath', async () => {
    expect((await ssm.send(new GetParameterCommand({ Name: '/app/a' }))).Parameter?.Value).toBe('A')
    const many = await ssm.send(new GetParametersCommand({ Names: ['/app/a', '/app/zz'] }))
    expect([many.Parameters?.map((p) => p.Value), many.InvalidParameters]).toEqual([['A'], ['/app/zz']])
    const flat = await ssm.send(new GetParametersByPathCommand({ Path: '/app' }))
    expect(flat.Parameters?.map((p) => p.Name)).toEqual(['/app/a', '/app/b'])
    const deep = await ssm.send(
      new GetParametersByPathCommand({ Path: '/app', Recursive: true, MaxResults: 2 }),
    )
    expect(deep.NextToken).toBeDefined()
    const rest = await ssm.send(
      new GetParametersByPathCommand({
        Path: '/app',
        Recursive: true,
        MaxResults: 2,
        NextToken: deep.NextToken,
      }),
    )
    expect(rest.Parameters?.map((p) => p.Name)).toEqual(['/app/deep/c'])
    await expect(ssm.send(new GetParameterCommand({ Name: '/nope' }))).rejects.toMatchObject({
      name: 'ParameterNotFound',
    })
  })

  it('always-throttled: the SDK retries (3 attempts) then surfaces ThrottlingException', async () => {
    stub.fault({ kind: 'throttle' })
    const error = await secrets
      .send(new GetSecretValueCommand({ SecretId: 'prod/db' }))
      .catch((e: unknown) => e)
    expect(error).toMatchObject({
      name: 'ThrottlingException',
      $metadata: { httpStatusCode: 400, attempts: 3 },
    })
    expect(stub.calls.count('GetSecretValue')).toBe(3)
  })

  it('throttled for the next 2 calls only: the SDK retry succeeds on the 3rd attempt', async () => {
    stub.fault({ kind: 'throttle', times: 2, operations: ['GetParameter'] })
    const result = await ssm.send(new GetParameterCommand({ Name: '/app/b' }))
    expect([result.Parameter?.Value, result.$metadata.attempts]).toEqual(['B', 3])
  })

  it('a 500 surfaces as a 5xx service error after retries', async () => {
    stub.fault({ kind: 'server-error' })
    const error = await secrets
      .send(new GetSecretValueCommand({ SecretId: 'prod/db' }))
      .catch((e: unknown) => e)
    expect(error).toMatchObject({ $fault: 'server', $metadata: { httpStatusCode: 500 } })
  })

  it('a 503 for one call is retried transparently', async () => {
    stub.fault({ kind: 'unavailable', times: 1 })
    const result = await secrets.send(new GetSecretValueCommand({ SecretId: 'prod/db' }))
    expect(result.$metadata.attempts).toBe(2)
  })

  it('malformed bodies, delays and connection resets reach the client', async () => {
    stub.fault({ kind: 'malformed', times: 1 })
    await expect(secrets.send(new GetSecretValueCommand({ SecretId: 'prod/db' }))).rejects.toThrow()

    stub.fault({ kind: 'delay', delayMs: 300, times: 1 })
    const started = Date.now()
    await secrets.send(new GetSecretValueCommand({ SecretId: 'prod/db' }))
    expect(Date.now() - started).toBeGreaterThanOrEqual(290)

    const strict = new SecretsManagerClient({
      endpoint: stub.endpoint,
      region: stub.region,
      credentials: stub.credentials,
      maxAttempts: 1,
    })
    stub.fault({ kind: 'connection-reset', times: 1 })
    await expect(strict.send(new GetSecretValueCommand({ SecretId: 'prod/db' }))).rejects.toThrow()
    strict.destroy()
  })
})
