import { writeSync } from 'node:fs'

/** Writes synchronously, so nothing is lost when the process exits right after. */
export function out(text: string): void {
  writeSync(1, text.endsWith('\n') ? text : `${text}\n`)
}

export function err(text: string): void {
  writeSync(2, text.endsWith('\n') ? text : `${text}\n`)
}
