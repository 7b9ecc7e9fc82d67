import { readFileSync } from 'node:fs'
import { dirname, extname } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { SecretkitConfig } from './define-config.js'
import { type ConfigIssue, configFileError } from './errors.js'
import { type ConfigFormat, validateConfig } from './validate.js'

/** A config file, read and validated. */
export interface LoadedConfig {
  /** Absolute path of the file. */
  readonly file: string
  /** Its folder: relative `dir` options resolve against it. */
  readonly dir: string
  readonly format: ConfigFormat
  readonly config: SecretkitConfig
}

/**
 * Reads and validates one config file. Throws a `SecretConfigError` listing every problem as
 * `file:line: what is wrong` (line numbers for JSON and YAML files).
 */
export async function loadConfig(file: string): Promise<LoadedConfig> {
  const extension = extname(file)
  const format: ConfigFormat =
    extension === '.json' ? 'json' : extension === '.yaml' || extension === '.yml' ? 'yaml' : 'js'
  let config: unknown
  let locate: (issue: ConfigIssue) => number | undefined = () => undefined
  if (format === 'js') {
    config = await importConfig(file)
  } else {
    const text = await readText(file)
    const parsed = format === 'json' ? parseJson(text) : await parseYaml(text)
    if ('issues' in parsed) throw await configFileError(file, parsed.issues)
    config = parsed.value
    locate = parsed.locate
  }
  const issues = validateConfig(config, format)
  if (issues.length > 0) {
    throw await configFileError(
      file,
      issues.map((issue) => ({ ...issue, line: locate(issue) })),
    )
  }
  return { file, dir: dirname(file), format, config: config as SecretkitConfig }
}

type Parsed =
  | { value: unknown; locate: (issue: ConfigIssue) => number | undefined }
  | { issues: ConfigIssue[] }

async function readText(file: string): Promise<string> {
  try {
    return readFileSync(file, 'utf8')
  } catch (error) {
    throw await configFileError(file, [
      { path: [], message: `cannot read the file (${(error as NodeJS.ErrnoException).code ?? 'error'})` },
    ])
  }
}

async function importConfig(file: string): Promise<unknown> {
  let module: { default?: unknown }
  try {
    module = await import(pathToFileURL(file).href)
  } catch (error) {
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error)
    throw await configFileError(file, [{ path: [], message: `failed to load (${reason})` }])
  }
  // A CommonJS `.js` file arrives as { default: module.exports }.
  return module.default
}

function parseJson(text: string): Parsed {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    const message = (error as Error).message
    const position = /at position (\d+)/.exec(message)?.[1]
    // V8 quotes a slice of the file in some messages; keep only its description of the problem.
    const problem = message
      .replace(/,? ".*" is not valid JSON/s, '')
      .replace(/ in JSON at position.*$/s, '')
      .replace(/ \(line \d+ column \d+\)$/, '')
    return {
      issues: [
        {
          path: [],
          message: `invalid JSON: ${problem}`,
          line: position === undefined ? undefined : lineAt(text, Number(position)),
        },
      ],
    }
  }
  return { value, locate: (issue) => lineAt(text, jsonKeyOffset(text, issue.path)) }
}

async function parseYaml(text: string): Promise<Parsed> {
  const { LineCounter, parseDocument, isMap, isSeq } = await import('yaml')
  const lines = new LineCounter()
  // prettyErrors would add a code frame quoting the file; line numbers come from the counter.
  const document = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true })
  if (document.errors.length > 0) {
    return {
      issues: document.errors.map((error) => ({
        path: [],
        message: `invalid YAML: ${error.message}`,
        line: lines.linePos(error.pos[0]).line,
      })),
    }
  }
  const locate = (issue: ConfigIssue): number | undefined => {
    let node: unknown = document.contents
    let offset: number | undefined
    for (const part of issue.path) {
      if (isMap(node)) {
        const pair = node.items.find((item) => (item.key as { value?: unknown } | null)?.value === part)
        if (pair === undefined) break
        offset = (pair.key as { range?: [number, number, number] }).range?.[0] ?? offset
        node = pair.value
      } else if (isSeq(node) && typeof part === 'number') {
        const item = node.items[part] as { range?: [number, number, number] } | undefined
        offset = item?.range?.[0] ?? offset
        node = item
      } else break
    }
    return offset === undefined ? undefined : lines.linePos(offset).line
  }
  return { value: document.toJS(), locate }
}

/** Where the key at `path` is written: each key is searched for after its parent's. */
function jsonKeyOffset(text: string, path: readonly (string | number)[]): number {
  let offset = 0
  for (const part of path) {
    if (typeof part !== 'string') continue
    const pattern = new RegExp(`${escapeRegExp(JSON.stringify(part))}\\s*:`, 'g')
    pattern.lastIndex = offset
    const match = pattern.exec(text)
    if (match === null) break
    offset = match.index
  }
  return offset
}

function lineAt(text: string, offset: number): number {
  let line = 1
  for (let index = text.indexOf('\n'); index !== -1 && index < offset; index = text.indexOf('\n', index + 1))
    line++
  return line
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
