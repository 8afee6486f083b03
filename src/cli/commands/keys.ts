import type { Config } from '../../config/config.js'
import { loadOrCreateSecret } from '../../config/secret-file.js'
import { addSigningKey } from '../../core/tokens/signing-keys.js'
import { openSqlStore } from '../../storage/sql/open-store.js'
import type { Output } from '../output.js'
import { UsageError } from '../usage.js'

export type KeysAction = 'rotate' | 'list'

export function parseKeysAction(word: string | undefined): KeysAction {
  if (word === 'rotate' || word === 'list') return word
  throw new UsageError(`keys: expected rotate or list, got "${word ?? ''}"`)
}

/**
 * `latchkey keys rotate` adds a new signing key; `latchkey keys list` shows them, newest first.
 * Only the store and the secret are opened (no password workers): rotation is a row insert.
 * Old keys are kept, so tokens they signed verify until they expire and stay in the JWKS.
 * Running servers sign with the new key after their next key reload (every minute, or at once
 * when they meet a token with the new `kid`).
 */
export async function runKeys(config: Config, action: KeysAction, output: Output): Promise<number> {
  const secret = await loadOrCreateSecret(config)
  const store = await openSqlStore(config.databaseUrl, { migrate: true })
  try {
    if (action === 'rotate') {
      const kid = await addSigningKey(store.keys, secret, new Date())
      output.out(`new signing key ${kid}; servers sign with it after their next key reload`)
      return 0
    }
    const keys = [...(await store.keys.listSigningKeys())].sort(
      (a, b) => b.createdAt.getTime() - a.createdAt.getTime(),
    )
    keys.forEach((key, index) => {
      const role = index === 0 ? 'signs, verifies' : 'verifies'
      output.out(`${key.kid}  ${key.alg}  ${key.createdAt.toISOString()}  ${role}`)
    })
    if (keys.length === 0) output.out('no signing keys yet; the server creates one at start')
    return 0
  } finally {
    await store.close()
  }
}
