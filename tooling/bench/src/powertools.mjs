// Points Powertools' default Secrets Manager client at the fake upstream. getSecret() builds
// that client once, on its first call, from the environment; so this runs before any call
// and every group shares the one upstream.
import { getSecret } from '@aws-lambda-powertools/parameters/secrets'

/** @type {string | undefined} */
let configuredUrl

/**
 * Powertools' `getSecret`, configured to talk to `url` with dummy credentials.
 *
 * @param {string} url
 * @returns {typeof getSecret}
 */
export function powertoolsGetSecret(url) {
  if (configuredUrl !== undefined && configuredUrl !== url) {
    throw new Error('Powertools is already pointed at another endpoint; share one upstream per run')
  }
  configuredUrl = url
  process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = url
  process.env.AWS_REGION = 'us-east-1'
  process.env.AWS_ACCESS_KEY_ID = 'test'
  process.env.AWS_SECRET_ACCESS_KEY = 'test'
  process.env.AWS_EC2_METADATA_DISABLED = 'true'
  // Powertools caches for 5 s by default; a long max age keeps the warm benchmark warm, the
  // same as secretkit's 5-minute TTL does.
  process.env.POWERTOOLS_PARAMETERS_MAX_AGE = '3600'
  return getSecret
}
