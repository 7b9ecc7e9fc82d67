// In-memory GCP Secret Manager state with the documented error codes, as plain objects in
// the camelCase shape @grpc/proto-loader (keepCase: false) serializes.
import { status } from '@grpc/grpc-js'
import { crc32c } from './crc32c.js'

export type VersionState = 'ENABLED' | 'DISABLED' | 'DESTROYED'

interface VersionRecord {
  id: string
  data: Buffer | undefined // dropped when destroyed
  state: VersionState
  createTime: Date
  destroyTime?: Date
  clientChecksum: boolean
  etag: number
}

interface SecretRecord {
  name: string
  labels: Record<string, string>
  createTime: Date
  versions: VersionRecord[]
  etag: number
}

/** Carries a gRPC status code; the server turns it into the call's error. */
export class GrpcStatusError extends Error {
  constructor(
    readonly code: status,
    message: string,
  ) {
    super(message)
  }
}

const timestamp = (date: Date) => ({
  seconds: String(Math.floor(date.getTime() / 1000)),
  nanos: (date.getTime() % 1000) * 1e6,
})
const SECRET_NAME = /^projects\/([^/]+)\/secrets\/([A-Za-z0-9_-]{1,255})$/
const VERSION_NAME = /^(projects\/[^/]+\/secrets\/[^/]+)\/versions\/([^/]+)$/

export class GcpSecretStore {
  private readonly secrets = new Map<string, SecretRecord>()
  private etagCounter = 0

  createSecret(parent: string, secretId: string, labels: Record<string, string> = {}) {
    const name = `${parent}/secrets/${secretId}`
    if (!/^projects\/[^/]+$/.test(parent) || !SECRET_NAME.test(name)) {
      throw new GrpcStatusError(status.INVALID_ARGUMENT, `Invalid resource name [${name}].`)
    }
    if (this.secrets.has(name))
      throw new GrpcStatusError(status.ALREADY_EXISTS, `Secret [${name}] already exists.`)
    const record: SecretRecord = {
      name,
      labels,
      createTime: new Date(),
      versions: [],
      etag: ++this.etagCounter,
    }
    this.secrets.set(name, record)
    return this.secretView(record)
  }

  getSecret(name: string) {
    return this.secretView(this.secret(name))
  }

  deleteSecret(name: string): void {
    this.secret(name)
    this.secrets.delete(name)
  }

  addVersion(parent: string, data: Buffer, dataCrc32c?: string) {
    const record = this.secret(parent)
    if (dataCrc32c !== undefined && BigInt(dataCrc32c) !== BigInt(crc32c(data))) {
      throw new GrpcStatusError(
        status.INVALID_ARGUMENT,
        'Checksum mismatch: data_crc32c does not match the payload.',
      )
    }
    const version: VersionRecord = {
      id: String(record.versions.length + 1),
      data,
      state: 'ENABLED',
      createTime: new Date(),
      clientChecksum: dataCrc32c !== undefined,
      etag: ++this.etagCounter,
    }
    record.versions.push(version)
    return this.versionView(record, version)
  }

  getVersion(name: string) {
    const [record, version] = this.version(name)
    return this.versionView(record, version)
  }

  access(name: string) {
    const [record, version] = this.version(name)
    if (version.state !== 'ENABLED' || !version.data) {
      throw new GrpcStatusError(
        status.FAILED_PRECONDITION,
        `Secret Version [${record.name}/versions/${version.id}] is in ${version.state} state.`,
      )
    }
    return {
      name: `${record.name}/versions/${version.id}`, // resolved: never "latest"
      payload: { data: version.data, dataCrc32c: String(crc32c(version.data)) },
    }
  }

  setState(name: string, state: VersionState) {
    const [record, version] = this.version(name)
    if (version.state === 'DESTROYED') {
      throw new GrpcStatusError(status.FAILED_PRECONDITION, `Secret Version [${name}] is in DESTROYED state.`)
    }
    version.state = state
    version.etag = ++this.etagCounter
    if (state === 'DESTROYED') {
      version.data = undefined
      version.destroyTime = new Date()
    }
    return this.versionView(record, version)
  }

  /** Newest first, like the real API; `pageToken` is an offset. */
  listVersions(parent: string, pageSize = 0, pageToken = '') {
    const record = this.secret(parent)
    const all = [...record.versions].reverse()
    const start = pageToken ? Number(pageToken) : 0
    const end = pageSize > 0 ? start + pageSize : all.length
    return {
      versions: all.slice(start, end).map((v) => this.versionView(record, v)),
      nextPageToken: end < all.length ? String(end) : '',
      totalSize: all.length,
    }
  }

  clear(): void {
    this.secrets.clear()
  }

  /** The secret id (last name segment) a request targets, for deny rules. */
  static secretIdOf(name: string): string | undefined {
    return /^projects\/[^/]+\/secrets\/([^/]+)/.exec(name)?.[1]
  }

  private secret(name: string): SecretRecord {
    const record = this.secrets.get(name)
    if (!record) throw new GrpcStatusError(status.NOT_FOUND, `Secret [${name}] not found or has no versions.`)
    return record
  }

  private version(name: string): [SecretRecord, VersionRecord] {
    const match = VERSION_NAME.exec(name)
    if (!match) throw new GrpcStatusError(status.INVALID_ARGUMENT, `Invalid resource name [${name}].`)
    const record = this.secret(match[1]!)
    const alias = match[2]!
    const version = alias === 'latest' ? record.versions.at(-1) : record.versions.find((v) => v.id === alias)
    if (!version) throw new GrpcStatusError(status.NOT_FOUND, `Secret Version [${name}] not found.`)
    return [record, version]
  }

  private secretView(record: SecretRecord) {
    return {
      name: record.name,
      replication: { automatic: {} },
      createTime: timestamp(record.createTime),
      labels: record.labels,
      etag: `"${record.etag}"`,
    }
  }

  private versionView(record: SecretRecord, version: VersionRecord) {
    return {
      name: `${record.name}/versions/${version.id}`,
      createTime: timestamp(version.createTime),
      ...(version.destroyTime ? { destroyTime: timestamp(version.destroyTime) } : {}),
      state: version.state,
      etag: `"${version.etag}"`,
      clientSpecifiedPayloadChecksum: version.clientChecksum,
    }
  }
}
