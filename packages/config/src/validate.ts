import { type ConfigIssue, describePath } from './errors.js'

/** Config files written as data (JSON, YAML) or as code (`.mjs`, `.js`). */
export type ConfigFormat = 'json' | 'yaml' | 'js'

export const PROVIDER_TYPES = ['env', 'file', 'aws', 'ssm', 'vault', 'gcp', 'azure'] as const
type Check = ((value: unknown) => boolean) & { expected?: string }

const isString: Check = Object.assign((value: unknown) => typeof value === 'string', { expected: 'a string' })
const isBoolean: Check = Object.assign((value: unknown) => typeof value === 'boolean', {
  expected: 'true or false',
})
const isNumber: Check = Object.assign((value: unknown) => typeof value === 'number', { expected: 'a number' })
const isStringList: Check = Object.assign(
  (value: unknown) => Array.isArray(value) && value.every((item) => typeof item === 'string'),
  { expected: 'a list of strings' },
)
const isDuration: Check = Object.assign(
  (value: unknown) => typeof value === 'number' || typeof value === 'string',
  { expected: "milliseconds or a duration such as '5m'" },
)
const TOP_LEVEL = ['providers', 'secrets', 'cache', 'retry', 'preload']
const CACHE_DURATIONS = ['ttl', 'staleWhileRevalidate', 'staleIfError', 'negativeTtl']
const RETRY_DURATIONS = ['baseDelay', 'maxDelay', 'timeout', 'deadline']
/** Options of the providers core ships; cloud provider options are checked by their factories. */
const CORE_PROVIDER_OPTIONS: Record<string, Record<string, Check>> = {
  env: { prefix: isString, allowEmpty: isBoolean },
  file: { dir: isString, extensions: isStringList },
}
const DATA_DECLARATION: Record<string, Check> = {
  from: isRefOrChain,
  optional: isBoolean,
  default: isString,
  sensitive: isBoolean,
  description: isString,
}

/**
 * Every issue in a parsed config, unknown keys included. Data files are checked strictly;
 * code files may hold provider objects, schemas and other values only core can judge.
 */
export function validateConfig(config: unknown, format: ConfigFormat): ConfigIssue[] {
  const issues: ConfigIssue[] = []
  const issue = (path: (string | number)[], message: string) => issues.push({ path, message })
  if (!isObject(config)) {
    issue(
      [],
      format === 'js'
        ? 'the default export must be an object (use defineConfig({ … }))'
        : 'expected an object',
    )
    return issues
  }
  const allowed = format === 'js' ? TOP_LEVEL : ['$schema', ...TOP_LEVEL]
  unknownKeys(config, allowed, [], issue)
  if (config.providers !== undefined) {
    if (!isObject(config.providers)) issue(['providers'], 'expected an object of providers by name')
    else {
      for (const [name, spec] of Object.entries(config.providers)) {
        if (format === 'js' && isObject(spec) && typeof spec.get === 'function') continue
        checkProviderSpec(name, spec, issue)
      }
    }
  }
  if (config.secrets !== undefined) {
    if (!isObject(config.secrets)) issue(['secrets'], 'expected an object of secrets by name')
    else {
      for (const [name, declaration] of Object.entries(config.secrets)) {
        if (name === '' || name.includes('=') || name.includes('\0')) {
          issue(
            ['secrets', name],
            `secret name ${JSON.stringify(name)} cannot be an environment variable name`,
          )
        }
        // Core checks code-file declarations (schemas, binary, defaults of any type).
        if (format !== 'js') checkDeclaration(['secrets', name], declaration, issue)
      }
    }
  }
  // Each section's checks are built only when the section is there (this runs at every start).
  checkSection(
    config,
    'cache',
    () => ({ ...durations(CACHE_DURATIONS), refresh: oneOf('background', 'lazy') }),
    issue,
  )
  checkSection(config, 'retry', () => ({ ...durations(RETRY_DURATIONS), attempts: isNumber }), issue)
  checkSection(config, 'preload', () => ({ refresh: isBoolean }), issue)
  return issues
}

function checkProviderSpec(
  name: string,
  spec: unknown,
  issue: (path: (string | number)[], message: string) => void,
) {
  const path = ['providers', name]
  if (!isObject(spec)) {
    issue(path, `provider "${name}" must be an object with a "type" (${PROVIDER_TYPES.join(', ')})`)
    return
  }
  if (!(PROVIDER_TYPES as readonly unknown[]).includes(spec.type)) {
    issue(
      spec.type === undefined ? path : [...path, 'type'],
      spec.type === undefined
        ? `provider "${name}" has no "type" (one of ${PROVIDER_TYPES.join(', ')})`
        : `provider "${name}" has unknown type ${JSON.stringify(spec.type)} (one of ${PROVIDER_TYPES.join(', ')})`,
    )
    return
  }
  const options = CORE_PROVIDER_OPTIONS[spec.type as string]
  if (options === undefined) return
  unknownKeys(spec, ['type', ...Object.keys(options)], path, issue)
  checkValues(spec, options, path, issue)
}

function checkDeclaration(
  path: (string | number)[],
  declaration: unknown,
  issue: (path: (string | number)[], message: string) => void,
) {
  if (isRefOrChain(declaration)) return
  if (!isObject(declaration)) {
    issue(
      path,
      `secret "${path.at(-1)}" must be a reference, a non-empty list of references, or { "from": … }`,
    )
    return
  }
  if (declaration.from === undefined) issue(path, `secret "${path.at(-1)}" has no "from" reference`)
  unknownKeys(declaration, Object.keys(DATA_DECLARATION), path, issue)
  checkValues(declaration, DATA_DECLARATION, path, issue)
}

function checkSection(
  config: Record<string, unknown>,
  key: string,
  checks: () => Record<string, Check>,
  issue: (path: (string | number)[], message: string) => void,
) {
  const section = config[key]
  if (section === undefined) return
  const fields = checks()
  if (!isObject(section)) {
    issue([key], 'expected an object')
    return
  }
  unknownKeys(section, Object.keys(fields), [key], issue)
  checkValues(section, fields, [key], issue)
}

function unknownKeys(
  object: Record<string, unknown>,
  allowed: readonly string[],
  path: (string | number)[],
  issue: (path: (string | number)[], message: string) => void,
) {
  for (const key of Object.keys(object)) {
    if (!allowed.includes(key)) {
      issue([...path, key], `unknown key "${key}" ${describePath(path)} (allowed: ${allowed.join(', ')})`)
    }
  }
}

function checkValues(
  object: Record<string, unknown>,
  fields: Record<string, Check>,
  path: (string | number)[],
  issue: (path: (string | number)[], message: string) => void,
) {
  for (const [key, check] of Object.entries(fields)) {
    const value = object[key]
    if (value !== undefined && !check(value)) {
      issue([...path, key], `${[...path, key].join('.')} must be ${check.expected ?? check.name}`)
    }
  }
}

function durations(keys: readonly string[]): Record<string, Check> {
  return Object.fromEntries(keys.map((key) => [key, isDuration]))
}

function oneOf(...values: string[]): Check {
  return Object.assign((value: unknown) => values.includes(value as string), {
    expected: values.map((value) => JSON.stringify(value)).join(' or '),
  })
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

function isRefOrChain(value: unknown): boolean {
  return (
    typeof value === 'string' ||
    (Array.isArray(value) && value.length > 0 && value.every((item) => typeof item === 'string'))
  )
}
isRefOrChain.expected = 'a reference or a non-empty list of references'
