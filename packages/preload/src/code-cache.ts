import type { PreloadOutcome } from './preload.js'

/**
 * Runs the hook script with a V8 code cache of itself.
 *
 * Most of what the hook costs a process is V8 parsing and compiling its code, which runs once
 * per process. The cache holds that code compiled (bytecode of secretkit's own functions, no
 * runtime values), so later starts skip the work. It is written after a run, when the
 * functions that run have been compiled, and only when the cache is missing, was rejected
 * (another Node or V8 flags), or lacks the way the hook went this time.
 *
 * Node's compile cache (`module.enableCompileCache`) is not used: it keeps only what is
 * compiled when a module loads, and it would turn caching on for the app's modules too.
 */

// Builtins loaded with Node itself; getBuiltinModule avoids an ES facade over all of fs.
const fs = process.getBuiltinModule('node:fs')
const { Script } = process.getBuiltinModule('node:vm')

/** `SECRETKIT_CODE_CACHE=off` turns the cache off. */
export const CODE_CACHE_ENV = 'SECRETKIT_CODE_CACHE'
/** Folder for the cache instead of `.cache` in the package (it must be writable only by trusted users). */
export const CODE_CACHE_DIR_ENV = 'SECRETKIT_CODE_CACHE_DIR'

/** One bit per way the hook can go; the cache file's first byte says which it has seen. */
const OUTCOME_BITS: Readonly<Record<PreloadOutcome, number>> = { nothing: 1, sync: 2, store: 4 }
const ALL_OUTCOMES = 7

/** What the hook script evaluates to. */
type HookFactory = (importModule: (specifier: string) => Promise<unknown>) => {
  preload(): Promise<PreloadOutcome>
}

export interface HookScript {
  /** Absolute path of the built script. */
  file: string
  /** A digest of its content, so that a cache never meets another build's script. */
  id: string
  /** Where the cache goes unless {@link CODE_CACHE_DIR_ENV} says otherwise. */
  defaultCacheDir: string
  /** Resolves the script's dynamic imports as an ES module next to it would. */
  importModule: (specifier: string) => Promise<unknown>
}

/**
 * Compiles and runs the hook (from the cache when there is a good one), then updates the cache.
 * One function on purpose: this module is compiled at every start, and each function it
 * calls the first time is compiled then.
 */
export async function runHook(hook: HookScript): Promise<void> {
  const setting = process.env[CODE_CACHE_ENV]
  const off = setting !== undefined && ['off', '0', 'false'].includes(setting.toLowerCase())
  // V8 also checks its version and flags; they are in the name so that installs shared by
  // several Node versions keep one cache each.
  const cacheFile = off
    ? undefined
    : `${process.env[CODE_CACHE_DIR_ENV] || hook.defaultCacheDir}/hook-${hook.id}-${process.versions.v8}-${process.arch}.bin`
  let cached: Buffer | undefined
  try {
    if (cacheFile !== undefined) cached = fs.readFileSync(cacheFile)
  } catch {
    // No cache yet.
  }
  // The first byte says which ways the hook went when the cache was made.
  const cachedOutcomes = cached !== undefined && cached.length > 1 ? (cached[0] ?? 0) : 0
  const usable = cachedOutcomes > 0 && cachedOutcomes <= ALL_OUTCOMES
  const script = new Script(fs.readFileSync(hook.file, 'utf8'), {
    filename: hook.file,
    ...(usable ? { cachedData: cached?.subarray(1) } : {}),
  })
  const factory = script.runInThisContext() as HookFactory
  const outcome = await factory(hook.importModule).preload()
  if (cacheFile === undefined) return
  const seen = usable && script.cachedDataRejected !== true ? cachedOutcomes : 0
  const outcomes = seen | OUTCOME_BITS[outcome]
  if (outcomes !== seen) writeCache(cacheFile, outcomes, script)
}

/**
 * Best effort: a read-only install runs without a cache. The folder is checked before the
 * cache is serialised, so such an install pays a failed mkdir/access per start, not the
 * serialisation. Written to a temporary file and renamed, so a concurrent start never reads
 * half a cache.
 */
function writeCache(file: string, outcomes: number, script: InstanceType<typeof Script>): void {
  const dir = file.slice(0, file.lastIndexOf('/'))
  // Processes in containers sharing the folder may have the same pid: hence the random part,
  // and `wx`, which fails rather than write into another process's file.
  const temporary = `${file}.${process.pid}-${Math.random().toString(36).slice(2)}.tmp`
  try {
    fs.mkdirSync(dir, { recursive: true })
    fs.accessSync(dir, fs.constants.W_OK)
    fs.writeFileSync(temporary, Buffer.concat([Buffer.of(outcomes), script.createCachedData()]), {
      flag: 'wx',
    })
    fs.renameSync(temporary, file)
  } catch (error) {
    // Not another process's file: wx refused to open that.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return
    try {
      fs.rmSync(temporary, { force: true })
    } catch {
      // Nothing was written.
    }
  }
}
