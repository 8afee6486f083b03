import { createRequire } from 'node:module'
import type BetterSqlite3 from 'better-sqlite3'

const require = createRequire(import.meta.url)
const NODE_MAJOR = Number(process.versions.node.split('.')[0])

/**
 * better-sqlite3, in the build this Node can run. Node 24.19 made `node::ObjectWrap` remove a
 * cleanup hook in its destructor, so better-sqlite3 ≤ 12 (built on ObjectWrap) aborts the
 * process when a garbage-collected statement is finalised (WiseLibs/better-sqlite3#1515).
 * 13 moved to Node-API and fixes that, but declares Node ≥ 22 and segfaults on Node 20. Both are
 * installed (13 under the alias `better-sqlite3-napi`, with the same API) and picked here.
 */
export const Database: typeof BetterSqlite3 = require(
  NODE_MAJOR >= 22 ? 'better-sqlite3-napi' : 'better-sqlite3',
) as typeof BetterSqlite3 // the two majors share one API; the types are those of better-sqlite3

export type { BetterSqlite3 }
