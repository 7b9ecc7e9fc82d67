import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { once } from 'node:events'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { scratchTree } from '@secretkit/e2e-support'
import { describe, expect, it } from 'vitest'

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url))
const CANARY = 'canary-64be09c3-cli-do-not-leak'

function folder(files: Record<string, string> = {}): string {
  return scratchTree(files, { prefix: 'secretkit-cli-' })
}

interface Result {
  code: number
  stdout: string
  stderr: string
}

function secretkit(cwd: string, args: string[], env: Record<string, string> = {}): Promise<Result> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [cli, ...args],
      { cwd, env: { PATH: process.env.PATH ?? '', ...env }, timeout: 20_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    )
  })
}

async function waitFor(child: ChildProcess, text: string): Promise<void> {
  let output = ''
  for await (const chunk of child.stdout!) {
    output += String(chunk)
    if (output.includes(text)) return
  }
  throw new Error(`the child ended without printing ${text}`)
}

describe('secretkit', () => {
  it('prints help, and exits 2 on an unknown command or option', async () => {
    const dir = folder()
    const help = await secretkit(dir, ['--help'])
    expect(help.code).toBe(0)
    expect(help.stdout).toContain('secretkit run [--config <file>] -- <command> [args…]')
    expect(help.stdout).toContain('secretkit check [--config <file>] [--json]')
    expect(await secretkit(dir, ['deploy'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('unknown command "deploy"'),
    })
    expect(await secretkit(dir, ['check', '--jsn'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining("'--jsn'"),
    })
    expect(await secretkit(dir, ['run'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('run needs a command'),
    })
  })

  it('run gives the command its resolved environment and returns its exit code', async () => {
    const dir = folder({
      'secrets/a.txt': CANARY,
      'conf.json': JSON.stringify({ providers: { file: { type: 'file', dir: 'secrets' } } }),
    })
    const script = `process.exit(process.env.A === ${JSON.stringify(CANARY)} ? 7 : 3)`
    const result = await secretkit(
      dir,
      ['run', '--config', 'conf.json', '--', process.execPath, '-e', script],
      { A: 'file://a.txt' },
    )
    expect(result).toMatchObject({ code: 7, stdout: '', stderr: '' })
    // Without "--": everything from the first word that is not an option is the command.
    const bare = await secretkit(dir, ['run', '-c', 'conf.json', process.execPath, '-e', script], {
      A: 'file://a.txt',
    })
    expect(bare.code).toBe(7)
  })

  it('run does not start the command when a required secret fails', async () => {
    const dir = folder({ 'secrets/a.txt': CANARY })
    const result = await secretkit(dir, ['run', '--', process.execPath, '-e', 'console.log("started")'], {
      A: 'file://a.txt',
      B: 'file://missing.txt',
    })
    expect(result.code).toBe(1)
    expect(result.stdout).toBe('')
    expect(result.stderr).toContain('1 secret failed to load')
    expect(result.stderr).toContain('the command was not started')
    expect(result.stderr).not.toContain(CANARY)
  })

  it('run exits 127 for a command that does not exist and 128 + n when the command dies of signal n', async () => {
    const dir = folder()
    expect(await secretkit(dir, ['run', '--', 'secretkit-no-such-command'])).toMatchObject({
      code: 127,
      stderr: 'secretkit: command not found: secretkit-no-such-command\n',
    })
    const killed = await secretkit(dir, [
      'run',
      '--',
      process.execPath,
      '-e',
      `process.kill(process.pid, 'SIGTERM')`,
    ])
    expect(killed.code).toBe(128 + 15)
  })

  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    it(`run forwards ${signal} to the command`, async () => {
      const script = `process.on(${JSON.stringify(signal)}, () => { console.log('got ${signal}'); process.exit(5) }); console.log('ready'); setInterval(() => {}, 1000)`
      const child = spawn(process.execPath, [cli, 'run', '--', process.execPath, '-e', script], {
        cwd: folder(),
        env: { PATH: process.env.PATH ?? '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      const exit = once(child, 'exit')
      await waitFor(child, 'ready')
      child.kill(signal)
      const [code] = await exit
      expect(code).toBe(5)
    })
  }

  it('check fails with a non-zero exit code and a clear line when a reference has no configured provider', async () => {
    const result = await secretkit(folder(), ['check'], { A: 'vault://kv/app#token' })
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(/^A\s+env\s+vault\s+-\s+-\s+-\s+no provider$/m)
    expect(result.stdout).toContain('A: no provider named "vault" is configured')
  })

  it('check and run exit 2 with file, line and problem for a bad config file', async () => {
    const dir = folder({ 'secretkit.config.json': '{\n  "secrets": {\n    "A": 42\n  }\n}\n' })
    for (const args of [['check'], ['run', '--', 'true']]) {
      const result = await secretkit(dir, args)
      expect(result.code).toBe(2)
      expect(result.stderr).toContain(
        `${join(dir, 'secretkit.config.json')}:3: secret "A" must be a reference`,
      )
    }
  })

  it('check --json lists every secret without values', async () => {
    const dir = folder({ 'secrets/a.txt': CANARY })
    const result = await secretkit(dir, ['check', '--json'], { A: 'file://a.txt' })
    expect(result.code).toBe(0)
    expect(result.stdout).not.toContain(CANARY)
    expect(JSON.parse(result.stdout)).toEqual({
      ok: true,
      configFile: null,
      secrets: [
        {
          name: 'A',
          origin: 'env',
          provider: 'file',
          source: 'file://a.txt',
          version: expect.any(String),
          ageMs: expect.any(Number),
          status: 'ok',
          ok: true,
          optional: false,
          errorCode: null,
          message: null,
        },
      ],
    })
  })
})
