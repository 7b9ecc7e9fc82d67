export type { CacheOptions, RetryOptions } from './cache/policy.js'
export type {
  DeclaredValue,
  InferSecrets,
  SecretDeclaration,
  SecretDeclarationOptions,
} from './declaration.js'
export { type Duration, toMilliseconds } from './duration.js'
export {
  errorDetail,
  isFallThrough,
  isSecretkitError,
  ProviderUnavailableError,
  type ProviderUnavailableErrorOptions,
  SecretAccessDeniedError,
  SecretConfigError,
  SecretkitError,
  type SecretkitErrorCode,
  type SecretkitErrorOptions,
  type SecretLoadFailure,
  SecretNotFoundError,
  SecretsLoadError,
  SecretValidationError,
  withSecretContext,
} from './errors.js'
export type { SecretChangeEvent, SecretErrorEvent, SecretStoreEvents } from './events.js'
export type {
  ProviderCallOptions,
  ProviderResult,
  SecretProvider,
  SecretRequest,
  TenantCandidate,
} from './provider.js'
export { type EnvProviderOptions, envProvider } from './providers/env.js'
export { type FileProviderOptions, fileProvider } from './providers/file.js'
export { type MemoryProvider, type MemorySecretInput, memoryProvider } from './providers/memory.js'
export { REDACTED_PLACEHOLDER, Redacted } from './redacted.js'
export { formatRef, isSecretRef, parseRef, type SecretRef } from './ref.js'
export { isAuthError, type WithRotationOptions } from './rotation.js'
export { Scrubber } from './scrub.js'
export { createSecrets } from './store.js'
export type {
  ResolveOptions,
  SecretStatus,
  SecretStore,
  SecretsOptions,
  TenantSecretLookup,
  TenantSecrets,
} from './store-types.js'
export { assertTenantId } from './tenant.js'
