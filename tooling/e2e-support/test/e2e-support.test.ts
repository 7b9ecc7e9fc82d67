import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { E2eScope, exportTypes, leaksOf, poll, runToExit, startApp } from '../src/index.js'

const scope = new E2eScope()
afterEach(() => scope.close())

async function script(source: string): Promise<string> {
  const folder = await scope.tempDir({ files: { 'app.mjs': source } })
  return join(folder.dir, 'app.mjs')
}

describe('startApp', () => {
  it('waits for the complete "listening" line, captures output, stops with SIGTERM', async () => {
    const entry = await script(`
      process.stdout.write('app listening on http://127.0.0.1:12')
      setTimeout(() => process.stdout.write('34\\n'), 150)
      console.error('port is ' + process.env.PORT + ', host ' + process.env.HOST + ', home ' + process.env.HOME)
      const timer = setInterval(() => {}, 1000)
      process.once('SIGTERM', () => { console.log('bye'); clearInterval(timer) })
    `)
    const app = await scope.startApp({ entry })
    expect(app.url).toBe('http://127.0.0.1:1234')
    expect(await app.stop()).toBe(0)
    expect(app.output().stdout).toContain('bye')
    expect(app.output().stderr).toContain('port is 0, host 127.0.0.1, home undefined')
  })

  it('rejects with the exit code and output when the app exits first; runToExit reports it', async () => {
    const entry = await script(`console.error('no key'); process.exit(3)`)
    await expect(startApp({ entry })).rejects.toThrow(/exited \(3\) before listening[\s\S]*no key/)
    expect(await runToExit({ entry })).toEqual({ code: 3, signal: null, stdout: '', stderr: 'no key\n' })
  })
})

describe('checks', () => {
  it('leaksOf names the places and encodings a secret shows up in, never the secret', () => {
    const secret = 'canary e2e/support'
    const leaks = leaksOf(secret, {
      body: `{"k":"${secret}"}`,
      stdout: `url=${encodeURIComponent(secret)}`,
      stderr: Buffer.from(secret).toString('base64'),
      clean: 'nothing here',
      missing: undefined,
    })
    expect(leaks).toEqual(['body (as written)', 'stdout (URL-encoded)', 'stderr (base64)'])
    expect(leaks.join()).not.toContain(secret)
  })

  it('poll stops when done or after a bounded number of reads', async () => {
    let reads = 0
    expect(
      await poll(
        async () => ++reads,
        (n) => n === 3,
        { intervalMs: 1 },
      ),
    ).toBe(3)
    reads = 0
    expect(
      await poll(
        async () => ++reads,
        () => false,
        { attempts: 5, intervalMs: 1 },
      ),
    ).toBe(5)
  })

  it('exportTypes loads a module through require() and import', () => {
    expect(exportTypes(process.cwd(), 'node:path', ['join', 'nope'], 'require')).toEqual([
      'function',
      'undefined',
    ])
    expect(exportTypes(process.cwd(), 'node:path', ['join'], 'import')).toEqual(['function'])
  })
})
