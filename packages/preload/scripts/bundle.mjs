// Builds the hook so `node --import @secretkit/preload` reads three files where it would resolve
// and load some thirty:
// - dist/hook.js: the hook, @secretkit/config and @secretkit/core/sync (env and file references
//   read at once), as a script that dist/index.js compiles with a V8 code cache of itself;
// - dist/index.js: that loader, a small ES module;
// - dist/core-<hash>.js: @secretkit/core's root, imported only when the store is needed.
// The YAML parser and the cloud provider subpaths (`@secretkit/core/<type>`) stay dynamic
// imports of the installed packages; core's errors are recognised across the copies.
// Declarations come from tsc (`tsc -p tsconfig.json --emitDeclarationOnly`).
import { createHash } from 'node:crypto'
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { Script } from 'node:vm'
import { build } from 'esbuild'

const root = fileURLToPath(new URL('..', import.meta.url))

/**
 * `import { statSync } from 'node:fs'` in an ES module makes Node build an ES facade over the
 * builtin, which reads every export — and the lazy ones load what they guard (fs streams,
 * readline, fs/promises, util's encoders): milliseconds at every start. Node's own
 * `process.getBuiltinModule` hands out the module object, so only the names used are read.
 * Each builtin is asked for once per bundle (a module of its own that every importer shares),
 * not once per source file.
 */
const NAMED_BUILTIN_IMPORT = /^import \{([^}]*)\} from '(node:[\w/]+)'$/gm
const BUILTIN_NAMESPACE = 'secretkit-builtin'

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
        const module = `builtin_${specifier.replace(/\W/g, '_')}`
        return `import ${module} from '${BUILTIN_NAMESPACE}:${specifier}'\nconst { ${bindings.join(', ')} } = ${module}`
      })
      return { contents, loader: 'ts' }
    })
    b.onResolve({ filter: new RegExp(`^${BUILTIN_NAMESPACE}:`) }, (args) => ({
      path: args.path.slice(BUILTIN_NAMESPACE.length + 1),
      namespace: BUILTIN_NAMESPACE,
    }))
    b.onLoad({ filter: /.*/, namespace: BUILTIN_NAMESPACE }, (args) => ({
      contents: `export default process.getBuiltinModule(${JSON.stringify(args.path)})`,
      loader: 'js',
    }))
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

// The hook as a script: `(function (importModule) { …; return module.exports })`, which
// dist/index.js compiles with vm.Script and a code cache. A script cannot contain `import()`
// (vm would need an experimental loader), so the dynamic imports esbuild leaves — the core
// chunk, cloud subpaths, yaml, a JS config — call the `importModule` index.js passes in.
const hook = await build({
  ...common,
  entryPoints: { hook: 'src/hook.ts' },
  outdir: 'dist',
  format: 'cjs',
  banner: { js: "(function (importModule) {'use strict';var module={exports:{}},exports=module.exports;" },
  footer: { js: 'return module.exports})' },
  write: false,
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
const hookOutput = hook.metafile.outputs['dist/hook.js']
const hookFile = hook.outputFiles.find((each) => each.path.endsWith('/hook.js'))
if (hookOutput === undefined || hookFile === undefined) throw new Error('esbuild wrote no dist/hook.js')
// Every dynamic import in the sources is awaited where it is written; any other `import(`
// (in a string, say) stops the build rather than being rewritten unseen.
const hookText = hookFile.text.replaceAll('await import(', 'await importModule(')
if (/\bimport\(/.test(hookText)) throw new Error('dist/hook.js: an import( that is not `await import(`')
if (!hookOutput.imports.some((each) => each.path === coreChunk)) {
  throw new Error(`dist/hook.js does not import ${coreChunk}`)
}
new Script(hookText, { filename: 'dist/hook.js' }) // a syntax check
await mkdir(`${root}dist`, { recursive: true })
await writeFile(`${root}dist/hook.js`, hookText)
for (const each of hook.outputFiles.filter((file) => file.path.endsWith('.map'))) {
  await writeFile(each.path, each.contents)
}

// The loader: small, an ES module, with the hook's digest for the cache file's name.
const loader = await build({
  ...common,
  entryPoints: ['src/index.ts'],
  outdir: 'dist',
  // No class in it, and every statement runs at each start: no helper to restore names.
  keepNames: false,
  define: {
    __SECRETKIT_HOOK_ID__: JSON.stringify(createHash('sha256').update(hookText).digest('hex').slice(0, 16)),
  },
})

const outputs = [core, loader].flatMap((each) =>
  Object.entries(each.metafile.outputs).filter(([file]) => file.endsWith('.js')),
)
if (outputs.length !== 2) {
  throw new Error(`expected the loader and one core chunk, got ${outputs.map(([file]) => file).join(', ')}`)
}
for (const [file, output] of outputs) {
  const builtin = output.imports.find(
    (each) => each.path.startsWith('node:') && each.kind === 'import-statement',
  )
  if (builtin) throw new Error(`${file} imports ${builtin.path} as an ES module; use a named import`)
}
