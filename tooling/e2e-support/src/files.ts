import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { cp, mkdtemp, rename, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'

export interface TempDir {
  readonly dir: string
  remove(): Promise<void>
}

export interface TempDirOptions {
  /** A folder whose contents are copied in first (e.g. an app's committed example secrets). */
  copyFrom?: string
  /** Files to write (name → content), after the copy. */
  files?: Record<string, string>
  /** @default 'secretkit-e2e-' */
  prefix?: string
}

/**
 * A fresh folder under the OS temp dir, for a test to fill and rewrite.
 *
 * @example
 * const secrets = await tempDir({ copyFrom: join(appDir, 'secrets'), files: { 'webhook-key.txt': `${CANARY}\n` } })
 */
export async function tempDir(options: TempDirOptions = {}): Promise<TempDir> {
  const dir = await mkdtemp(join(tmpdir(), options.prefix ?? 'secretkit-e2e-'))
  if (options.copyFrom !== undefined) await cp(options.copyFrom, dir, { recursive: true })
  for (const [name, content] of Object.entries(options.files ?? {})) await writeFile(join(dir, name), content)
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) }
}

/** Replaces a file the way a secret syncer does: write beside it, then rename over it. */
export async function replaceFile(path: string, content: string): Promise<void> {
  const next = join(dirname(path), `.next-${process.pid}-${Date.now()}`)
  await writeFile(next, content)
  await rename(next, path)
}

/**
 * A fresh folder under `base` holding `files` (name → content; names may contain `/`), written
 * synchronously so a test can set up a config tree in one expression.
 *
 * @example
 * const dir = scratchTree({ 'secretkit.config.json': '{}', 'secrets/db.env': 'DB_PASSWORD=x\n' })
 */
export function scratchTree(
  files: Record<string, string> = {},
  options: { prefix?: string; base?: string } = {},
): string {
  const dir = mkdtempSync(join(options.base ?? tmpdir(), options.prefix ?? 'secretkit-test-'))
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true })
    writeFileSync(join(dir, name), content)
  }
  return dir
}
