import {
  BatchGetSecretValueCommand,
  CreateSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager'
import {
  GetParameterCommand,
  GetParametersByPathCommand,
  PutParameterCommand,
  SSMClient,
} from '@aws-sdk/client-ssm'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { countAwsCommands, type MotoServer, motoAvailability, startMoto } from '../src/index.js'

const moto = motoAvailability()

describe.skipIf(!moto.available)(`moto server ${moto.reason}`, () => {
  let server: MotoServer
  let secrets: SecretsManagerClient
  let ssm: SSMClient

  beforeAll(async () => {
    server = await startMoto()
    const config = { endpoint: server.endpoint, region: server.region, credentials: server.credentials }
    secrets = new SecretsManagerClient(config)
    ssm = new SSMClient(config)
  })
  afterAll(async () => {
    secrets?.destroy()
    ssm?.destroy()
    await server?.stop()
  })
  beforeEach(() => server.reset())

  it('creates, rotates and reads a secret', async () => {
    await secrets.send(new CreateSecretCommand({ Name: 'prod/db', SecretString: '{"password":"one"}' }))
    const first = await secrets.send(new GetSecretValueCommand({ SecretId: 'prod/db' }))
    expect(first.SecretString).toBe('{"password":"one"}')
    await secrets.send(new PutSecretValueCommand({ SecretId: 'prod/db', SecretString: '{"password":"two"}' }))
    const second = await secrets.send(new GetSecretValueCommand({ SecretId: 'prod/db' }))
    expect(second.SecretString).toBe('{"password":"two"}')
    expect(second.VersionId).not.toBe(first.VersionId)
  })

  it('batch-gets secrets and reports missing ones as errors', async () => {
    await secrets.send(new CreateSecretCommand({ Name: 'a', SecretString: 'A' }))
    await secrets.send(new CreateSecretCommand({ Name: 'b', SecretString: 'B' }))
    const commands = countAwsCommands(secrets)
    const batch = await secrets.send(new BatchGetSecretValueCommand({ SecretIdList: ['a', 'b', 'missing'] }))
    expect(commands.snapshot()).toEqual({ BatchGetSecretValue: 1 })
    expect(batch.SecretValues?.map((s) => [s.Name, s.SecretString]).sort()).toEqual([
      ['a', 'A'],
      ['b', 'B'],
    ])
    expect(batch.Errors?.map((e) => [e.SecretId, e.ErrorCode])).toEqual([
      ['missing', 'ResourceNotFoundException'],
    ])
  })

  it('reset() drops state; missing secrets are ResourceNotFoundException', async () => {
    await secrets.send(new CreateSecretCommand({ Name: 'gone', SecretString: 'x' }))
    await server.reset()
    await expect(secrets.send(new GetSecretValueCommand({ SecretId: 'gone' }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    )
  })

  it('stores and reads SSM parameters, by name and by path', async () => {
    await ssm.send(
      new PutParameterCommand({ Name: '/app/db/url', Value: 'postgres://x', Type: 'SecureString' }),
    )
    await ssm.send(new PutParameterCommand({ Name: '/app/port', Value: '8080', Type: 'String' }))
    const one = await ssm.send(new GetParameterCommand({ Name: '/app/port' }))
    expect(one.Parameter?.Value).toBe('8080')
    const tree = await ssm.send(
      new GetParametersByPathCommand({ Path: '/app', Recursive: true, WithDecryption: true }),
    )
    expect(tree.Parameters?.map((p) => p.Name).sort()).toEqual(['/app/db/url', '/app/port'])
  })
})
