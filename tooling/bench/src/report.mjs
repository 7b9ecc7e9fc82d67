// Shared shapes and helpers for benchmark groups: every group returns rows for its table and
// checks against the DESIGN.md §8 targets; index.mjs prints them and the summary.
import { Bench } from 'tinybench'

/**
 * One line of a group's table. Keys become columns, in first-seen order.
 * @typedef {Record<string, string | number | undefined>} Row
 */

/**
 * One performance target and whether this run met it.
 * @typedef {object} Check
 * @property {string} name What was compared, e.g. `cached get() / Map.get`.
 * @property {string} [measured] This run's figure, e.g. `1.31×`.
 * @property {string | number} [value] The raw figure, shown when `measured` is absent.
 * @property {string} target The goal, e.g. `≤ 2×`.
 * @property {boolean} pass
 * @property {string} [note] Context such as the peer's figure.
 */

/**
 * What a group's `run()` returns.
 * @typedef {object} GroupResult
 * @property {Row[]} rows
 * @property {Check[]} checks
 */

/**
 * What index.mjs hands every group: shared, lazily started peers.
 * @typedef {object} BenchContext
 * @property {() => Promise<import('./fake-aws-upstream.mjs').FakeAwsUpstream>} upstream The one fake AWS
 *   upstream of this run (Powertools' default client can only ever point at one endpoint).
 */

/**
 * A benchmark group module: `export const title` and `export async function run(context)`.
 * @typedef {object} Group
 * @property {string} title
 * @property {(context: BenchContext) => Promise<GroupResult>} run
 */

/** Calls per task iteration: enough that the harness's own per-iteration cost is noise. */
export const LOOP = 1_000

/**
 * Times each task (a function doing {@link LOOP} calls) with tinybench and returns the cost
 * of ONE call in nanoseconds, by task name, plus table rows. The tasks run in `rounds`
 * alternating rounds and each keeps its quietest round (lowest median): on a small shared
 * machine a neighbour's burst then skews neither side. `mean` (total time / calls) includes
 * the GC work a task's allocations cause; `median` is robust to noise.
 *
 * @param {Record<string, () => unknown>} tasks
 * @param {{ rounds?: number, time?: number, warmupTime?: number }} [options] `time` and
 *   `warmupTime` in milliseconds per task per round.
 * @returns {Promise<{ nsPerCall: Record<string, { mean: number, median: number }>, rows: Row[] }>}
 */
export async function measureLoops(tasks, options = {}) {
  /** @type {Map<string, { mean: number, median: number, rme: number, samples: number }>} */
  const best = new Map()
  for (let round = 0; round < (options.rounds ?? 3); round++) {
    const bench = new Bench({
      time: options.time ?? 500,
      warmupTime: options.warmupTime ?? 100,
      throws: true,
    })
    for (const [name, fn] of Object.entries(tasks)) bench.add(name, fn)
    await bench.run()
    for (const task of bench.tasks) {
      const result = task.result
      if (result.state !== 'completed') throw new Error(`task "${task.name}" ended ${result.state}`)
      const { mean, p50, rme, samplesCount } = result.latency
      const figures = { mean: (mean * 1e6) / LOOP, median: (p50 * 1e6) / LOOP, rme, samples: samplesCount }
      const previous = best.get(task.name)
      if (previous === undefined || figures.median < previous.median) best.set(task.name, figures)
    }
  }
  /** @type {Record<string, { mean: number, median: number }>} */
  const nsPerCall = {}
  /** @type {Row[]} */
  const rows = []
  for (const [name, figures] of best) {
    nsPerCall[name] = { mean: figures.mean, median: figures.median }
    rows.push({
      task: name,
      'median ns/call': figures.median.toFixed(1),
      'mean ns/call': figures.mean.toFixed(1),
      'calls/s (mean)': formatCount(1e9 / figures.mean),
      '±rme': `${figures.rme.toFixed(2)}%`,
      samples: figures.samples,
    })
  }
  return { nsPerCall, rows }
}

/** @param {number} n */
export function formatCount(n) {
  return Math.round(n).toLocaleString('en-US')
}

/** @param {number} ratio */
export function formatRatio(ratio) {
  return `${ratio.toFixed(2)}×`
}

/**
 * `a / b` by median and by mean, for tasks measured by {@link measureLoops}. Targets are judged
 * on the median (the mean moves with whatever else the machine runs); the mean ratio is shown
 * beside it.
 *
 * @param {Record<string, { mean: number, median: number }>} nsPerCall
 * @param {string} a
 * @param {string} b
 */
export function ratioOf(nsPerCall, a, b) {
  const top = nsPerCall[a]
  const bottom = nsPerCall[b]
  if (top === undefined || bottom === undefined) throw new Error(`no result for "${a}" or "${b}"`)
  return { mean: top.mean / bottom.mean, median: top.median / bottom.median }
}

const NUMERIC = /^([=≤≥<>]\s*)?[-+±]?[\d.,]+\s*[×%]?$|^-?$/

/**
 * Renders rows as an aligned text table.
 * @param {Row[]} rows
 * @returns {string}
 */
export function formatTable(rows) {
  if (rows.length === 0) return '(no rows)'
  /** @type {string[]} */
  const columns = []
  for (const row of rows) for (const key of Object.keys(row)) if (!columns.includes(key)) columns.push(key)
  const cells = rows.map((row) => columns.map((column) => String(row[column] ?? '')))
  const widths = columns.map((column, index) =>
    Math.max(column.length, ...cells.map((line) => line[index]?.length ?? 0)),
  )
  // Numbers read best right-aligned, words left-aligned.
  const numeric = columns.map((_, index) => cells.every((line) => NUMERIC.test(line[index] ?? '')))
  /** @param {string[]} line */
  const render = (line) =>
    line
      .map((cell, index) => {
        const width = widths[index] ?? 0
        return numeric[index] ? cell.padStart(width) : cell.padEnd(width)
      })
      .join('  ')
      .trimEnd()
  return [render(columns), render(widths.map((width) => '-'.repeat(width))), ...cells.map(render)].join('\n')
}
