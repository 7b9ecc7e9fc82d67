import { httpAnswers, spawnManaged, waitUntilHealthy } from './child-process.js'
import { freePort } from './free-port.js'
import { motoServerBin } from './peers.js'

export interface MotoServer {
  /** e.g. `http://127.0.0.1:54321` — pass as `endpoint` to the AWS SDK clients. */
  readonly endpoint: string
  readonly port: number
  /** Region and dummy credentials moto accepts (it never checks signatures). */
  readonly region: string
  readonly credentials: { accessKeyId: string; secretAccessKey: string }
  /** Drops all state (secrets, parameters) — call in `beforeEach` for isolation. */
  reset(): Promise<void>
  stop(): Promise<void>
}

/**
 * Starts `moto_server` (AWS Secrets Manager + SSM and more) on a free loopback port.
 * moto does not count requests: count calls with SDK middleware (see README).
 */
export async function startMoto(): Promise<MotoServer> {
  const port = await freePort()
  const endpoint = `http://127.0.0.1:${port}`
  const managed = spawnManaged(motoServerBin, ['-H', '127.0.0.1', '-p', String(port)], {
    // Keep moto from looking for real AWS config on the developer's machine.
    env: { ...process.env, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing' },
  })
  await waitUntilHealthy('moto_server', managed, () => httpAnswers(`${endpoint}/moto-api/`))
  return {
    endpoint,
    port,
    region: 'us-east-1',
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    async reset() {
      const response = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' })
      await response.body?.cancel()
      if (!response.ok) throw new Error(`moto reset failed: HTTP ${response.status}`)
    },
    stop: () => managed.stop(),
  }
}
