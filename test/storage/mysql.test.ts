import { storeSkipReason } from '../helpers/services.ts'
import { openMysqlTestStore } from './sql-test-stores.ts'
import { describeStoreConformance } from './store-conformance.ts'

const skip = await storeSkipReason('mysql')
describeStoreConformance('mysql', openMysqlTestStore, { skip })
