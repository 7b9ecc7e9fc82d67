import { ConsoleLogger, type LoggerService, type LogLevel } from '@nestjs/common'
import type { SecretStore } from '@secretkit/core'

/**
 * A Nest `LoggerService` that scrubs every loaded secret value out of messages, stacks, error
 * objects (with their causes) and contexts, then hands them to another logger (Nest's
 * `ConsoleLogger` by default). Nest's own exception handler logs whole errors through the app
 * logger, so install it app-wide.
 *
 * @example
 * const app = await NestFactory.create(AppModule, { bufferLogs: true })
 * app.useLogger(app.get(ScrubbingLogger))
 */
export class ScrubbingLogger implements LoggerService {
  readonly #store: Pick<SecretStore, 'scrubValue'>
  readonly #logger: LoggerService

  /**
   * @param store Any object with `scrubValue(value)`: the store, or a core `Scrubber`.
   * @param logger Where scrubbed lines go. @default new ConsoleLogger()
   */
  constructor(store: Pick<SecretStore, 'scrubValue'>, logger: LoggerService = new ConsoleLogger()) {
    this.#store = store
    this.#logger = logger
  }

  log(message: unknown, ...params: unknown[]): void {
    this.#logger.log(...this.#scrub(message, params))
  }

  error(message: unknown, ...params: unknown[]): void {
    this.#logger.error(...this.#scrub(message, params))
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.#logger.warn(...this.#scrub(message, params))
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.#logger.debug?.(...this.#scrub(message, params))
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.#logger.verbose?.(...this.#scrub(message, params))
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.#logger.fatal?.(...this.#scrub(message, params))
  }

  setLogLevels(levels: LogLevel[]): void {
    this.#logger.setLogLevels?.(levels)
  }

  #scrub(message: unknown, params: unknown[]): [unknown, ...unknown[]] {
    return [this.#store.scrubValue(message), ...params.map((param) => this.#store.scrubValue(param))]
  }
}
