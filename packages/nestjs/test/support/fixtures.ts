import { inspect } from 'node:util'
import type { LoggerService } from '@nestjs/common'

/** A value no response, log line, error or snapshot may ever contain. */
export const CANARY = 'canary-nest-5b1e27d4-do-not-leak'

/** A LoggerService that keeps every argument it was given, rendered as text. */
export class CapturingLogger implements LoggerService {
  readonly lines: string[] = []
  log(...args: unknown[]) {
    this.#push('log', args)
  }
  error(...args: unknown[]) {
    this.#push('error', args)
  }
  warn(...args: unknown[]) {
    this.#push('warn', args)
  }
  debug(...args: unknown[]) {
    this.#push('debug', args)
  }
  verbose(...args: unknown[]) {
    this.#push('verbose', args)
  }
  fatal(...args: unknown[]) {
    this.#push('fatal', args)
  }
  get text(): string {
    return this.lines.join('\n')
  }
  #push(level: string, args: unknown[]) {
    this.lines.push(
      `${level}: ${args.map((arg) => (typeof arg === 'string' ? arg : inspect(arg, { depth: 8 }))).join(' ')}`,
    )
  }
}
