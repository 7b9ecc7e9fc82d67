import { secretkitVitestConfig } from '@secretkit/vitest-config'

// The e2e tests run the built CommonJS app in child processes; nothing here needs decorators.
export default secretkitVitestConfig()
