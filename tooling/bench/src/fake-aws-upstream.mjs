// A local stand-in for AWS Secrets Manager: a node:http server on 127.0.0.1 that speaks the
// AWS JSON 1.1 protocol for `secretsmanager.GetSecretValue` and counts every request, so a
// benchmark can compare how often each client goes upstream. Both secretkit (through
// `fakeAwsProvider`) and Powertools (through the real AWS SDK) talk to the same server.
import { createServer } from 'node:http'
import { ProviderUnavailableError, SecretAccessDeniedError, SecretNotFoundError } from '@secretkit/core'

const JSON_11 = 'application/x-amz-json-1.1'
const ACCOUNT = '000000000000'

/**
 * @typedef {object} FakeAwsUpstream
 * @property {string} url Endpoint, e.g. `http://127.0.0.1:41234`.
 * @property {{ total: number, getSecretValue: number }} requests Requests received so far.
 * @property {(name: string, value: string) => void} set Creates or rotates a secret (new VersionId).
 * @property {() => Promise<void>} close Stops the server and drops its connections.
 */

/**
 * Starts the fake upstream on a free loopback port.
 *
 * @param {{ secrets?: Record<string, string> }} [options] Initial secrets by name.
 * @returns {Promise<FakeAwsUpstream>}
 */
export async function startFakeAwsUpstream(options = {}) {
  /** @type {Map<string, { value: string, versionId: string, createdDate: number }>} */
  const store = new Map()
  let versions = 0
  /** @param {string} name @param {string} value */
  const set = (name, value) => {
    versions++
    store.set(name, {
      value,
      versionId: `00000000-0000-4000-8000-${String(versions).padStart(12, '0')}`,
      createdDate: Date.now() / 1000,
    })
  }
  for (const [name, value] of Object.entries(options.secrets ?? {})) set(name, value)

  const requests = { total: 0, getSecretValue: 0 }
  const server = createServer((request, response) => {
    requests.total++
    /** @type {Buffer[]} */
    const chunks = []
    request.on('data', (chunk) => chunks.push(chunk))
    request.on('end', () => {
      /** @param {number} status @param {unknown} body */
      const reply = (status, body) => {
        const text = JSON.stringify(body)
        response.writeHead(status, { 'content-type': JSON_11, 'content-length': Buffer.byteLength(text) })
        response.end(text)
      }
      /** @param {string} type @param {string} message */
      const fail = (type, message) => reply(400, { __type: type, message })
      const target = request.headers['x-amz-target']
      if (request.method !== 'POST' || target !== 'secretsmanager.GetSecretValue') {
        fail('UnknownOperationException', `unsupported operation ${String(target)}`)
        return
      }
      requests.getSecretValue++
      /** @type {{ SecretId?: unknown }} */
      let body
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'))
      } catch {
        fail('SerializationException', 'body is not JSON')
        return
      }
      const secretId = typeof body.SecretId === 'string' ? body.SecretId : ''
      const name = secretId.startsWith('arn:') ? (secretId.split(':')[6] ?? '') : secretId
      const secret = store.get(name)
      if (secret === undefined) {
        fail('ResourceNotFoundException', "Secrets Manager can't find the specified secret.")
        return
      }
      reply(200, {
        ARN: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:${name}-AbCdEf`,
        Name: name,
        VersionId: secret.versionId,
        SecretString: secret.value,
        VersionStages: ['AWSCURRENT'],
        CreatedDate: secret.createdDate,
      })
    })
  })
  // Powertools sends up to 50 requests at once per client; don't let a backlog cap hide that.
  server.maxConnections = 10_000
  await new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve(undefined))
  })
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('fake AWS upstream has no port')
  return {
    url: `http://127.0.0.1:${address.port}`,
    requests,
    set,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve(undefined))
      }),
  }
}

/**
 * A minimal secretkit provider for the fake upstream: one `fetch` per `get`, no SDK, no
 * signing. It shows what secretkit's cache costs over the same upstream Powertools uses.
 *
 * @param {string} url Endpoint of {@link startFakeAwsUpstream}.
 * @returns {import('@secretkit/core').SecretProvider}
 */
export function fakeAwsProvider(url) {
  const name = 'aws'
  return {
    name,
    async get({ path }, { signal }) {
      let response
      try {
        response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': JSON_11, 'x-amz-target': 'secretsmanager.GetSecretValue' },
          body: JSON.stringify({ SecretId: path }),
          signal,
        })
      } catch {
        throw new ProviderUnavailableError('network error reaching the fake AWS upstream', { provider: name })
      }
      const body = /** @type {Record<string, unknown>} */ (await response.json())
      if (response.ok) {
        return { value: String(body.SecretString), version: String(body.VersionId) }
      }
      const type = String(body.__type ?? '')
      if (type.endsWith('ResourceNotFoundException')) {
        throw new SecretNotFoundError(`no secret "${path}" upstream`, { provider: name })
      }
      if (type.endsWith('AccessDeniedException')) {
        throw new SecretAccessDeniedError(`access to "${path}" denied`, { provider: name })
      }
      throw new ProviderUnavailableError(`upstream answered ${response.status} ${type}`, {
        provider: name,
        retryable: response.status >= 500 || type.includes('Throttling'),
      })
    },
  }
}
