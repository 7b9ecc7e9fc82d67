import { accessSync, constants } from 'node:fs'
import { delimiter, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/** `<repo>/.tools`, where install.sh puts the Python venv (override: SECRETKIT_TOOLS_DIR). */
export const toolsDir =
  process.env.SECRETKIT_TOOLS_DIR ?? resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../.tools')

export const motoServerBin = join(toolsDir, 'py/bin/moto_server')
export const baoBin = join(toolsDir, 'py/bin/bao')

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK)
    return true
  } catch {
    return false
  }
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && isExecutable(join(dir, name))) return join(dir, name)
  }
  return undefined
}

export const redisServerBin = (): string | undefined => onPath('redis-server')

export interface PeerAvailability {
  available: boolean
  /** Loud, actionable reason for `describe.skipIf(!x.available)`. */
  reason: string
}

/**
 * A missing peer skips its tests with a loud stderr line. With SECRETKIT_REQUIRE_PEERS=1 (set it
 * in CI after install.sh) it does not skip: the tests run and fail on the missing binary.
 */
function missing(what: string): PeerAvailability {
  const required = process.env.SECRETKIT_REQUIRE_PEERS === '1'
  const reason = `${required ? 'REQUIRED but' : 'SKIPPED:'} ${what} is not installed — run tooling/test-servers/install.sh`
  console.warn(`\n[test-servers] ${reason}\n`)
  return { available: required, reason }
}
const ok: PeerAvailability = { available: true, reason: '' }

export const motoAvailability = (): PeerAvailability =>
  isExecutable(motoServerBin) ? ok : missing(`moto_server (${motoServerBin})`)
export const openBaoAvailability = (): PeerAvailability =>
  isExecutable(baoBin) ? ok : missing(`bao (${baoBin})`)
export const redisAvailability = (): PeerAvailability =>
  redisServerBin() ? ok : missing('redis-server (Debian package redis-server)')
