import type { EnvSecretStatus } from '@secretkit/config'
import { out } from './output.js'
import { resolveOrReport } from './resolve.js'

export interface CheckOptions {
  configFile?: string | undefined
  /** Print JSON instead of a table. @default false */
  json?: boolean
}

interface Row {
  name: string
  origin: EnvSecretStatus['origin'] | 'env'
  provider: string | undefined
  source: string | undefined
  version: string | undefined
  ageMs: number | undefined
  status: string
  ok: boolean
  optional: boolean
  errorCode: string | undefined
  message: string | undefined
}

/**
 * Resolves every secret and prints name, origin, provider, source, version, age and status —
 * never a value. Resolves to 0 when every required secret resolved, 1 when one failed (or a
 * variable refers to a provider nobody configured), 2 for a bad config file.
 */
export async function check(options: CheckOptions = {}): Promise<number> {
  const result = await resolveOrReport(options.configFile)
  if (result === undefined) return 2
  await result.store?.close()
  const rows: Row[] = result.secrets.map((secret) => {
    const failed = secret.state === 'failed' || secret.state === 'not-loaded'
    return {
      name: secret.name,
      origin: secret.origin,
      provider: secret.provider ?? secret.refs[0]?.split('://')[0],
      source: secret.source ?? secret.refs.join(' -> '),
      version: secret.version,
      ageMs: secret.ageMs,
      status: failed
        ? `failed (${secret.errorCode ?? 'unknown'})`
        : secret.state === 'missing'
          ? 'missing (optional)'
          : 'ok',
      ok: !failed,
      optional: secret.optional,
      errorCode: secret.errorCode,
      message: secret.message,
    }
  })
  for (const { name, provider } of result.unconfigured) {
    rows.push({
      name,
      origin: 'env',
      provider,
      source: undefined,
      version: undefined,
      ageMs: undefined,
      status: 'no provider',
      ok: false,
      optional: false,
      errorCode: 'SECRET_CONFIG_INVALID',
      message: `no provider named "${provider}" is configured`,
    })
  }
  const ok = rows.every((row) => row.ok)
  if (options.json) {
    // Absent fields are null rather than missing, so CI scripts can rely on every key.
    const secrets = rows.map((row) =>
      Object.fromEntries(Object.entries(row).map(([key, value]) => [key, value ?? null])),
    )
    out(JSON.stringify({ ok, configFile: result.configFile ?? null, secrets }, null, 2))
  } else {
    out(`config: ${result.configFile ?? 'none (env provider and files under ./secrets)'}`)
    if (rows.length === 0) out('No secret references in the environment and no declared secrets.')
    else out(table(rows))
    for (const row of rows) if (!row.ok && row.message) out(`${row.name}: ${row.message}`)
    out(ok ? `${rows.length} ok` : `${rows.filter((row) => !row.ok).length} of ${rows.length} failed`)
  }
  return ok ? 0 : 1
}

function table(rows: readonly Row[]): string {
  const header = ['NAME', 'FROM', 'PROVIDER', 'SOURCE', 'VERSION', 'AGE', 'STATUS']
  const cells = rows.map((row) => [
    row.name,
    row.origin,
    row.provider ?? '-',
    row.source ?? '-',
    row.version ?? '-',
    row.ageMs === undefined ? '-' : formatAge(row.ageMs),
    row.status,
  ])
  const widths = header.map((title, column) =>
    Math.max(title.length, ...cells.map((line) => line[column]!.length)),
  )
  return [header, ...cells]
    .map((line) =>
      line
        .map((cell, column) => cell.padEnd(widths[column]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')
}

function formatAge(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`
  if (ms < 60_000) return `${Math.round(ms / 1000)}s`
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)}m`
  return `${Math.round(ms / 3_600_000)}h`
}
