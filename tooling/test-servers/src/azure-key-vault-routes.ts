// Maps a Key Vault secrets REST request (method + path segments) to an operation on the store.
import { KeyVaultError, type KeyVaultSecretStore } from './azure-key-vault-store.js'

export type Route = {
  operation: string
  run: (body: Record<string, unknown>) => { status: number; json?: unknown }
}

export function keyVaultRoute(
  store: KeyVaultSecretStore,
  method: string,
  segments: string[],
): Route | undefined {
  const [collection, name, version, extra] = segments
  if (collection === 'secrets' && name === undefined && method === 'GET') {
    return { operation: 'GetSecrets', run: () => ({ status: 200, json: store.list() }) }
  }
  if (collection === 'secrets' && name && extra === undefined) {
    if (method === 'GET' && version === 'versions') {
      return {
        operation: 'GetSecretVersions',
        run: () => ({ status: 200, json: store.listVersions(name) }),
      }
    }
    if (method === 'GET')
      return { operation: 'GetSecret', run: () => ({ status: 200, json: store.get(name, version) }) }
    if (method === 'PUT' && !version) {
      return {
        operation: 'SetSecret',
        run: (body) => {
          if (typeof body.value !== 'string')
            throw new KeyVaultError(400, 'BadParameter', 'Property value is required.')
          const attributes = (body.attributes ?? {}) as { enabled?: boolean }
          const input = {
            value: body.value,
            ...(typeof body.contentType === 'string' ? { contentType: body.contentType } : {}),
            ...(body.tags ? { tags: body.tags as Record<string, string> } : {}),
            ...(attributes.enabled !== undefined ? { enabled: attributes.enabled } : {}),
          }
          return { status: 200, json: store.set(name, input) }
        },
      }
    }
    if (method === 'PATCH') {
      return {
        operation: 'UpdateSecret',
        run: (body) => {
          const attributes = (body.attributes ?? {}) as { enabled?: boolean }
          const patch = {
            ...(attributes.enabled !== undefined ? { enabled: attributes.enabled } : {}),
            ...(typeof body.contentType === 'string' ? { contentType: body.contentType } : {}),
            ...(body.tags ? { tags: body.tags as Record<string, string> } : {}),
          }
          return { status: 200, json: store.update(name, version ?? '', patch) }
        },
      }
    }
    if (method === 'DELETE' && !version) {
      return { operation: 'DeleteSecret', run: () => ({ status: 200, json: store.delete(name) }) }
    }
  }
  if (collection === 'deletedsecrets' && name && version === undefined) {
    if (method === 'GET')
      return { operation: 'GetDeletedSecret', run: () => ({ status: 200, json: store.getDeleted(name) }) }
    if (method === 'DELETE')
      return {
        operation: 'PurgeDeletedSecret',
        run: () => {
          store.purge(name)
          return { status: 204 }
        },
      }
  }
  return undefined
}
