import { secretkitVitestConfig } from '@secretkit/vitest-config'

// Test files sit outside tsconfig.json's `include`, so Vite does not pick up its decorator
// settings for them: turn on TypeScript's legacy decorators and their metadata explicitly.
export default secretkitVitestConfig({
  oxc: { decorator: { legacy: true, emitDecoratorMetadata: true } },
})
