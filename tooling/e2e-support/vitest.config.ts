import { secretkitVitestConfig } from '@secretkit/vitest-config'

export default secretkitVitestConfig()
