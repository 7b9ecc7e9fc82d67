import { rmSync } from 'node:fs'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { httpAnswers, type ManagedChild, spawnManaged, waitUntilHealthy } from './child-process.js'
import { freePort } from './free-port.js'
import { baoBin } from './peers.js'

export interface OpenBaoServer {
  /** e.g. `http://127.0.0.1:54321` — the `VAULT_ADDR`/`endpoint` for clients. */
  readonly address: string
  readonly port: number
  /** Fixed dev root token (a test value, not a secret). */
  readonly rootToken: string
  /** Stops the server; `address` refuses connections until `restart()`. */
  stop(): Promise<void>
  /**
   * Starts it again on the same port. The dev server keeps everything in memory, so a
   * restart comes back EMPTY (same root token, default `secret/` KV v2 mount, no data).
   */
  restart(): Promise<void>
}

const ROOT_TOKEN = 'secretkit-dev-root'

/** Starts `bao server -dev` (in-memory, unsealed, KV v2 at `secret/`) on a free loopback port. */
export async function startOpenBao(): Promise<OpenBaoServer> {
  const port = await freePort()
  const address = `http://127.0.0.1:${port}`
  // Temp HOME: the bao CLI writes a token helper file (~/.vault-token) we must not clobber.
  const home = await mkdtemp(join(tmpdir(), 'secretkit-bao-'))
  process.once('exit', () => rmSync(home, { recursive: true, force: true }))
  let managed: ManagedChild | undefined

  const launch = async () => {
    managed = spawnManaged(
      baoBin,
      ['server', '-dev', `-dev-root-token-id=${ROOT_TOKEN}`, `-dev-listen-address=127.0.0.1:${port}`],
      { env: { ...process.env, HOME: home, BAO_ADDR: address, VAULT_ADDR: address }, cwd: home },
    )
    // 200 = initialized, unsealed, active.
    await waitUntilHealthy('bao server -dev', managed, () => httpAnswers(`${address}/v1/sys/health`))
  }
  await launch()

  return {
    address,
    port,
    rootToken: ROOT_TOKEN,
    async stop() {
      await managed?.stop()
      managed = undefined
    },
    async restart() {
      await managed?.stop()
      await launch()
    },
  }
}
