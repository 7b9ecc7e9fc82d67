import { ConfigurableModuleBuilder, type FactoryProvider } from '@nestjs/common'
import {
  SecretConfigError,
  type SecretDeclaration,
  type SecretStore,
  type SecretsOptions,
} from '@secretkit/core'
import { SecretRef } from './secret-ref.js'
import { SECRETS_STORE, secretToken } from './secrets.constants.js'

/** Hand the module a store you created yourself (`createSecrets(...)`); it is loaded at bootstrap. */
export interface SecretsStoreOptions {
  secrets: SecretStore<any>
}

/**
 * `{ secrets: store }`, or the options of `createSecrets()` (`providers`, `secrets`, `cache`, …)
 * from which the module creates the store.
 */
export type SecretsModuleOptions = SecretsStoreOptions | SecretsOptions<Record<string, SecretDeclaration>>

/** Options that shape the Nest module rather than the store. */
export interface SecretsModuleExtras {
  /** Register the module globally, so feature modules need not import it. @default false */
  isGlobal: boolean
  /**
   * Names that get an `@InjectSecret(name)` provider in addition to the declared ones. Needed
   * with `forRootAsync`, whose declarations are unknown until its factory runs.
   * @default []
   */
  secretNames: readonly string[]
}

export const {
  ConfigurableModuleClass: ConfigurableSecretsModule,
  MODULE_OPTIONS_TOKEN: SECRETS_MODULE_OPTIONS,
  OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<SecretsModuleOptions>({ moduleName: 'Secrets' })
  .setClassMethodName('forRoot')
  .setExtras<SecretsModuleExtras>({ isGlobal: false, secretNames: [] }, (definition, extras) => {
    const refs = secretRefProviders(extras.secretNames)
    return {
      ...definition,
      global: extras.isGlobal,
      providers: [...(definition.providers ?? []), ...refs],
      exports: [...(definition.exports ?? []), ...refs.map((provider) => provider.provide)],
    }
  })
  .build()

/** One `@InjectSecret(name)` provider per distinct name. */
export function secretRefProviders(names: readonly string[]): FactoryProvider<SecretRef<unknown>>[] {
  return [...new Set(names)].map((name) => ({
    provide: secretToken(name),
    inject: [SECRETS_STORE],
    useFactory: (store: SecretStore) => {
      if (!store.names.includes(name)) {
        throw new SecretConfigError(`@InjectSecret('${name}') names a secret the store does not declare`, {
          secretName: name,
          hint: `declared secrets: ${store.names.join(', ') || 'none'}`,
        })
      }
      return new SecretRef(store, name)
    },
  }))
}

/** The store the options describe: the given one, or a new one from `createSecrets` options. */
export function isStoreOptions(options: SecretsModuleOptions): options is SecretsStoreOptions {
  return !('providers' in options)
}

/** Declared names known before the store exists (for `forRoot`). */
export function declaredNames(options: SecretsModuleOptions): string[] {
  if (isStoreOptions(options)) return [...(options.secrets?.names ?? [])]
  return Object.keys(options.secrets ?? {})
}
