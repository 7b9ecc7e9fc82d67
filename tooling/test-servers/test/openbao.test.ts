import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type OpenBaoServer, openBaoAvailability, startOpenBao } from '../src/index.js'

const bao = openBaoAvailability()

describe.skipIf(!bao.available)(`OpenBao dev server ${bao.reason}`, () => {
  let server: OpenBaoServer
  const kv = (path: string, init: RequestInit = {}) =>
    fetch(`${server.address}/v1/secret/data/${path}`, {
      ...init,
      headers: { 'X-Vault-Token': server.rootToken, 'content-type': 'application/json' },
    })

  beforeAll(async () => {
    server = await startOpenBao()
  })
  afterAll(() => server?.stop())

  it('writes and reads a KV v2 secret with versions', async () => {
    expect(
      (await kv('app', { method: 'POST', body: JSON.stringify({ data: { password: 'p1' } }) })).status,
    ).toBe(200)
    expect(
      (await kv('app', { method: 'POST', body: JSON.stringify({ data: { password: 'p2' } }) })).status,
    ).toBe(200)
    const read = (await (await kv('app')).json()) as {
      data: { data: { password: string }; metadata: { version: number } }
    }
    expect(read.data.data.password).toBe('p2')
    expect(read.data.metadata.version).toBe(2)
  })

  it('stop() refuses connections; restart() comes back on the same port, empty', async () => {
    await kv('before-restart', { method: 'POST', body: JSON.stringify({ data: { k: 'v' } }) })
    await server.stop()
    await expect(fetch(`${server.address}/v1/sys/health`)).rejects.toThrow()
    await server.restart()
    expect((await fetch(`${server.address}/v1/sys/health`)).status).toBe(200)
    expect((await kv('before-restart')).status).toBe(404)
  })
})
