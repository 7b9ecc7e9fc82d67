import { type ChildProcess, spawn } from 'node:child_process'
import { setTimeout as sleep } from 'node:timers/promises'

// Every peer we spawn is tracked so a crashing or forgetful test run never leaves servers behind.
const liveChildren = new Set<ChildProcess>()
let exitHookInstalled = false

function installExitHook(): void {
  if (exitHookInstalled) return
  exitHookInstalled = true
  process.once('exit', () => {
    for (const child of liveChildren) child.kill('SIGKILL')
  })
}

export interface ManagedChild {
  readonly child: ChildProcess
  /** Last few KB of stdout+stderr, with lines mentioning tokens/keys dropped (startup errors only). */
  outputTail(): string
  exited(): boolean
  stop(): Promise<void>
}

export function spawnManaged(
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string } = {},
): ManagedChild {
  installExitHook()
  const child = spawn(command, args, {
    env: options.env ?? process.env,
    cwd: options.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  liveChildren.add(child)
  let tail = ''
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-4096)
  }
  child.stdout?.on('data', keep)
  child.stderr?.on('data', keep)
  let hasExited = false
  const exitPromise = new Promise<void>((resolve) => {
    child.once('exit', () => {
      hasExited = true
      liveChildren.delete(child)
      resolve()
    })
    child.once('error', (error) => {
      tail += `\nspawn error: ${error.message}`
      hasExited = true
      liveChildren.delete(child)
      resolve()
    })
  })
  return {
    child,
    outputTail: () =>
      tail
        .split('\n')
        .filter((line) => !/token|key/i.test(line))
        .join('\n'),
    exited: () => hasExited,
    async stop() {
      if (hasExited) return
      child.kill('SIGTERM')
      const timedOut = await Promise.race([exitPromise.then(() => false), sleep(5000).then(() => true)])
      if (timedOut) {
        child.kill('SIGKILL')
        await exitPromise
      }
    },
  }
}

/** Polls `probe` until it returns true; fails early with the child's output if the child died. */
export async function waitUntilHealthy(
  name: string,
  managed: ManagedChild,
  probe: () => Promise<boolean>,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (managed.exited()) throw new Error(`${name} exited during startup:\n${managed.outputTail()}`)
    if (await probe().catch(() => false)) return
    await sleep(100)
  }
  await managed.stop()
  throw new Error(`${name} not healthy after ${timeoutMs} ms:\n${managed.outputTail()}`)
}

/** Probe helper: true when GET/POST `url` answers with one of `okStatuses`. */
export async function httpAnswers(url: string, okStatuses: number[] = [200]): Promise<boolean> {
  const response = await fetch(url, { signal: AbortSignal.timeout(2000) })
  await response.body?.cancel()
  return okStatuses.includes(response.status)
}
