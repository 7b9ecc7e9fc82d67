export {
  type SecretsErrorBody,
  type SecretsErrorHandlerOptions,
  secretsErrorHandler,
} from './error-handler.js'
export { type ListenWithSecretsOptions, listenWithSecrets, type SecretsServer } from './listen.js'
export { attachSecrets, type Register, type RegisteredSecretStore, secretsMiddleware } from './request.js'
