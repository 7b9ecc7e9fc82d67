import {
  CreateSecretCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager'
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm'
import { countAwsCommands } from '@secretkit/test-servers'

/** Where an AWS-speaking peer listens: moto or the fault stub. */
export interface AwsPeer {
  endpoint: string
  region: string
  credentials: { accessKeyId: string; secretAccessKey: string }
}

/** A Secrets Manager client for `peer`, with SDK retries off and a command counter. */
export function secretsManagerFor(peer: AwsPeer) {
  const client = new SecretsManagerClient({
    endpoint: peer.endpoint,
    region: peer.region,
    credentials: peer.credentials,
    maxAttempts: 1,
  })
  return { client, calls: countAwsCommands(client) }
}

/** An SSM client for `peer`, with SDK retries off and a command counter. */
export function ssmFor(peer: AwsPeer) {
  const client = new SSMClient({
    endpoint: peer.endpoint,
    region: peer.region,
    credentials: peer.credentials,
    maxAttempts: 1,
  })
  return { client, calls: countAwsCommands(client) }
}

/** Creates the secret, or puts a new AWSCURRENT version of it. Returns the VersionId. */
export async function putSecret(
  admin: SecretsManagerClient,
  name: string,
  value: string | Uint8Array,
): Promise<string> {
  const payload = typeof value === 'string' ? { SecretString: value } : { SecretBinary: value }
  try {
    const out = await admin.send(new PutSecretValueCommand({ SecretId: name, ...payload }))
    return out.VersionId!
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error
    const out = await admin.send(new CreateSecretCommand({ Name: name, ...payload }))
    return out.VersionId!
  }
}

/** Creates or overwrites an SSM parameter. Returns its new Version. */
export async function putParameter(
  admin: SSMClient,
  name: string,
  value: string,
  type: 'String' | 'SecureString' | 'StringList' = 'SecureString',
): Promise<number> {
  const out = await admin.send(
    new PutParameterCommand({ Name: name, Value: value, Type: type, Overwrite: true }),
  )
  return out.Version!
}

/** Polls `condition` every 25 ms, at most `timeoutMs`. */
export async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

export const signal = new AbortController().signal
