import { type DynamicModule, Inject, Module, type OnApplicationShutdown, type Provider } from '@nestjs/common'
import { createSecrets, SecretConfigError, type SecretStore } from '@secretkit/core'
import { ScrubbingLogger } from './scrubbing-logger.js'
import { SECRETS_STORE } from './secrets.constants.js'
import {
  ConfigurableSecretsModule,
  declaredNames,
  isStoreOptions,
  type OPTIONS_TYPE,
  SECRETS_MODULE_OPTIONS,
  type SecretsModuleOptions,
  secretRefProviders,
} from './secrets.module-definition.js'

/**
 * Bootstrap awaits this factory, so the store is loaded before any provider that injects it is
 * created, and a missing required secret fails `NestFactory.create` with one `SecretsLoadError`.
 */
const storeProvider: Provider = {
  provide: SECRETS_STORE,
  inject: [SECRETS_MODULE_OPTIONS],
  useFactory: async (options: SecretsModuleOptions): Promise<SecretStore<any>> => {
    const owned = !isStoreOptions(options)
    const store = owned ? createSecrets(options) : options.secrets
    if (store === undefined || typeof store?.load !== 'function') {
      throw new SecretConfigError('SecretsModule needs { secrets: store } or createSecrets() options', {
        hint: 'SecretsModule.forRoot({ providers: { env: envProvider() }, secrets: { … } })',
      })
    }
    try {
      await store.load()
    } catch (error) {
      if (owned) await store.close()
      throw error
    }
    return store
  },
}

const loggerProvider: Provider = {
  provide: ScrubbingLogger,
  inject: [SECRETS_STORE],
  useFactory: (store: SecretStore) => new ScrubbingLogger(store),
}

/**
 * Loads secrets at bootstrap and provides them to the app.
 *
 * @example
 * @Module({
 *   imports: [
 *     SecretsModule.forRoot({
 *       providers: { env: envProvider(), file: fileProvider({ dir: './secrets' }) },
 *       secrets: { webhookKey: ['file://webhook-key.txt', 'env://WEBHOOK_KEY'] },
 *       isGlobal: true,
 *     }),
 *   ],
 * })
 * export class AppModule {}
 */
@Module({
  providers: [storeProvider, loggerProvider],
  exports: [SECRETS_STORE, ScrubbingLogger],
})
export class SecretsModule extends ConfigurableSecretsModule implements OnApplicationShutdown {
  readonly #store: SecretStore

  constructor(@Inject(SECRETS_STORE) store: SecretStore) {
    super()
    this.#store = store
  }

  /**
   * Declared secrets each get an `@InjectSecret(name)` provider. (`forRootAsync` is inherited:
   * there only `secretNames` get one, as the declarations are not known until its factory runs.)
   */
  static override forRoot(options: typeof OPTIONS_TYPE): DynamicModule {
    // biome-ignore lint/complexity/noThisInStatic: the builder's forRoot sets `module: this`, which must stay SecretsModule
    return super.forRoot({
      ...options,
      secretNames: [...(options.secretNames ?? []), ...declaredNames(options)],
    })
  }

  /**
   * `@InjectSecret(name)` providers for a feature module. Needs the root module registered with
   * `isGlobal: true` (the providers inject the root's store).
   */
  static forFeature(names: readonly string[]): DynamicModule {
    const providers = secretRefProviders(names)
    return {
      module: SecretsFeatureModule,
      providers,
      exports: providers.map((provider) => provider.provide),
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.#store.close()
  }
}

/** Holds `forFeature` providers; a class of its own so it does not close the store twice. */
@Module({})
export class SecretsFeatureModule {}
