export { ScrubbingLogger } from './scrubbing-logger.js'
export { SecretRef } from './secret-ref.js'
export { SECRETS_STORE, secretToken } from './secrets.constants.js'
export { InjectSecret, InjectSecrets } from './secrets.decorators.js'
export { SecretsFeatureModule, SecretsModule } from './secrets.module.js'
export {
  SECRETS_MODULE_OPTIONS,
  type SecretsModuleExtras,
  type SecretsModuleOptions,
  type SecretsStoreOptions,
} from './secrets.module-definition.js'
export { type SecretsConfigLoaderOptions, secretsConfigLoader } from './secrets-config.loader.js'
export { SecretsExceptionFilter } from './secrets-exception.filter.js'
