// The AWS JSON 1.1 operations the fault stub answers, as pure functions over in-memory state.

export interface StubSecret {
  value: string
  versionId: string
  createdDate: number
}
export interface StubParameter {
  value: string
  type: 'String' | 'SecureString' | 'StringList'
  version: number
  lastModifiedDate: number
}
export interface AwsStubState {
  secrets: Map<string, StubSecret>
  parameters: Map<string, StubParameter>
}

/** Becomes a 400 with `__type: type`, the way AWS reports modelled errors. */
export class AwsStubError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message)
  }
}

type Input = Record<string, unknown>
const ACCOUNT = '123456789012'
const REGION = 'us-east-1'

const secretArn = (name: string) => `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${name}-AbCdEf`
const parameterArn = (name: string) =>
  `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter${name.startsWith('/') ? '' : '/'}${name}`

function findSecret(state: AwsStubState, id: string): [string, StubSecret] | undefined {
  for (const [name, secret] of state.secrets) if (id === name || id === secretArn(name)) return [name, secret]
  return undefined
}

function secretValue(state: AwsStubState, secretId: string, versionId?: unknown) {
  const found = findSecret(state, secretId)
  if (!found || (versionId !== undefined && versionId !== found[1].versionId)) {
    throw new AwsStubError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.")
  }
  const [name, secret] = found
  return {
    ARN: secretArn(name),
    Name: name,
    VersionId: secret.versionId,
    SecretString: secret.value,
    VersionStages: ['AWSCURRENT'],
    CreatedDate: secret.createdDate,
  }
}

function parameter(name: string, p: StubParameter) {
  return {
    Name: name,
    Type: p.type,
    Value: p.value,
    Version: p.version,
    LastModifiedDate: p.lastModifiedDate,
    ARN: parameterArn(name),
    DataType: 'text',
  }
}

function stringList(input: Input, key: string, max: number): string[] {
  const list = input[key]
  if (!Array.isArray(list) || list.length === 0)
    throw new AwsStubError('ValidationException', `${key} is required`)
  if (list.length > max) {
    throw new AwsStubError('ValidationException', `${key} must have length less than or equal to ${max}`)
  }
  return list.map(String)
}

export const awsJsonOperations: Record<string, (state: AwsStubState, input: Input) => unknown> = {
  'secretsmanager.GetSecretValue': (state, input) =>
    secretValue(state, String(input.SecretId), input.VersionId),

  'secretsmanager.BatchGetSecretValue': (state, input) => {
    if (input.Filters) throw new AwsStubError('ValidationException', 'The stub supports SecretIdList only')
    const SecretValues: unknown[] = []
    const Errors: unknown[] = []
    for (const id of stringList(input, 'SecretIdList', 20)) {
      try {
        SecretValues.push(secretValue(state, id))
      } catch (error) {
        if (!(error instanceof AwsStubError)) throw error
        Errors.push({ SecretId: id, ErrorCode: error.type, Message: error.message })
      }
    }
    return { SecretValues, Errors }
  },

  'AmazonSSM.GetParameter': (state, input) => {
    const name = String(input.Name)
    const found = state.parameters.get(name)
    if (!found) throw new AwsStubError('ParameterNotFound', `Parameter ${name} not found.`)
    return { Parameter: parameter(name, found) }
  },

  'AmazonSSM.GetParameters': (state, input) => {
    const Parameters: unknown[] = []
    const InvalidParameters: string[] = []
    for (const name of stringList(input, 'Names', 10)) {
      const found = state.parameters.get(name)
      if (found) Parameters.push(parameter(name, found))
      else InvalidParameters.push(name)
    }
    return { Parameters, InvalidParameters }
  },

  'AmazonSSM.GetParametersByPath': (state, input) => {
    const path = String(input.Path ?? '')
    if (!path.startsWith('/')) throw new AwsStubError('ValidationException', 'Path must start with /')
    const prefix = path.endsWith('/') ? path : `${path}/`
    const maxResults = Math.min(Number(input.MaxResults ?? 10), 10)
    const matches = [...state.parameters.keys()]
      .filter(
        (name) =>
          name.startsWith(prefix) && (input.Recursive === true || !name.slice(prefix.length).includes('/')),
      )
      .sort()
    const start = input.NextToken ? Number(input.NextToken) : 0
    const page = matches.slice(start, start + maxResults)
    const next = start + maxResults < matches.length ? String(start + maxResults) : undefined
    return {
      Parameters: page.map((name) => parameter(name, state.parameters.get(name)!)),
      ...(next ? { NextToken: next } : {}),
    }
  },
}
