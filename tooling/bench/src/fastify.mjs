// Fastify group: requests/s of apps/fastify-api's POST /webhooks/sign with @secretkit/fastify
// vs the same routes with the key passed in directly. Both variants run in one child process
// on two loopback ports; autocannon drives one at a time from this process, in
// alternating rounds. The ratio is the median of the per-round ratios: each round's two runs
// are adjacent in time, so load from elsewhere on a shared machine hits both alike. Needs `pnpm turbo run build
// --filter=@secretkit/fastify-api...` first (`pnpm bench` builds).
import { spawn } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { fileURLToPath, pathToFileURL } from 'node:url'

const APP_ENTRY = new URL('../../../apps/fastify-api/dist/app.js', import.meta.url).href
const requireFromBench = createRequire(import.meta.url)

const ROUNDS = 12
const DURATION_S = 1
const WARMUP_S = 1
const CONNECTIONS = 10
const TARGET_RATIO = 0.98
const PAYLOAD = JSON.stringify({ event: 'order.paid', id: 42, amount: 1999, currency: 'EUR' })

const VARIANTS = {
  secretkit: 'fastify + @secretkit/fastify',
  bare: 'fastify, key passed in',
}

/**
 * Server side: both variants in one child process on two loopback ports. One process keeps
 * JIT, GC and CPU placement alike for both; only one variant is under load at a time, so the
 * process's CPU time during a run belongs to that variant.
 */
async function serve() {
  const { buildApp, buildBareApp, DEFAULT_SECRETS_DIR } = await import(APP_ENTRY)
  const key = (await readFile(`${DEFAULT_SECRETS_DIR}/webhook-key.txt`, 'utf8')).trim()
  const apps = { secretkit: await buildApp({ logger: false }), bare: buildBareApp(key) }
  for (const [variant, app] of Object.entries(apps)) {
    process.stdout.write(`${variant}=${await app.listen({ port: 0, host: '127.0.0.1' })}\n`)
  }
  process.on('message', () => process.send(process.cpuUsage()))
  process.once('SIGTERM', () =>
    Promise.all(Object.values(apps).map((app) => app.close())).then(() => process.exit(0)),
  )
}

function startServers() {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), '--serve'], {
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  })
  return new Promise((resolve, reject) => {
    let output = ''
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error('bench server did not start within 20 s'))
    }, 20_000)
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      output += chunk
      const urls = Object.fromEntries(
        [...output.matchAll(/(\w+)=(http:\/\/127\.0\.0\.1:\d+)/g)].map(([, variant, url]) => [variant, url]),
      )
      if (urls.secretkit === undefined || urls.bare === undefined) return
      clearTimeout(timer)
      resolve({ secretkit: { url: urls.secretkit, child }, bare: { url: urls.bare, child } })
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`bench server exited with ${code}`))
    })
  })
}

/** The server's CPU time so far (user + system), in seconds. */
function serverCpuSeconds({ child }) {
  return new Promise((resolve) => {
    child.once('message', ({ user, system }) => resolve((user + system) / 1e6))
    child.send('cpu')
  })
}

function stopServer({ child }) {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve()
    child.once('exit', () => resolve())
    child.kill('SIGTERM')
  })
}

/** Runs autocannon against one server: requests/s, and requests per second of server CPU. */
async function load(server, duration) {
  const autocannon = requireFromBench('autocannon')
  const cpuBefore = await serverCpuSeconds(server)
  const result = await autocannon({
    url: `${server.url}/webhooks/sign`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: PAYLOAD,
    connections: CONNECTIONS,
    duration,
  })
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`${server.url}: ${result.non2xx} non-2xx responses, ${result.errors} errors`)
  }
  const cpu = (await serverCpuSeconds(server)) - cpuBefore
  return { rps: result.requests.average, perCpuSecond: result.requests.total / cpu }
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]

export const title = 'Fastify: sign route req/s with @secretkit/fastify vs without'

export async function run() {
  const servers = await startServers()
  const samples = { secretkit: [], bare: [] }
  try {
    for (const variant of Object.keys(servers)) await load(servers[variant], WARMUP_S)
    for (let round = 0; round < ROUNDS; round++) {
      // Alternate which variant goes first so drift on a shared machine hits both alike.
      const order = round % 2 === 0 ? ['secretkit', 'bare'] : ['bare', 'secretkit']
      for (const variant of order) samples[variant].push(await load(servers[variant], DURATION_S))
    }
  } finally {
    await stopServer(servers.bare)
  }
  const pairRatio = (metric) =>
    median(samples.secretkit.map((sample, round) => sample[metric] / samples.bare[round][metric]))
  const ratio = pairRatio('rps')
  const cpuRatio = pairRatio('perCpuSecond')
  const row = (variant) => ({
    case: VARIANTS[variant],
    'req/s': Math.round(median(samples[variant].map((sample) => sample.rps))),
    'req per server CPU-s': Math.round(median(samples[variant].map((sample) => sample.perCpuSecond))),
    'req/s by round': samples[variant].map((sample) => Math.round(sample.rps)).join(' '),
  })
  return {
    title: `Fastify: POST /webhooks/sign, ${CONNECTIONS} connections, ${ROUNDS} alternating rounds of ${DURATION_S} s`,
    rows: [row('secretkit'), row('bare')],
    checks: [
      {
        name: 'fastify req/s ratio',
        value: Number(ratio.toFixed(3)),
        target: `>= ${TARGET_RATIO}`,
        pass: ratio >= TARGET_RATIO,
      },
      {
        // Less sensitive to other load on a shared machine than wall-clock throughput.
        name: 'fastify req per server CPU-second ratio',
        value: Number(cpuRatio.toFixed(3)),
        target: `>= ${TARGET_RATIO}`,
        pass: cpuRatio >= TARGET_RATIO,
      },
    ],
  }
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href
if (isMain && process.argv[2] === '--serve') {
  await serve()
} else if (isMain) {
  const { title, rows, checks } = await run()
  console.log(title)
  console.table(rows)
  console.table(checks)
}
