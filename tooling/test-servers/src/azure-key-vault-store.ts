// In-memory Key Vault secrets state and the JSON shapes of the REST API (SecretBundle etc.).
import { randomBytes } from 'node:crypto'

export interface SecretVersionRecord {
  version: string
  value: string
  contentType?: string
  tags?: Record<string, string>
  enabled: boolean
  created: number
  updated: number
}

interface SecretRecord {
  versions: SecretVersionRecord[] // oldest first; the last one is "latest"
  deletedDate?: number
}

/** A REST error: status + `{ error: { code, message, innererror? } }`. */
export class KeyVaultError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly innerCode?: string,
  ) {
    super(message)
  }

  body(): unknown {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.innerCode ? { innererror: { code: this.innerCode } } : {}),
      },
    }
  }
}

const NAME_PATTERN = /^[0-9a-zA-Z-]{1,127}$/
const now = () => Math.floor(Date.now() / 1000)
const notFound = (name: string, version = '') =>
  new KeyVaultError(
    404,
    'SecretNotFound',
    `A secret with (name/id) ${name}${version ? `/${version}` : ''} was not found in this key vault.`,
  )

export class KeyVaultSecretStore {
  private readonly secrets = new Map<string, SecretRecord>()

  constructor(private readonly vaultUrl: string) {}

  set(
    name: string,
    input: { value: string; contentType?: string; tags?: Record<string, string>; enabled?: boolean },
  ) {
    if (!NAME_PATTERN.test(name)) {
      throw new KeyVaultError(
        400,
        'BadParameter',
        'The secret name must match ^[0-9a-zA-Z-]+$ (1-127 characters).',
      )
    }
    const existing = this.secrets.get(name)
    if (existing?.deletedDate !== undefined) {
      throw new KeyVaultError(
        409,
        'Conflict',
        `Secret ${name} is currently in a deleted but recoverable state.`,
      )
    }
    const record = existing ?? { versions: [] }
    const version: SecretVersionRecord = {
      version: randomBytes(16).toString('hex'),
      value: input.value,
      enabled: input.enabled ?? true,
      created: now(),
      updated: now(),
      ...(input.contentType !== undefined ? { contentType: input.contentType } : {}),
      ...(input.tags !== undefined ? { tags: input.tags } : {}),
    }
    record.versions.push(version)
    this.secrets.set(name, record)
    return this.bundle(name, version)
  }

  /** The readable version (`version` empty = latest); disabled versions are 403 SecretDisabled. */
  get(name: string, version = '') {
    const found = this.find(name, version)
    if (!found.enabled) {
      throw new KeyVaultError(
        403,
        'Forbidden',
        'Operation get is not allowed on a disabled secret.',
        'SecretDisabled',
      )
    }
    return this.bundle(name, found)
  }

  update(
    name: string,
    version: string,
    patch: { enabled?: boolean; contentType?: string; tags?: Record<string, string> },
  ) {
    const found = this.find(name, version)
    if (patch.enabled !== undefined) found.enabled = patch.enabled
    if (patch.contentType !== undefined) found.contentType = patch.contentType
    if (patch.tags !== undefined) found.tags = patch.tags
    found.updated = now()
    const { value: _value, ...withoutValue } = this.bundle(name, found)
    return withoutValue
  }

  listVersions(name: string) {
    const record = this.live(name)
    return { value: record.versions.map((v) => this.item(name, v, true)), nextLink: null }
  }

  list() {
    const value = [...this.secrets]
      .filter(([, record]) => record.deletedDate === undefined)
      .map(([name, record]) => this.item(name, record.versions.at(-1)!, false))
    return { value, nextLink: null }
  }

  delete(name: string) {
    const record = this.live(name)
    record.deletedDate = now()
    return this.deletedBundle(name, record)
  }

  getDeleted(name: string) {
    const record = this.secrets.get(name)
    if (record?.deletedDate === undefined)
      throw new KeyVaultError(404, 'SecretNotFound', `Deleted Secret not found: ${name}`)
    return this.deletedBundle(name, record)
  }

  purge(name: string): void {
    this.getDeleted(name)
    this.secrets.delete(name)
  }

  clear(): void {
    this.secrets.clear()
  }

  private live(name: string): SecretRecord {
    const record = this.secrets.get(name)
    if (!record || record.deletedDate !== undefined) throw notFound(name)
    return record
  }

  private find(name: string, version: string): SecretVersionRecord {
    const record = this.live(name)
    const found = version ? record.versions.find((v) => v.version === version) : record.versions.at(-1)
    if (!found) throw notFound(name, version)
    return found
  }

  private attributes(v: SecretVersionRecord) {
    return {
      enabled: v.enabled,
      created: v.created,
      updated: v.updated,
      recoveryLevel: 'Recoverable+Purgeable',
      recoverableDays: 90,
    }
  }

  private bundle(name: string, v: SecretVersionRecord) {
    return {
      value: v.value,
      id: `${this.vaultUrl}/secrets/${name}/${v.version}`,
      attributes: this.attributes(v),
      ...(v.contentType !== undefined ? { contentType: v.contentType } : {}),
      ...(v.tags !== undefined ? { tags: v.tags } : {}),
    }
  }

  private item(name: string, v: SecretVersionRecord, withVersion: boolean) {
    return {
      id: `${this.vaultUrl}/secrets/${name}${withVersion ? `/${v.version}` : ''}`,
      attributes: this.attributes(v),
      ...(v.contentType !== undefined ? { contentType: v.contentType } : {}),
      ...(v.tags !== undefined ? { tags: v.tags } : {}),
    }
  }

  private deletedBundle(name: string, record: SecretRecord) {
    const { value: _value, ...latest } = this.bundle(name, record.versions.at(-1)!)
    const deletedDate = record.deletedDate ?? now()
    return {
      ...latest,
      recoveryId: `${this.vaultUrl}/deletedsecrets/${name}`,
      deletedDate,
      scheduledPurgeDate: deletedDate + 90 * 86_400,
    }
  }
}
