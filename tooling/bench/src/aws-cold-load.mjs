// Cold load of 100 Secrets Manager secrets from a local moto server: secretkit's batched
// `load()` against AWS Lambda Powertools' `getSecret` one by one, through the same SDK, with the
// upstream calls counted at the HTTP level (a counting proxy in front of moto) and wall time.
import { spawn } from 'node:child_process'
import { accessSync, constants } from 'node:fs'
import { createServer, request as httpRequest } from 'node:http'
import { createServer as createNetServer } from 'node:net'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath, pathToFileURL } from 'node:url'

export const title = 'AWS cold load of 100 secrets from moto: secretkit load() vs Powertools getSecret'

const SECRETS = 100
const ROUNDS = 5
const toolsDir = process.env.SECRETKIT_TOOLS_DIR ?? fileURLToPath(new URL('../../../.tools', import.meta.url))
const motoServerBin = join(toolsDir, 'py/bin/moto_server')
const credentials = { accessKeyId: 'bench', secretAccessKey: 'bench' }
const region = 'us-east-1'

/** @returns {Promise<number>} */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createNetServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
    })
  })
}

/** Starts moto_server on a free loopback port and waits (bounded) until it answers. */
async function startMoto() {
  const port = await freePort()
  const child = spawn(motoServerBin, ['-H', '127.0.0.1', '-p', String(port)], {
    stdio: 'ignore',
    env: { ...process.env, AWS_ACCESS_KEY_ID: 'bench', AWS_SECRET_ACCESS_KEY: 'bench' },
  })
  const endpoint = `http://127.0.0.1:${port}`
  for (let attempt = 0; attempt < 200; attempt++) {
    try {
      const response = await fetch(`${endpoint}/moto-api/`)
      await response.body?.cancel()
      if (response.ok) return { endpoint, stop: () => child.kill('SIGTERM') }
    } catch {
      // not listening yet
    }
    await sleep(50)
  }
  child.kill('SIGKILL')
  throw new Error('moto_server did not become healthy within 10 s')
}

/**
 * A pass-through proxy to `target` that counts requests per `X-Amz-Target` operation.
 *
 * @param {string} target
 */
async function startCountingProxy(target) {
  /** @type {Map<string, number>} */
  const counts = new Map()
  const upstream = new URL(target)
  const server = createServer((incoming, outgoing) => {
    const operation = String(incoming.headers['x-amz-target'] ?? 'other').replace(/^.*\./, '')
    counts.set(operation, (counts.get(operation) ?? 0) + 1)
    const forward = httpRequest(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: incoming.method,
        path: incoming.url,
        headers: incoming.headers,
      },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(outgoing)
      },
    )
    forward.on('error', () => outgoing.destroy())
    incoming.pipe(forward)
  })
  server.keepAliveTimeout = 5_000
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)))
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  return {
    endpoint: `http://127.0.0.1:${port}`,
    counts,
    total: () => [...counts.values()].reduce((sum, count) => sum + count, 0),
    reset: () => counts.clear(),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve(undefined))
      }),
  }
}

/** @param {number[]} values */
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN

export async function run() {
  try {
    accessSync(motoServerBin, constants.X_OK)
  } catch {
    const reason = `moto_server not installed at ${motoServerBin}: run tooling/test-servers/install.sh`
    return { title, rows: [{ case: 'skipped', reason }], checks: [] }
  }
  const { CreateSecretCommand, SecretsManagerClient } = await import('@aws-sdk/client-secrets-manager')
  const { createSecrets } = await import('@secretkit/core')
  const { awsSecretsManager } = await import('@secretkit/core/aws')

  const moto = await startMoto()
  const proxy = await startCountingProxy(moto.endpoint)
  try {
    const admin = new SecretsManagerClient({ endpoint: moto.endpoint, region, credentials })
    /** @type {string[]} */
    const names = []
    for (let i = 0; i < SECRETS; i++) {
      const name = `bench/cold/secret-${String(i).padStart(3, '0')}`
      names.push(name)
      await admin.send(new CreateSecretCommand({ Name: name, SecretString: `bench-value-${i}` }))
    }
    admin.destroy()

    // Powertools' own provider with an explicit client: its module-level default client may
    // already point at another group's upstream. getSecret() is this provider's get().
    const { SecretsProvider } = await import('@aws-lambda-powertools/parameters/secrets')
    const powertools = new SecretsProvider({
      clientConfig: { endpoint: proxy.endpoint, region, credentials },
    })
    const getSecret = (name, options) => powertools.get(name, options)

    const declared = Object.fromEntries(names.map((name, i) => [`secret${i}`, `aws://${name}`]))
    const cases = {
      'secretkit load() (BatchGetSecretValue)': async () => {
        // A new store per round: every round is a cold load.
        const store = createSecrets({
          providers: { aws: awsSecretsManager({ endpoint: proxy.endpoint, region, credentials }) },
          secrets: declared,
        })
        await store.load()
        const ok = store.get('secret99') === 'bench-value-99'
        await store.close()
        return ok
      },
      'Powertools getSecret one by one': async () => {
        let last
        for (const name of names) last = await getSecret(name, { forceFetch: true })
        return last === 'bench-value-99'
      },
      'Powertools getSecret, all at once (Promise.all)': async () => {
        const values = await Promise.all(names.map((name) => getSecret(name, { forceFetch: true })))
        return values[99] === 'bench-value-99'
      },
    }

    /** @type {Record<keyof typeof cases, { calls: number, ms: number }>} */
    const measured = /** @type {any} */ ({})
    for (const [label, load] of /** @type {[keyof typeof cases, () => Promise<boolean>][]} */ (
      Object.entries(cases)
    )) {
      if (!(await load())) throw new Error(`${label}: warm-up read the wrong value`)
      const times = []
      let calls = 0
      for (let round = 0; round < ROUNDS; round++) {
        proxy.reset()
        const started = performance.now()
        if (!(await load())) throw new Error(`${label}: read the wrong value`)
        times.push(performance.now() - started)
        calls = proxy.total()
      }
      measured[label] = { calls, ms: median(times) }
    }

    const secretkit = measured['secretkit load() (BatchGetSecretValue)']
    const oneByOne = measured['Powertools getSecret one by one']
    const rows = Object.entries(measured).map(([label, { calls, ms }]) => ({
      case: label,
      'upstream calls': calls,
      'wall ms (median of 5)': ms.toFixed(1),
      'vs secretkit': (ms / secretkit.ms).toFixed(2),
    }))
    const expectedCalls = Math.ceil(SECRETS / 20)
    const ratio = secretkit.ms / oneByOne.ms
    const checks = [
      {
        name: `upstream calls for a cold load() of ${SECRETS} AWS secrets`,
        value: secretkit.calls,
        measured: String(secretkit.calls),
        target: `= ${expectedCalls}`,
        pass: secretkit.calls === expectedCalls,
      },
      {
        name: 'cold load wall time, secretkit / Powertools one by one',
        value: Number(ratio.toFixed(3)),
        measured: ratio.toFixed(3),
        target: '< 1',
        pass: ratio < 1,
      },
    ]
    return { title, rows, checks }
  } finally {
    await proxy.close()
    moto.stop()
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { rows, checks } = await run()
  console.log(`## ${title}\n`)
  console.table(rows)
  console.table(checks.map(({ measured: _measured, ...check }) => check))
}
