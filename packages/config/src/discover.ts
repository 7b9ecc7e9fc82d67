import { statSync } from 'node:fs'
import { dirname, resolve, sep } from 'node:path'

/** File names looked for in each folder, in this order. */
export const CONFIG_FILE_NAMES = [
  'secretkit.config.mjs',
  'secretkit.config.js',
  'secretkit.config.json',
  'secretkit.config.yaml',
  'secretkit.config.yml',
] as const

/**
 * The nearest config file: `secretkit.config.{mjs,js,json,yaml,yml}` in `cwd`, then in each
 * parent folder up to the root. `undefined` when there is none.
 */
export function findConfigFile(cwd: string = process.cwd()): string | undefined {
  // A plain loop of stat calls: it runs in every process started with the preload hook,
  // so it must not pull in a loader library or read anything it does not need.
  // Names are appended to the normalised folder rather than with path.join: the first
  // normalisation in a process costs a fraction of a millisecond.
  let dir = cwd === process.cwd() ? cwd : resolve(cwd)
  for (;;) {
    const prefix = dir.endsWith(sep) ? dir : dir + sep
    for (const name of CONFIG_FILE_NAMES) {
      const file = prefix + name
      if (statSync(file, { throwIfNoEntry: false })?.isFile()) return file
    }
    const parent = dirname(dir)
    if (parent === dir) return undefined
    dir = parent
  }
}
