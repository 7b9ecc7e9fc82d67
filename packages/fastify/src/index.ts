export { type FastifyLoggerConfig, secretkitLoggerOptions } from './logger.js'
export {
  type RegisteredSecretStore,
  readinessReport,
  type SecretkitFastifyCommonOptions,
  type SecretkitFastifyConfigOptions,
  type SecretkitFastifyOptions,
  type SecretkitFastifyRegister,
  type SecretkitFastifyStoreOptions,
  type SecretReadiness,
  type SecretsReadinessReport,
  secretkit,
  secretkit as default,
} from './plugin.js'
