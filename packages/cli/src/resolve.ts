import { type EnvResolution, resolveEnv } from '@secretkit/config'
import { err } from './output.js'

/** resolveEnv(), or `undefined` after printing why the config could not be used. */
export async function resolveOrReport(configFile: string | undefined): Promise<EnvResolution | undefined> {
  try {
    return await resolveEnv(configFile === undefined ? {} : { configFile })
  } catch (error) {
    err(`secretkit: ${error instanceof Error ? error.message : String(error)}`)
    return undefined
  }
}
