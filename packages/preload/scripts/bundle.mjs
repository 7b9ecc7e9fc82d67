// Bundles the hook so `node --import @secretkit/preload` reads one file where it would resolve
// and load some thirty: dist/index.js holds the hook and @secretkit/config, and imports
// dist/core-<hash>.js (@secretkit/core's root, inlined) only when something needs resolving.
// The YAML parser and the cloud provider subpaths (`@secretkit/core/<type>`) stay dynamic
// imports of the installed packages; core's errors are recognised across the two copies.
// Declarations come from tsc (`tsc -p tsconfig.json --emitDeclarationOnly`).
import { readFile, rm } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const root = fileURLToPath(new URL('..', import.meta.url))

/**
 * `import { statSync } from 'node:fs'` in an ES module makes Node build an ES facade over the
 * builtin, which reads every export — and the lazy ones load what they guard (fs streams,
 * readline, fs/promises, util's encoders): milliseconds at every start. Node's own
 * `process.getBuiltinModule` hands out the module object, so only the names used are read.
 */
const NAMED_BUILTIN_IMPORT = /^import \{([^}]*)\} from '(node:[\w/]+)'$/gm

const builtinImportsAsGetBuiltinModule = {
  name: 'builtin-imports-as-get-builtin-module',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8')
      const contents = source.replace(NAMED_BUILTIN_IMPORT, (_, names, specifier) => {
        const bindings = names
          .split(',')
          .map((name) => name.trim())
          .filter((name) => name !== '' && !name.startsWith('type '))
          .map((name) => name.replace(/\s+as\s+/, ': '))
        return `const { ${bindings.join(', ')} } = process.getBuiltinModule('${specifier}')`
      })
      return { contents, loader: 'ts' }
    })
  },
}

await rm(`${root}dist`, { recursive: true, force: true })
const result = await build({
  absWorkingDir: root,
  entryPoints: ['src/index.ts'],
  outdir: 'dist',
  chunkNames: 'core-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node22.12',
  // Workspace packages resolve to their TypeScript sources (see their exports maps).
  conditions: ['@secretkit/source'],
  external: ['@secretkit/core/*', 'yaml'],
  plugins: [builtinImportsAsGetBuiltinModule],
  legalComments: 'none',
  sourcemap: 'linked',
  logLevel: 'warning',
  metafile: true,
})
const outputs = Object.entries(result.metafile.outputs).filter(([file]) => file.endsWith('.js'))
if (outputs.length !== 2) {
  throw new Error(`expected the hook and one core chunk, got ${outputs.map(([file]) => file).join(', ')}`)
}
for (const [file, output] of outputs) {
  const builtin = output.imports.find(
    (each) => each.path.startsWith('node:') && each.kind === 'import-statement',
  )
  if (builtin) throw new Error(`${file} imports ${builtin.path} as an ES module; use a named import`)
}
