export { countAwsCommands } from './aws-command-counter.js'
export type { AwsFaultKind, AwsFaultStub, AwsFaultStubOptions } from './aws-fault-stub.js'
export { startAwsFaultStub, startAwsFaultStub as startFaultStub } from './aws-fault-stub.js'
export type { AzureFaultKind, AzureKeyVaultServer, AzureKeyVaultServerOptions } from './azure-key-vault.js'
export { startAzureKeyVaultServer } from './azure-key-vault.js'
export { crc32c } from './crc32c.js'
export { CallCounter, type FaultRule } from './fault-injection.js'
export { freePort } from './free-port.js'
export type { GcpFaultKind, GcpSecretManagerServer } from './gcp-secret-manager.js'
export { startGcpSecretManagerServer } from './gcp-secret-manager.js'
export { type MotoServer, startMoto } from './moto.js'
export { type OpenBaoServer, startOpenBao } from './openbao.js'
export {
  baoBin,
  motoAvailability,
  motoServerBin,
  openBaoAvailability,
  type PeerAvailability,
  redisAvailability,
  toolsDir,
} from './peers.js'
export { type RedisServer, redisCommand, startRedis } from './redis.js'
