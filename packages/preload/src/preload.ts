import { writeSync } from 'node:fs'
import { type EnvResolution, resolveEnv, toEnvValue } from '@secretkit/config'

/** Exit code of a process the hook stopped before the app ran. */
export const PRELOAD_FAILURE_EXIT_CODE = 1

/**
 * Which way the hook went: nothing to resolve, every reference read synchronously, or
 * through the store. The code cache records the ways it has seen (each runs other code).
 */
export type PreloadOutcome = 'nothing' | 'sync' | 'store'

/**
 * Resolves secret references in `process.env` and declared secrets from the config file,
 * writes the values into `process.env`, and stops the process (exit code 1, the aggregate
 * error on stderr) when a required secret is missing. Runs once on import of the package.
 */
export async function preload(): Promise<PreloadOutcome> {
  let result: EnvResolution
  try {
    result = await resolveEnv({ sync: true })
  } catch (error) {
    fail(describe(error))
  }
  for (const { name, provider } of result.unconfigured) {
    report(
      `${name} looks like a secret reference, but no provider named "${provider}" is configured, so it was left as is — ` +
        (result.configFile === undefined
          ? `create secretkit.config.json with { "providers": { "${provider}": { "type": "${provider}" } } }`
          : `add "${provider}": { "type": "${provider}", … } to providers in ${result.configFile}`),
    )
  }
  if (result.error !== undefined) {
    await result.store?.close()
    fail(`${result.error.message}\nsecretkit: the app was not started.`)
  }
  for (const [name, value] of Object.entries(result.values)) process.env[name] = value
  for (const name of result.unset) delete process.env[name]
  const store = result.store
  if (store === undefined) return result.secrets.length === 0 ? 'nothing' : 'sync'
  if (result.config?.preload?.refresh !== true) {
    await store.close()
    return 'store'
  }
  // Rotation: the store refreshes in the background (timers are unref'ed, so it never keeps
  // the process alive) and each change is copied into process.env.
  store.on('change', ({ name }) => {
    if (!store.names.includes(name)) return
    const value = store.get(name)
    if (value === undefined) delete process.env[name]
    else process.env[name] = toEnvValue(value)
  })
  return 'store'
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

function report(message: string): void {
  // Synchronous, so the message is out before a process.exit() that may follow.
  writeSync(2, `secretkit: ${message}\n`)
}

function fail(message: string): never {
  report(message)
  process.exit(PRELOAD_FAILURE_EXIT_CODE)
}
