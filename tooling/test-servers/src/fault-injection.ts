/** Shared fault switchboard for the HTTP/gRPC stubs: "the next N calls" or "always". */
export interface FaultRule<K extends string> {
  kind: K
  /** How many upcoming matching calls fail; omit for "always" (until `clearFaults()`). */
  times?: number
  /** Only these operations (e.g. `GetSecretValue`); omit for every operation. */
  operations?: string[]
  /** For `delay` faults, or extra latency before any other fault. */
  delayMs?: number
  /** For throttling faults that carry a Retry-After header (seconds). */
  retryAfterSeconds?: number
}

export class FaultSwitchboard<K extends string> {
  private rules: FaultRule<K>[] = []

  add(rule: FaultRule<K>): void {
    this.rules.push({ ...rule })
  }

  clear(): void {
    this.rules = []
  }

  /** Returns (and consumes one use of) the first rule matching `operation`, if any. */
  take(operation: string): FaultRule<K> | undefined {
    const index = this.rules.findIndex((rule) => !rule.operations || rule.operations.includes(operation))
    const rule = this.rules[index]
    if (!rule) return undefined
    if (rule.times !== undefined) {
      rule.times -= 1
      if (rule.times <= 0) this.rules.splice(index, 1)
    }
    return rule
  }
}

/** Per-operation call counters with a total. */
export class CallCounter {
  private readonly counts = new Map<string, number>()

  record(operation: string): void {
    this.counts.set(operation, (this.counts.get(operation) ?? 0) + 1)
  }

  count(operation: string): number {
    return this.counts.get(operation) ?? 0
  }

  get total(): number {
    let sum = 0
    for (const value of this.counts.values()) sum += value
    return sum
  }

  snapshot(): Record<string, number> {
    return Object.fromEntries(this.counts)
  }

  reset(): void {
    this.counts.clear()
  }
}
