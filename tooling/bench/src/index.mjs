// Runs every benchmark group in one process, prints each group's table, then a summary of
// the DESIGN.md §8 targets with PASS/FAIL. Exits 0 when targets fail (benchmarks report,
// they don't gate); exits 1 only when a group itself crashes.
//
// To add a group: write src/<name>.mjs exporting `title` and `run(context)` (see the Group
// typedef in report.mjs) and append it to GROUPS below.
import { cpus } from 'node:os'
import * as awsColdLoad from './aws-cold-load.mjs'
import * as batchedLoad from './batched-load.mjs'
import * as cachedGet from './cached-get.mjs'
import * as cachedResolve from './cached-resolve.mjs'
import * as cloud from './cloud.mjs'
import * as coldReads from './cold-reads.mjs'
import * as express from './express.mjs'
import { startFakeAwsUpstream } from './fake-aws-upstream.mjs'
import * as fastify from './fastify.mjs'
import * as nestjs from './nestjs.mjs'
import * as preload from './preload.mjs'
import { formatTable } from './report.mjs'
import * as trpc from './trpc.mjs'

/** @type {import('./report.mjs').Group[]} */
const GROUPS = [
  cachedGet,
  cachedResolve,
  coldReads,
  batchedLoad,
  awsColdLoad,
  cloud,
  preload,
  fastify,
  express,
  trpc,
  nestjs,
]

/** @type {Promise<import('./fake-aws-upstream.mjs').FakeAwsUpstream> | undefined} */
let upstream
/** @type {import('./report.mjs').BenchContext} */
const context = {
  upstream: () => {
    upstream ??= startFakeAwsUpstream()
    return upstream
  },
}

const only = process.argv.slice(2)
const selected =
  only.length === 0 ? GROUPS : GROUPS.filter((group) => only.some((word) => group.title.includes(word)))

console.log(
  `secretkit bench — Node ${process.version}, ${cpus().length} CPUs, ${process.platform}/${process.arch}`,
)
const started = performance.now()
/** @type {{ group: string, check: import('./report.mjs').Check }[]} */
const results = []
let crashed = false
for (const group of selected) {
  console.log(`\n## ${group.title}\n`)
  try {
    const { rows, checks } = await group.run(context)
    console.log(formatTable(rows))
    for (const check of checks) results.push({ group: group.title, check })
  } catch (error) {
    crashed = true
    console.log(
      `group failed to run: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    )
  }
}
await (await upstream)?.close()

const seconds = ((performance.now() - started) / 1000).toFixed(1)
console.log(`\n=== summary (${seconds} s) ===\n`)
console.log(
  formatTable(
    results.map(({ check }) => ({
      result: check.pass ? 'PASS' : 'FAIL',
      target: check.name,
      measured: check.measured ?? String(check.value ?? ''),
      goal: check.target,
      note: check.note ?? '',
    })),
  ),
)
const passed = results.filter(({ check }) => check.pass).length
console.log(`\n${passed} of ${results.length} targets met${crashed ? '; a group crashed (see above)' : ''}.`)
if (passed < results.length) console.log('Targets report, they do not gate: exit code stays 0.')
process.exitCode = crashed ? 1 : 0
