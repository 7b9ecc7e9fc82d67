export { createSecretsContext, type SecretsContext } from './context.js'
export {
  type SecretsOnErrorOptions,
  secretsErrorFormatter,
  secretsOnError,
} from './error-formatter.js'
export { type RequireSecretsOptions, requireSecrets, type StoreWith } from './middleware.js'
