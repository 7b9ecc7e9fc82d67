// Process start-up cost of the preload hook: `node -e 0` against `node --import
// @secretkit/preload -e 0` with an env/file config, runs interleaved; the target is checked
// on the median of each round's ratio to bare node, which a machine's drift moves least.
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { median } from './support/stats.mjs'

export const title = 'preload hook start-up vs bare node'
const RUNS = Number(process.env.PRELOAD_BENCH_RUNS ?? 60)
const hook = fileURLToPath(new URL('../../../packages/preload/dist/index.js', import.meta.url))

/**
 * @param {string[]} args
 * @param {string} cwd
 * @param {Record<string, string>} env
 */
function timeOnce(args, cwd, env) {
  const start = process.hrtime.bigint()
  execFileSync(process.execPath, args, { cwd, env, stdio: 'ignore' })
  return Number(process.hrtime.bigint() - start) / 1e6
}

export async function run() {
  const dir = mkdtempSync(join(tmpdir(), 'secretkit-bench-preload-'))
  try {
    mkdirSync(join(dir, 'secrets'))
    writeFileSync(join(dir, 'secrets/db.env'), 'DB_PASSWORD=bench-not-a-secret\n')
    // The floor of any `--import` hook: Node's ES module loader starts for it.
    writeFileSync(join(dir, 'empty.mjs'), '')
    writeFileSync(
      join(dir, 'secretkit.config.json'),
      JSON.stringify({ providers: { env: { type: 'env' }, file: { type: 'file', dir: './secrets' } } }),
    )
    const base = { PATH: process.env.PATH ?? '' }
    // A file reference and an env reference, both answered at once.
    const references = {
      ...base,
      DB_PASSWORD: 'file://db.env#DB_PASSWORD',
      DB_USER: 'env://USER_NAME',
      USER_NAME: 'app',
    }
    const cases = [
      { case: 'node -e 0', args: ['-e', '0'], env: base },
      {
        case: 'preload, env/file config, no references',
        args: ['--import', hook, '-e', '0'],
        env: { ...base, DATABASE_URL: 'postgres://db.internal/app' },
      },
      {
        case: 'preload, env/file config, 2 references resolved',
        args: ['--import', hook, '-e', '0'],
        env: references,
      },
      {
        case: 'node --import <an empty module> -e 0 (any hook pays this)',
        args: ['--import', './empty.mjs', '-e', '0'],
        env: base,
      },
      {
        case: 'preload, 2 references, code cache off (a first start)',
        args: ['--import', hook, '-e', '0'],
        env: { ...references, SECRETKIT_CODE_CACHE: 'off' },
      },
    ]
    // Warms the file system cache, and writes the hook's code cache as a first start would.
    for (const each of cases) timeOnce(each.args, dir, each.env)
    /** @type {number[][]} */
    const times = cases.map(() => [])
    /** @type {number[][]} each case's time over bare node's in the same round */
    const ratios = cases.map(() => [])
    for (let round = 0; round < RUNS; round++) {
      // Order rotates each round, so that no case always follows another.
      const order = cases.map((_, index) => (index + round) % cases.length)
      const lap = cases.map(() => 0)
      for (const index of order) {
        const each = cases[index]
        if (each) lap[index] = timeOnce(each.args, dir, each.env)
      }
      for (const [index, time] of lap.entries()) {
        times[index]?.push(time)
        ratios[index]?.push(time / (lap[0] ?? 1))
      }
    }
    const medians = times.map(median)
    const pairedRatios = ratios.map(median)
    const rows = cases.map((each, index) => ({
      case: each.case,
      'median ms': Number((medians[index] ?? 0).toFixed(1)),
      'ratio of medians': Number(((medians[index] ?? 0) / (medians[0] ?? 1)).toFixed(3)),
      'median ratio per round': Number((pairedRatios[index] ?? 0).toFixed(3)),
      runs: RUNS,
    }))
    const idle = pairedRatios[1] ?? 0
    const resolving = pairedRatios[2] ?? 0
    return {
      title: 'preload: process start-up (node -e 0)',
      rows,
      checks: [
        {
          name: 'preload start ratio, env/file config, nothing to resolve',
          value: Number(idle.toFixed(3)),
          target: '<= 1.10',
          pass: idle <= 1.1,
        },
        {
          name: 'preload start ratio, env/file config, resolving 2 references',
          value: Number(resolving.toFixed(3)),
          target: '<= 1.10',
          pass: resolving <= 1.1,
        },
      ],
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { title, rows, checks } = await run()
  console.log(title)
  console.table(rows)
  console.table(checks)
}
