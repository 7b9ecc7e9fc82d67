import { createConnection } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RedisServer, redisAvailability, redisCommand, startRedis } from '../src/index.js'

const redis = redisAvailability()

describe.skipIf(!redis.available)(`redis-server ${redis.reason}`, () => {
  let server: RedisServer
  beforeAll(async () => {
    server = await startRedis()
  })
  afterAll(() => server?.stop())

  it('answers PING over a raw TCP socket', async () => {
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = createConnection({ host: '127.0.0.1', port: server.port }, () =>
        socket.write('PING\r\n'),
      )
      socket.once('error', reject)
      socket.once('data', (chunk) => {
        socket.end()
        resolve(chunk.toString('utf8'))
      })
    })
    expect(reply).toBe('+PONG\r\n')
  })

  it('reset() flushes keys; persistence is off', async () => {
    expect(await redisCommand(server.port, 'SET k v')).toBe('+OK')
    await server.reset()
    expect(await redisCommand(server.port, 'EXISTS k')).toBe(':0')
    expect(await redisCommand(server.port, 'CONFIG GET appendonly')).toBe('*2')
  })
})
