import { parseArgs } from 'node:util'
import { check } from './check.js'
import { err, out } from './output.js'
import { run } from './run.js'

/** Exit code for a bad command line or a bad config file. */
export const EXIT_USAGE = 2

const HELP = `secretkit — resolve secret references for any command

Usage:
  secretkit run [--config <file>] -- <command> [args…]
  secretkit check [--config <file>] [--json]

Commands:
  run     Resolve every environment variable whose value is a secret reference
          (DB_PASSWORD=aws://prod/db#password) and every secret declared in the config
          file, then start <command> with the values in its environment. Signals
          (SIGINT, SIGTERM, SIGHUP) are passed on; secretkit exits with the command's
          exit code, or 128 + the signal number when it was killed by a signal.
  check   Resolve the same secrets and print, for each, where it came from, its version,
          its age and its status — never its value. Exits 1 when a required secret fails.

Options:
  -c, --config <file>  Config file to use (default: SECRETKIT_CONFIG, else the nearest
                       secretkit.config.{mjs,js,json,yaml,yml} from here upward; without
                       one, the env provider and files under ./secrets are used)
      --json           check: print JSON for CI instead of a table
  -h, --help           Show this help
  -v, --version        Show the version

Exit codes: 0 ok · 1 a required secret failed · 2 bad usage or config file ·
            127 command not found · otherwise the command's own exit code.
`

const OPTIONS = {
  config: { type: 'string', short: 'c' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const

/** Runs the CLI with `argv` (without `node` and the script) and returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    out(HELP)
    return command === undefined ? EXIT_USAGE : 0
  }
  if (command === '--version' || command === '-v') {
    const { createRequire } = await import('node:module')
    out(createRequire(import.meta.url)('../package.json').version)
    return 0
  }
  if (command !== 'run' && command !== 'check') return usage(`unknown command "${command}"`)

  // `run` takes its own options up to `--` (or up to the first word that is not an option).
  let ownArgs = rest
  let commandLine: string[] = []
  if (command === 'run') {
    const split = splitCommand(rest)
    ownArgs = split.own
    commandLine = split.command
  }
  let values: { config?: string | undefined; json?: boolean | undefined; help?: boolean | undefined }
  try {
    ;({ values } = parseArgs({ args: ownArgs, options: OPTIONS, allowPositionals: false, strict: true }))
  } catch (error) {
    return usage((error as Error).message)
  }
  if (values.help) {
    out(HELP)
    return 0
  }
  if (command === 'check') return check({ configFile: values.config, json: values.json ?? false })
  if (values.json) return usage('--json is an option of check, not run')
  if (commandLine.length === 0) return usage('run needs a command: secretkit run -- <command> [args…]')
  return run({ configFile: values.config, command: commandLine })
}

function splitCommand(args: readonly string[]): { own: string[]; command: string[] } {
  for (let index = 0; index < args.length; index++) {
    const arg = args[index]!
    if (arg === '--') return { own: args.slice(0, index), command: args.slice(index + 1) }
    if (!arg.startsWith('-')) return { own: args.slice(0, index), command: args.slice(index) }
    if ((arg === '--config' || arg === '-c') && index + 1 < args.length) index++
  }
  return { own: [...args], command: [] }
}

function usage(message: string): number {
  err(`secretkit: ${message}\nRun "secretkit --help" for usage.`)
  return EXIT_USAGE
}
