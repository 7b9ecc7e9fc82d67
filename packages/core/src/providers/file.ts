import { extname, relative, resolve, sep } from 'node:path'
import {
  ProviderUnavailableError,
  SecretAccessDeniedError,
  SecretConfigError,
  SecretNotFoundError,
  SecretValidationError,
} from '../errors.js'
import type { ProviderResult, SecretProvider, TenantCandidate } from '../provider.js'

export interface FileProviderOptions {
  /** Folder the references are relative to; nothing outside it is read. @default '/secrets' (seed 003) */
  dir?: string
  /** Extensions tried, in order, when a reference names a file without one. @default ['.json', '.env', '.txt', '.key'] */
  extensions?: readonly string[]
}

export const FILE_PROVIDER_NAME = 'file'

// node:fs (loaded with Node itself) through getBuiltinModule, rather than an import of
// node:fs/promises or node:fs: that import costs every process that loads secretkit — the
// preload hook included — a module load or an ES facade over all of fs at start-up.
const fs = process.getBuiltinModule('node:fs')
const DEFAULT_EXTENSIONS = ['.json', '.env', '.txt', '.key'] as const
/**
 * Largest file `getSync()` reads; larger files, and anything that is not a regular file
 * (a FIFO, a device), are left to `get()`.
 */
export const MAX_SYNC_FILE_BYTES = 64 * 1024
/** `getSync()` met a file it leaves to `get()`. */
const NOT_SYNC = Symbol('not sync')

/**
 * Secrets in files. `file://db.env#DB_PASSWORD` reads `{dir}/db.env`; `.json` and `.env` files
 * are parsed (so `#field` picks a key), other files are read as trimmed text. Tenant lookups
 * read `{dir}/{tenant}/{name}.json|.env|.txt|.key` (seed 003).
 *
 * @example
 * createSecrets({ providers: { file: fileProvider({ dir: './secrets' }) }, secrets: { stripe: 'file://stripe.json#api_key' } })
 */
export function fileProvider(options: FileProviderOptions = {}): SecretProvider {
  const dir = resolve(options.dir ?? '/secrets')
  const extensions = options.extensions ?? DEFAULT_EXTENSIONS
  const candidatesOf = (path: string): string[] => {
    const base = insideDir(dir, path)
    return extname(base) === '' ? extensions.map((extension) => base + extension) : [base]
  }
  const notFound = (candidates: readonly string[]) =>
    new SecretNotFoundError(`no file at ${candidates.map((file) => relative(dir, file)).join(' or ')}`, {
      provider: FILE_PROVIDER_NAME,
      hint: `create it under ${dir}, or point fileProvider({ dir }) at the right folder`,
    })
  return {
    name: FILE_PROVIDER_NAME,
    async get({ path }) {
      const candidates = candidatesOf(path)
      for (const file of candidates) {
        const result = await readSecretFile(file)
        if (result !== undefined) return result
      }
      throw notFound(candidates)
    },
    // Blocks the thread for a stat and a read of at most MAX_SYNC_FILE_BYTES per candidate;
    // a hung network file system blocks it for as long.
    getSync({ path }) {
      const candidates = candidatesOf(path)
      for (const file of candidates) {
        const result = readSecretFileSync(file)
        if (result === NOT_SYNC) return undefined
        if (result !== undefined) return result
      }
      throw notFound(candidates)
    },
    tenantCandidates(tenant, name): TenantCandidate[] {
      return [{ path: `${tenant}/${name}` }]
    },
  }
}

function insideDir(dir: string, path: string): string {
  const file = resolve(dir, path)
  // Both are resolved, so a prefix test is a containment test (path.relative would say the
  // same, but its first call costs a preload start a sixth of a millisecond).
  if (!file.startsWith(dir.endsWith(sep) ? dir : dir + sep)) {
    throw new SecretConfigError(`file path "${path}" points outside the secrets folder`, {
      provider: FILE_PROVIDER_NAME,
      hint: `references are relative to ${dir}; set fileProvider({ dir }) to the folder that holds the file`,
    })
  }
  return file
}

/** The parsed file, or `undefined` when it does not exist. */
async function readSecretFile(file: string): Promise<ProviderResult | undefined> {
  let text: string
  let version: string
  try {
    const [content, mtimeMs] = await Promise.all([readText(file), modifiedAt(file)])
    text = content
    version = String(mtimeMs)
  } catch (error) {
    return failure(error, file)
  }
  return parseSecretFile(file, text, version)
}

/** {@link readSecretFile} without waiting, or {@link NOT_SYNC} for a file left to it. */
function readSecretFileSync(file: string): ProviderResult | undefined | typeof NOT_SYNC {
  let text: string
  let version: string
  try {
    const stats = fs.statSync(file)
    if (!stats.isFile() || stats.size > MAX_SYNC_FILE_BYTES) return NOT_SYNC
    text = fs.readFileSync(file, 'utf8')
    version = String(stats.mtimeMs)
  } catch (error) {
    return failure(error, file)
  }
  return parseSecretFile(file, text, version)
}

function parseSecretFile(file: string, text: string, version: string): ProviderResult {
  const extension = extname(file)
  if (extension === '.json') {
    let parsed: unknown
    try {
      parsed = JSON.parse(text)
    } catch {
      // The parse error quotes the file's content: drop it.
      throw new SecretValidationError(`${file} is not valid JSON`, {
        provider: FILE_PROVIDER_NAME,
        hint: 'fix the JSON syntax, or rename the file to .txt to read it as text',
      })
    }
    const fields =
      parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
        ? Object.fromEntries(
            Object.entries(parsed).map(([key, value]) => [
              key,
              typeof value === 'string' ? value : JSON.stringify(value),
            ]),
          )
        : undefined
    return { value: text.trim(), version, ...(fields ? { fields } : {}) }
  }
  // Node's own parser, the one behind `node --env-file`.
  if (extension === '.env')
    return {
      value: text,
      version,
      fields: process.getBuiltinModule('node:util').parseEnv(text) as Record<string, string>,
    }
  return { value: text.trim(), version }
}

function readText(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    fs.readFile(file, 'utf8', (error, text) => (error ? reject(error) : resolve(text)))
  })
}

function modifiedAt(file: string): Promise<number> {
  return new Promise((resolve, reject) => {
    fs.stat(file, (error, stats) => (error ? reject(error) : resolve(stats.mtimeMs)))
  })
}

function failure(error: unknown, file: string): undefined {
  const code = (error as NodeJS.ErrnoException).code
  if (code === 'ENOENT' || code === 'ENOTDIR') return undefined
  if (code === 'EACCES' || code === 'EPERM') {
    throw new SecretAccessDeniedError(`permission denied reading ${file}`, {
      provider: FILE_PROVIDER_NAME,
      hint: 'make the file readable by the user running the app (e.g. chown to that user, chmod 600)',
    })
  }
  if (code === 'EISDIR') {
    throw new SecretConfigError(`${file} is a directory, not a secret file`, {
      provider: FILE_PROVIDER_NAME,
      hint: 'reference a file inside it',
    })
  }
  throw new ProviderUnavailableError(`could not read ${file} (${code ?? 'unknown error'})`, {
    provider: FILE_PROVIDER_NAME,
    retryable: code === 'EMFILE' || code === 'ENFILE' || code === 'EIO' || code === 'EAGAIN',
  })
}

export default fileProvider
