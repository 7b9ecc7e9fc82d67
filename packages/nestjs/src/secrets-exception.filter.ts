import { type ArgumentsHost, Catch, Inject } from '@nestjs/common'
import { BaseExceptionFilter } from '@nestjs/core'
import type { SecretStore } from '@secretkit/core'
import { SECRETS_STORE } from './secrets.constants.js'

/**
 * Nest's default exception handling with every loaded secret value scrubbed first: from
 * `HttpException` response bodies (which Nest sends as they are) and from the message, stack
 * and cause of any other error (which Nest logs). Works on Express and Fastify.
 *
 * @example
 * providers: [{ provide: APP_FILTER, useClass: SecretsExceptionFilter }]
 */
@Catch()
export class SecretsExceptionFilter extends BaseExceptionFilter {
  readonly #store: SecretStore

  constructor(@Inject(SECRETS_STORE) store: SecretStore) {
    // The HTTP adapter comes from BaseExceptionFilter's own HttpAdapterHost property injection.
    super()
    this.#store = store
  }

  override catch(exception: unknown, host: ArgumentsHost): void {
    super.catch(this.#store.scrubValue(exception), host)
  }
}
