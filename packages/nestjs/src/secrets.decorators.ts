import { Inject } from '@nestjs/common'
import { SECRETS_STORE, secretToken } from './secrets.constants.js'

/**
 * Injects the loaded `SecretStore` (`get`, `resolve`, `tenant`, `on('change')`, …).
 *
 * @example
 * constructor(@InjectSecrets() private readonly secrets: SecretStore<AppSecrets>) {}
 */
export function InjectSecrets(): PropertyDecorator & ParameterDecorator {
  return Inject(SECRETS_STORE)
}

/**
 * Injects a live `SecretRef` for one declared secret; its `.value` always reads the current
 * value. The name must be known to the module: declared in `forRoot({ secrets })`, listed in
 * `forRootAsync({ secretNames })`, or registered with `SecretsModule.forFeature([name])`.
 *
 * @example
 * constructor(@InjectSecret('webhookKey') private readonly key: SecretRef) {}
 */
export function InjectSecret(name: string): PropertyDecorator & ParameterDecorator {
  return Inject(secretToken(name))
}
