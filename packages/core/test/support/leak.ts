import { inspect } from 'node:util'
import { expect, vi } from 'vitest'
import { CANARY } from './fixtures.js'

/** Everything a value could leak through, rendered as text: inspect (hidden too), JSON, message, stack, cause. */
export function render(value: unknown): string {
  const parts = [inspect(value, { depth: 10, showHidden: true })]
  try {
    parts.push(JSON.stringify(value))
  } catch {
    // circular: inspect covered it
  }
  if (value instanceof Error) {
    parts.push(String(value), value.message, String(value.stack), inspect(value.cause, { depth: 10 }))
  }
  return parts.join('\n')
}

/** Asserts `canary` appears nowhere in {@link render}(value). */
export function expectNoCanary(value: unknown, canary = CANARY): void {
  expect(render(value)).not.toContain(canary)
}

/**
 * Sends console output and stdout/stderr writes into `captured` (rendered) instead of the
 * terminal. Call it inside a test or `beforeEach`: the shared preset restores mocks per test.
 */
export function captureOutput(captured: string[]): void {
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      captured.push(args.map((arg) => render(arg)).join(' '))
    })
  }
  for (const stream of [process.stdout, process.stderr]) {
    vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      captured.push(String(chunk))
      return true
    })
  }
}
