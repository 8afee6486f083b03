// A real store that records every call made on it (and on the transactions it opens), so a test
// can say "this request made no database call". The work is done by the real store: no mock.
import type { Store, StoreTx } from '../../src/core/ports.ts'

export type StoreCalls = string[]

function countingPart<T extends object>(part: T, name: string, calls: StoreCalls): T {
  return new Proxy(part, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver)
      if (typeof value !== 'function') return value
      return (...args: unknown[]) => {
        calls.push(`${name}.${String(prop)}`)
        const result: unknown = Reflect.apply(value, target, args)
        return result
      }
    },
  })
}

function countingTx(tx: StoreTx, calls: StoreCalls): StoreTx {
  return {
    users: countingPart(tx.users, 'tx.users', calls),
    sessions: countingPart(tx.sessions, 'tx.sessions', calls),
    refreshTokens: countingPart(tx.refreshTokens, 'tx.refreshTokens', calls),
    audit: countingPart(tx.audit, 'tx.audit', calls),
    oneTimeTokens: countingPart(tx.oneTimeTokens, 'tx.oneTimeTokens', calls),
    mfa: countingPart(tx.mfa, 'tx.mfa', calls),
    webauthn: countingPart(tx.webauthn, 'tx.webauthn', calls),
    identities: countingPart(tx.identities, 'tx.identities', calls),
  }
}

export function countingStore(inner: Store): { store: Store; calls: StoreCalls } {
  const calls: StoreCalls = []
  const store: Store = {
    ...countingTx(inner, calls),
    loginThrottle: countingPart(inner.loginThrottle, 'loginThrottle', calls),
    keys: countingPart(inner.keys, 'keys', calls),
    transaction(fn) {
      calls.push('transaction')
      return inner.transaction((tx) => fn(countingTx(tx, calls)))
    },
    ping() {
      calls.push('ping')
      return inner.ping()
    },
    close: () => inner.close(),
  }
  return { store, calls }
}
