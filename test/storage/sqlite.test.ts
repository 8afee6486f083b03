import { storeSkipReason } from '../helpers/services.ts'
import { openSqliteTestStore } from './sql-test-stores.ts'
import { describeStoreConformance } from './store-conformance.ts'

const skip = await storeSkipReason('sqlite')
describeStoreConformance('sqlite', openSqliteTestStore, { skip })
