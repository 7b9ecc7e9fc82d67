// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78): the checksum GCP Secret Manager
// sends as `payload.data_crc32c`. The table is built on first use.
let table: Uint32Array | undefined

function crcTable(): Uint32Array {
  const built = new Uint32Array(256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1
    built[n] = c >>> 0
  }
  return built
}

/** CRC-32C of `data` as an unsigned 32-bit number. */
export function crc32c(data: Uint8Array): number {
  table ??= crcTable()
  let crc = 0xffffffff
  for (const byte of data) crc = table[(crc ^ byte) & 0xff]! ^ (crc >>> 8)
  return (crc ^ 0xffffffff) >>> 0
}
