import type { UserConfig } from 'vitest/config'

export declare const sourceCondition: '@secretkit/source'
export declare function secretkitVitestConfig(overrides?: UserConfig): UserConfig
