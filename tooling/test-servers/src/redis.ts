import { createConnection } from 'node:net'
import { type ManagedChild, spawnManaged, waitUntilHealthy } from './child-process.js'
import { freePort } from './free-port.js'
import { redisServerBin } from './peers.js'

export interface RedisServer {
  readonly host: '127.0.0.1'
  readonly port: number
  /** `redis://127.0.0.1:<port>` */
  readonly url: string
  /** FLUSHALL — call in `beforeEach` for isolation. */
  reset(): Promise<void>
  stop(): Promise<void>
}

/** Sends one inline command and resolves with the first reply line (e.g. `+PONG`). */
export function redisCommand(port: number, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: '127.0.0.1', port })
    socket.setTimeout(2000, () => socket.destroy(new Error('redis command timed out')))
    let reply = ''
    socket.once('error', reject)
    socket.on('data', (chunk) => {
      reply += chunk.toString('utf8')
      const end = reply.indexOf('\r\n')
      if (end >= 0) {
        socket.end()
        resolve(reply.slice(0, end))
      }
    })
    socket.write(`${command}\r\n`)
  })
}

/** Starts redis-server on a free loopback port with persistence off (no RDB, no AOF). */
export async function startRedis(): Promise<RedisServer> {
  const bin = redisServerBin()
  if (!bin) throw new Error('redis-server is not installed — run tooling/test-servers/install.sh')
  const port = await freePort()
  const managed: ManagedChild = spawnManaged(bin, [
    '--bind',
    '127.0.0.1',
    '--port',
    String(port),
    '--save',
    '',
    '--appendonly',
    'no',
    '--protected-mode',
    'yes',
  ])
  await waitUntilHealthy('redis-server', managed, async () => (await redisCommand(port, 'PING')) === '+PONG')
  return {
    host: '127.0.0.1',
    port,
    url: `redis://127.0.0.1:${port}`,
    async reset() {
      const reply = await redisCommand(port, 'FLUSHALL')
      if (reply !== '+OK') throw new Error(`redis FLUSHALL failed: ${reply}`)
    },
    stop: () => managed.stop(),
  }
}
