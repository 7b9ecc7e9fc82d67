// Shared by the framework groups: requests/s of one route served by a sample app with its
// secretkit integration vs the same app without it, measured with autocannon on loopback in
// one run: interleaved rounds (one measurement of each per round, order alternating); the
// req/s ratio is the median of the per-round ratios, which cancels drift better than a ratio
// of medians. Servers run in child processes so the load generator (this process) and the
// server each get a core. The server's CPU time per request (from /proc) is reported too: on a
// machine shared with other work it is far steadier than wall-clock req/s.
import { spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { median } from './stats.mjs'

const WEBHOOK_KEY = 'bench-webhook-key-not-a-secret-0123456789'

/**
 * @param {{
 *   name: string, appDir: string,
 *   request: { method: string, path: string, body?: string, headers?: Record<string, string> },
 *   duration?: number, repeats?: number, connections?: number,
 * }} options  duration in seconds per measurement; repeats per case
 */
export async function measureIntegrationRatio({
  name,
  appDir,
  request,
  duration = 2,
  repeats = 9,
  connections = 10,
}) {
  for (const entry of ['dist/main.js', 'dist/baseline-main.js']) {
    if (!existsSync(join(appDir, entry))) {
      throw new Error(
        `${join(appDir, entry)} is missing: build first (pnpm turbo run build --filter=${name}...)`,
      )
    }
  }
  // autocannon is a devDependency of the sample apps; resolve it from there.
  const autocannon = createRequire(join(appDir, 'package.json'))('autocannon')

  const secretsDir = await mkdtemp(join(tmpdir(), 'secretkit-bench-'))
  await writeFile(join(secretsDir, 'webhook-key.txt'), `${WEBHOOK_KEY}\n`)
  await writeFile(join(secretsDir, 'admin.env'), 'ADMIN_TOKEN=bench-admin-token-not-a-secret\n')
  const servers = []
  try {
    const cases = [
      {
        label: `${name} + secretkit`,
        server: await startServer(appDir, 'dist/main.js', { SECRETS_DIR: secretsDir }),
      },
      {
        label: `${name}, key passed directly`,
        server: await startServer(appDir, 'dist/baseline-main.js', { WEBHOOK_KEY }),
      },
    ]
    servers.push(...cases.map((entry) => entry.server))
    const run = (url, seconds) =>
      new Promise((resolve, reject) => {
        autocannon(
          {
            url: url + request.path,
            method: request.method,
            body: request.body,
            headers: request.headers,
            connections,
            duration: seconds,
          },
          (error, result) => (error ? reject(error) : resolve(result)),
        )
      })
    for (const { server } of cases) await run(server.url, 1) // warm up (JIT, connection pools)
    const samples = cases.map(() => [])
    // Server CPU time per request: unlike req/s it hardly moves when neighbours load the machine.
    const cpu = cases.map(() => ({ ticks: 0, requests: 0 }))
    for (let round = 0; round < repeats; round++) {
      // Alternate who goes first so drift (thermal, neighbours) does not favour one side.
      const order = round % 2 === 0 ? [0, 1] : [1, 0]
      for (const index of order) {
        const { server, label } = cases[index]
        const before = cpuTicks(server.pid)
        const result = await run(server.url, duration)
        const after = cpuTicks(server.pid)
        if (result.errors > 0 || result.non2xx > 0) {
          throw new Error(`${label}: ${result.errors} errors, ${result.non2xx} non-2xx responses`)
        }
        samples[index].push(result.requests.average)
        if (before !== undefined && after !== undefined) {
          cpu[index].ticks += after - before
          cpu[index].requests += result.requests.total
        }
      }
    }
    const medians = samples.map(median)
    const ratio = median(samples[0].map((withIt, round) => withIt / samples[1][round]))
    const cpuPerRequest = cpu.map(({ ticks, requests }) =>
      requests > 0 ? (ticks * 1e6) / TICKS_PER_SECOND / requests : Number.NaN,
    )
    const cpuRatio = cpuPerRequest[1] / cpuPerRequest[0]
    const checks = [
      {
        name: `${name} req/s ratio (with / without secretkit)`,
        value: Number(ratio.toFixed(3)),
        target: '>= 0.98',
        pass: ratio >= 0.98,
      },
    ]
    if (Number.isFinite(cpuRatio)) {
      checks.push({
        name: `${name} requests per server CPU-second ratio (with / without secretkit)`,
        value: Number(cpuRatio.toFixed(3)),
        target: '>= 0.98',
        pass: cpuRatio >= 0.98,
      })
    }
    return {
      rows: cases.map(({ label }, index) => ({
        case: label,
        'req/s (median)': Math.round(medians[index]),
        'server CPU µs/req': Number.isFinite(cpuPerRequest[index])
          ? Number(cpuPerRequest[index].toFixed(1))
          : 'n/a',
        'req/s per round': samples[index].map(Math.round).join(' '),
      })),
      checks,
      settings: { duration, repeats, connections },
    }
  } finally {
    await Promise.all(servers.map((server) => server.stop()))
    await rm(secretsDir, { recursive: true, force: true })
  }
}

/** Linux USER_HZ, the unit of /proc/<pid>/stat times. */
const TICKS_PER_SECOND = 100

/** User + system CPU time of a process in clock ticks, or undefined where /proc is not available. */
function cpuTicks(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return Number(fields[11]) + Number(fields[12]) // utime, stime: fields 14 and 15 of the line
  } catch {
    return undefined
  }
}

/** Starts `node <entry>` on a free loopback port and resolves once it prints "listening on <url>". */
function startServer(appDir, entry, env) {
  const child = spawn(process.execPath, [join(appDir, entry)], {
    env: { PATH: process.env.PATH, NODE_ENV: 'production', PORT: '0', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const exited = new Promise((resolve) => child.on('close', resolve))
  let output = ''
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${entry} did not start within 20s:\n${output}`)), 20_000)
    const onData = (chunk) => {
      output += chunk
      const match = /listening on (http:\/\/\S+)\r?\n/.exec(output)
      if (!match) return
      clearTimeout(timer)
      resolve({
        url: match[1],
        pid: child.pid,
        async stop() {
          if (child.exitCode === null) child.kill('SIGTERM')
          const force = setTimeout(() => child.kill('SIGKILL'), 5_000)
          await exited
          clearTimeout(force)
        },
      })
    }
    child.stdout.on('data', onData)
    child.stderr.on('data', onData)
    exited.then((code) => reject(new Error(`${entry} exited with ${code} before listening:\n${output}`)))
  })
}
