import { createSecrets, type SecretDeclaration, type SecretStore, type SecretsOptions } from '@secretkit/core'

export interface SecretsConfigLoaderOptions {
  /** Put the values under this key (`config.get('secrets.webhookKey')`). @default at the top level */
  namespace?: string
}

/**
 * A `@nestjs/config` loader: `ConfigModule.forRoot({ load: [secretsConfigLoader(...)] })` puts
 * every declared secret into `ConfigService`. The values are a snapshot taken when the config
 * module starts and do not follow rotation — inject `@InjectSecret(name)` where that matters.
 * A store created from options is closed once the snapshot is taken; a store you pass in is
 * loaded (if it was not) and left open.
 *
 * @example
 * ConfigModule.forRoot({ load: [secretsConfigLoader({ providers: { env: envProvider() }, secrets: { dbUrl: 'env://DATABASE_URL' } })] })
 */
export function secretsConfigLoader(
  storeOrOptions: SecretStore<any> | SecretsOptions<Record<string, SecretDeclaration>>,
  options: SecretsConfigLoaderOptions = {},
): () => Promise<Record<string, unknown>> {
  return async () => {
    const owned = 'providers' in storeOrOptions
    const store: SecretStore<any> = owned ? createSecrets(storeOrOptions) : storeOrOptions
    try {
      await store.load()
      const values = Object.fromEntries(store.names.map((name) => [name, store.get(name)]))
      return options.namespace === undefined ? values : { [options.namespace]: values }
    } finally {
      if (owned) await store.close()
    }
  }
}
