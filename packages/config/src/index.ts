export {
  defineConfig,
  type PreloadOptions,
  type ProviderSpec,
  type ProviderType,
  type SecretkitConfig,
} from './define-config.js'
export { CONFIG_FILE_NAMES, findConfigFile } from './discover.js'
export { type LoadedConfig, loadConfig } from './load.js'
export { createProviders, defaultProviderSpecs } from './providers.js'
export {
  type EnvResolution,
  type EnvSecretStatus,
  RESOLVED_MARKER,
  type ResolveEnvOptions,
  resolveEnv,
  toEnvValue,
  type UnconfiguredRef,
} from './resolve-env.js'
export { type ConfigFormat, PROVIDER_TYPES } from './validate.js'
