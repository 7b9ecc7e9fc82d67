import { type RunningApp, type StartAppOptions, startApp } from './app-process.js'
import { type TempDir, type TempDirOptions, tempDir } from './files.js'

/**
 * What one test starts and creates, undone together afterwards (last first): apps are
 * stopped, temp folders removed.
 *
 * @example
 * const scope = new E2eScope()
 * afterEach(() => scope.close())
 * const secrets = await scope.tempDir({ files: { 'webhook-key.txt': CANARY } })
 * const app = await scope.startApp({ entry: 'dist/main.js', env: { SECRETS_DIR: secrets.dir } })
 */
export class E2eScope {
  readonly #steps: (() => unknown)[] = []

  /** Runs `step` when the scope closes. */
  defer(step: () => unknown): void {
    this.#steps.push(step)
  }

  /** {@link startApp}, stopped when the scope closes. */
  async startApp(options: StartAppOptions): Promise<RunningApp> {
    const app = await startApp(options)
    this.defer(() => app.stop())
    return app
  }

  /** {@link tempDir}, removed when the scope closes. */
  async tempDir(options?: TempDirOptions): Promise<TempDir> {
    const folder = await tempDir(options)
    this.defer(folder.remove)
    return folder
  }

  /** Undoes everything, last first. */
  async close(): Promise<void> {
    for (const step of this.#steps.splice(0).reverse()) await step()
  }
}
