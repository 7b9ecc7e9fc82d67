// DESIGN.md §8: framework req/s with the integration ≥ 0.98× the same app without it.
// Two copies of one Nest app (nestjs-server.cjs) run side by side, one taking its webhook key
// from @secretkit/nestjs, one given the key directly. autocannon loads one at a time, in
// alternating order. Each round pairs one run of each back to back; the target is judged on the
// median of the per-round ratios, which cancels drift in machine load better than comparing
// medians of each side (that ratio is in the note). Express and Fastify both. A second check per
// platform bounds the ratio from the in-process cost of the one thing the module adds to each
// request (a `ref.value` read) against the measured request time; it holds on a busy machine too.
// `node nestjs.mjs --nestjs-control` runs the module-less side with the module too (an A/A
// control): its ratio should be 1.0; how far it is off is the machine's noise floor right now.
import { spawn } from 'node:child_process'
import { createHmac } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { median } from './support/stats.mjs'

export const title = 'NestJS req/s with @secretkit/nestjs vs key passed directly'

const TARGET = 0.98
const ROUNDS = 8
const ROUND_SECONDS = 1
const WARMUP_SECONDS = 2
const CONNECTIONS = 16
const STARTUP_LIMIT_MS = 20_000
const KEY = 'bench-fake-webhook-key'
const PAYLOAD = JSON.stringify({ payload: 'order 42 paid' })

const serverScript = fileURLToPath(new URL('./nestjs-server.cjs', import.meta.url))
// autocannon and Nest are dependencies of the sample app; resolve them from there.
const appRequire = createRequire(new URL('../../../apps/nestjs-api/package.json', import.meta.url))
const autocannon = appRequire('autocannon')
const { createSecrets, fileProvider } = appRequire('@secretkit/core')
const { SecretRef } = appRequire('@secretkit/nestjs')
const READS = 2_000_000

/** @param {Record<string, string>} env */
function startServer(env) {
  const child = spawn(process.execPath, [serverScript], {
    env: { ...process.env, ...env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout.setEncoding('utf8').on('data', (chunk) => {
    output += chunk
  })
  child.stderr.setEncoding('utf8').on('data', (chunk) => {
    output += chunk
  })
  const url = new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`bench server did not start:\n${output}`)),
      STARTUP_LIMIT_MS,
    )
    child.stdout.on('data', () => {
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)
      if (match) {
        clearTimeout(timer)
        resolve(match[1])
      }
    })
    child.on('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`bench server exited with ${code}:\n${output}`))
    })
  })
  return { child, url }
}

/** @param {string} url @param {number} seconds */
async function load(url, seconds) {
  const result = await autocannon({
    url: `${url}/webhooks/sign`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: PAYLOAD,
    connections: CONNECTIONS,
    duration: seconds,
  })
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`${url}: ${result.non2xx} non-2xx responses, ${result.errors} errors`)
  }
  return result.requests.average
}

/** @param {string} platform @param {string} secretsDir */
async function measurePlatform(platform, secretsDir) {
  const servers = {
    'with @secretkit/nestjs': startServer({ MODE: 'secretkit', PLATFORM: platform, SECRETS_DIR: secretsDir }),
    'key passed directly': startServer({
      MODE: process.argv.includes('--nestjs-control') ? 'secretkit' : 'direct',
      PLATFORM: platform,
      SECRETS_DIR: secretsDir,
    }),
  }
  try {
    const urls = Object.fromEntries(
      await Promise.all(Object.entries(servers).map(async ([name, server]) => [name, await server.url])),
    )
    const expected = createHmac('sha256', KEY).update('order 42 paid').digest('hex')
    for (const url of Object.values(urls)) {
      const response = await fetch(`${url}/webhooks/sign`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: PAYLOAD,
      })
      const { signature } = /** @type {{ signature?: string }} */ (await response.json())
      if (signature !== expected) throw new Error(`${url} signed with the wrong key`)
    }
    const names = Object.keys(urls)
    for (const name of names) await load(urls[name], WARMUP_SECONDS)
    /** @type {Record<string, number[]>} */
    const rounds = Object.fromEntries(names.map((name) => [name, []]))
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? names : [...names].reverse()
      for (const name of order) rounds[name].push(await load(urls[name], ROUND_SECONDS))
    }
    return rounds
  } finally {
    for (const server of Object.values(servers)) server.child.kill('SIGTERM')
  }
}

/**
 * What the module adds to a request's hot path is one `ref.value` read. Timed in-process, the
 * extra nanoseconds over reading a plain string are independent of the HTTP noise above.
 * @param {string} secretsDir
 */
async function refReadOverheadNs(secretsDir) {
  const store = createSecrets({
    providers: { file: fileProvider({ dir: secretsDir }) },
    secrets: { webhookKey: 'file://webhook-key.txt' },
  })
  await store.load()
  const ref = new SecretRef(store, 'webhookKey')
  const direct = { key: KEY }
  const time = (/** @type {() => string} */ read) => {
    let sink = 0
    const started = process.hrtime.bigint()
    for (let i = 0; i < READS; i++) sink = (sink + read().length) & 0xffff
    const ns = Number(process.hrtime.bigint() - started) / READS
    return sink === -1 ? 0 : ns
  }
  const samples = []
  for (let round = 0; round < 5; round++) samples.push(time(() => ref.value) - time(() => direct.key))
  await store.close()
  return Math.max(0, median(samples))
}

export async function run() {
  const dir = await mkdtemp(join(tmpdir(), 'secretkit-bench-nestjs-'))
  await writeFile(join(dir, 'webhook-key.txt'), `${KEY}\n`)
  const rows = []
  const checks = []
  try {
    const overheadNs = await refReadOverheadNs(dir)
    for (const platform of ['express', 'fastify']) {
      const rounds = await measurePlatform(platform, dir)
      const medians = Object.fromEntries(
        Object.entries(rounds).map(([name, values]) => [name, median(values)]),
      )
      for (const [name, values] of Object.entries(rounds)) {
        rows.push({
          platform,
          case: name,
          'req/s': Math.round(medians[name]),
          rounds: values.map((value) => Math.round(value)).join(' / '),
        })
      }
      const withModule = rounds['with @secretkit/nestjs']
      const direct = rounds['key passed directly']
      const ratio = median(withModule.map((value, round) => value / direct[round]))
      const ofMedians = medians['with @secretkit/nestjs'] / medians['key passed directly']
      const value = Math.round(ratio * 1000) / 1000
      checks.push({
        name: `${platform} req/s with @secretkit/nestjs / without`,
        value,
        measured: `${value.toFixed(3)}×`,
        target: `>= ${TARGET}`,
        pass: ratio >= TARGET,
        note: `median of ${ROUNDS} paired ${ROUND_SECONDS} s rounds (${CONNECTIONS} connections); ratio of medians ${ofMedians.toFixed(3)}×`,
      })
      const requestNs = 1e9 / medians['key passed directly']
      const bound = 1 - overheadNs / requestNs
      checks.push({
        name: `${platform} req/s bound from the ref.value cost per request`,
        value: Math.round(bound * 10000) / 10000,
        measured: `${bound.toFixed(4)}×`,
        target: `>= ${TARGET}`,
        pass: bound >= TARGET,
        note: `ref.value costs ${overheadNs.toFixed(1)} ns more than a plain string; a request takes ${Math.round(requestNs / 1000)} µs`,
      })
    }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
  return { title, rows, checks }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { rows, checks } = await run()
  console.log(title)
  console.table(rows)
  console.table(checks)
}
