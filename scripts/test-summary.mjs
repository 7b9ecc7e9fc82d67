// Adds up the vitest JSON reports every package writes (test-results/vitest.json) and
// prints one closing line: "N passed, N failed, N skipped".
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

const root = new URL('..', import.meta.url).pathname
let passed = 0
let failed = 0
let skipped = 0
for (const group of ['packages', 'apps', 'tooling']) {
  const groupDir = join(root, group)
  if (!existsSync(groupDir)) continue
  for (const name of readdirSync(groupDir)) {
    const report = join(groupDir, name, 'test-results', 'vitest.json')
    if (!existsSync(report)) continue
    const json = JSON.parse(readFileSync(report, 'utf8'))
    passed += json.numPassedTests ?? 0
    failed += json.numFailedTests ?? 0
    skipped += (json.numPendingTests ?? 0) + (json.numTodoTests ?? 0)
  }
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`)
process.exitCode = failed > 0 ? 1 : 0
