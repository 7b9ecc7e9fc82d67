import { type ChildProcess, execFileSync, spawn } from 'node:child_process'

/** What a child process wrote, each stream on its own. */
export interface ProcessOutput {
  stdout: string
  stderr: string
}

export interface NodeProcessOptions {
  /** The script to run (absolute, or relative to `cwd`). */
  entry: string
  /**
   * Environment of the child, over a bare base: the parent's `PATH`, `PORT=0` (a free port) and
   * `HOST=127.0.0.1`. Nothing else is inherited, so no secret reaches the child by accident.
   */
  env?: Record<string, string>
  /** Node binary. @default process.execPath */
  node?: string
  /** Working directory. @default process.cwd() */
  cwd?: string
  /** How long the app may take to listen, or to exit for {@link runToExit}. @default 20_000 */
  timeoutMs?: number
}

export interface StartAppOptions extends NodeProcessOptions {
  /**
   * A complete stdout line matching this means the app listens; group 1 is its URL.
   * @default /listening (?:on|at) (http:\/\/127\.0\.0\.1:\d+)/ — Express, tRPC, Nest and Fastify's own line
   */
  listening?: RegExp
}

export interface RunningApp {
  /** `http://127.0.0.1:<port>`, from the app's own "listening" line. */
  readonly url: string
  readonly child: ChildProcess
  /** Everything the process wrote so far; complete once {@link RunningApp.stop} resolved. */
  output(): ProcessOutput
  /** SIGTERM (SIGKILL after 10 s), then the exit code once the streams have closed. */
  stop(): Promise<number | null>
}

export interface ExitedApp extends ProcessOutput {
  code: number | null
  signal: NodeJS.Signals | null
}

const LISTENING = /listening (?:on|at) (http:\/\/127\.0\.0\.1:\d+)/
const STOP_GRACE_MS = 10_000

function childEnv(env: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', ...env }
}

function spawnNode(options: NodeProcessOptions) {
  const child = spawn(options.node ?? process.execPath, [options.entry], {
    cwd: options.cwd,
    env: childEnv(options.env),
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const output: ProcessOutput = { stdout: '', stderr: '' }
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    output.stdout += chunk
  })
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    output.stderr += chunk
  })
  // 'close', not 'exit': the output is complete once both streams have ended.
  const closed = new Promise<ExitedApp>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal, ...output })),
  )
  return { child, output, closed }
}

/**
 * Runs `node <entry>` on a free loopback port and resolves once a complete stdout line says
 * where it listens. Rejects — with the code and output — when it exits first or stays silent
 * past the timeout (and then kills it).
 *
 * @example
 * const app = await startApp({ entry: 'dist/main.js', env: { SECRETS_DIR: dir } })
 * await fetch(`${app.url}/health`)
 * expect(await app.stop()).toBe(0)
 */
export async function startApp(options: StartAppOptions): Promise<RunningApp> {
  const { child, output, closed } = spawnNode(options)
  const pattern = options.listening ?? LISTENING
  const timeoutMs = options.timeoutMs ?? 20_000
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`${options.entry}: no "listening" line within ${timeoutMs} ms\n${describe(output)}`))
    }, timeoutMs)
    const check = () => {
      // Only complete lines: a chunk may end halfway through the port number.
      const lines = output.stdout.slice(0, output.stdout.lastIndexOf('\n') + 1)
      const match = pattern.exec(lines)
      if (match?.[1] === undefined) return
      clearTimeout(timer)
      child.stdout.off('data', check)
      resolve(match[1])
    }
    child.stdout.on('data', check)
    void closed.then(({ code, signal }) => {
      clearTimeout(timer)
      reject(new Error(`${options.entry} exited (${code ?? signal}) before listening\n${describe(output)}`))
    })
  })
  return {
    url,
    child,
    output: () => ({ ...output }),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS)
      const { code } = await closed
      clearTimeout(timer)
      return code
    },
  }
}

/**
 * Runs `node <entry>` until it exits (for start-up failures); killed past the timeout.
 *
 * @example
 * const { code, stderr } = await runToExit({ entry: 'dist/main.js', env: {} })
 */
export async function runToExit(options: NodeProcessOptions): Promise<ExitedApp> {
  const { child, closed } = spawnNode(options)
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 20_000)
  const exited = await closed
  clearTimeout(timer)
  return exited
}

/** Runs `node <args>` synchronously in `cwd` and returns its trimmed stdout (throws on a non-zero exit). */
export function runNode(cwd: string, args: string[]): string {
  return execFileSync(process.execPath, args, { cwd, encoding: 'utf8' }).trim()
}

/**
 * `typeof` of each named export of `specifier`, loaded from `cwd` through `require()` or
 * `import`: the check that a built package loads from CommonJS and from ESM.
 *
 * @example
 * expect(exportTypes(packageDir, '@secretkit/express', ['attachSecrets'], 'require')).toEqual(['function'])
 */
export function exportTypes(
  cwd: string,
  specifier: string,
  names: readonly string[],
  loader: 'require' | 'import',
): string[] {
  const list = JSON.stringify(names)
  const source = JSON.stringify(specifier)
  const script =
    loader === 'require'
      ? `const kit = require(${source}); console.log(JSON.stringify(${list}.map((name) => typeof kit[name])))`
      : `const kit = await import(${source}); console.log(JSON.stringify(${list}.map((name) => typeof kit[name])))`
  return JSON.parse(
    runNode(cwd, loader === 'require' ? ['-e', script] : ['--input-type=module', '-e', script]),
  )
}

function describe({ stdout, stderr }: ProcessOutput): string {
  return `--- stdout ---\n${stdout}--- stderr ---\n${stderr}`
}
