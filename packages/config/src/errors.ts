import type { SecretConfigError } from '@secretkit/core'

/** One thing wrong in a config file. `path` is the key path; `line` is filled in by the reader. */
export interface ConfigIssue {
  path: readonly (string | number)[]
  message: string
  line?: number | undefined
}

/**
 * A {@link SecretConfigError} listing every issue as `file:line: what is wrong`. Core is only
 * imported here, on the error path, so a valid JSON config costs no core import.
 */
export async function configFileError(
  file: string,
  issues: readonly ConfigIssue[],
): Promise<SecretConfigError> {
  const { SecretConfigError } = await import('@secretkit/core')
  const sorted = [...issues].sort((a, b) => (a.line ?? 0) - (b.line ?? 0))
  const lines = sorted.map(
    (issue) => `  ${file}${issue.line === undefined ? '' : `:${issue.line}`}: ${issue.message}`,
  )
  return new SecretConfigError(`Invalid secretkit config file ${file}:\n${lines.join('\n')}`)
}

export function describePath(path: readonly (string | number)[]): string {
  return path.length === 0 ? 'at the top level' : `in ${path.map((part) => String(part)).join('.')}`
}
