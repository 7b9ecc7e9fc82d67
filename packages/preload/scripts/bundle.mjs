// Bundles the hook so `node --import @secretkit/preload` reads one file where it would resolve
// and load some thirty: dist/index.js holds the hook, @secretkit/config and @secretkit/core/sync
// (env and file references read at once), and imports dist/core-<hash>.js (@secretkit/core's
// root, inlined) only when the store is needed. The YAML parser and the cloud provider
// subpaths (`@secretkit/core/<type>`) stay dynamic imports of the installed packages; core's
// errors are recognised across the copies. Declarations come from tsc
// (`tsc -p tsconfig.json --emitDeclarationOnly`).
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

/** esbuild options both builds share. */
const common = {
  absWorkingDir: root,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node22.12',
  // Workspace packages resolve to their TypeScript sources (see their exports maps).
  conditions: ['@secretkit/source'],
  external: ['@secretkit/core/*', 'yaml'],
  plugins: [builtinImportsAsGetBuiltinModule],
  // Parsing and compiling are much of what loading the hook costs, and grow with the text:
  // minified, the hook is about half the size. Names are kept (error classes name themselves
  // after their class); the source map gives the original code.
  minify: true,
  keepNames: true,
  legalComments: 'none',
  sourcemap: 'linked',
  logLevel: 'warning',
  metafile: true,
}

// `@secretkit/core/sync` (env and file providers, reference parsing, readSecretsSync) is
// inlined in the hook and only run when references exist; the whole of core, for the store,
// is `dist/core-<hash>.js`, built on its own and imported only when the sync path cannot do
// it all (or for preload.refresh). Errors are recognised across the two copies.
const core = await build({
  ...common,
  entryPoints: { core: '../core/src/index.ts' },
  outdir: 'dist',
  entryNames: '[name]-[hash]',
})
const coreFile = Object.keys(core.metafile.outputs).find((each) => each.endsWith('.js'))
const coreChunk = `./${coreFile?.replace(/^dist\//, '')}`

const hook = await build({
  ...common,
  entryPoints: ['src/index.ts'],
  outdir: 'dist',
  plugins: [
    builtinImportsAsGetBuiltinModule,
    {
      name: 'core-chunk',
      setup(b) {
        b.onResolve({ filter: /^@secretkit\/core$/ }, () => ({ path: coreChunk, external: true }))
        // Bundled, although the other subpaths of core stay external.
        b.onResolve({ filter: /^@secretkit\/core\/sync$/ }, () => ({ path: `${root}../core/src/sync.ts` }))
      },
    },
  ],
})
const outputs = [core, hook].flatMap((each) =>
  Object.entries(each.metafile.outputs).filter(([file]) => file.endsWith('.js')),
)
if (outputs.length !== 2) {
  throw new Error(`expected the hook and one core chunk, got ${outputs.map(([file]) => file).join(', ')}`)
}
if (!hook.metafile.outputs['dist/index.js']?.imports.some((each) => each.path === coreChunk)) {
  throw new Error(`dist/index.js does not import ${coreChunk}`)
}
for (const [file, output] of outputs) {
  const builtin = output.imports.find(
    (each) => each.path.startsWith('node:') && each.kind === 'import-statement',
  )
  if (builtin) throw new Error(`${file} imports ${builtin.path} as an ES module; use a named import`)
}
