import { storeSkipReason } from '../helpers/services.ts'
import { openPostgresTestStore } from './sql-test-stores.ts'
import { describeStoreConformance } from './store-conformance.ts'

const skip = await storeSkipReason('postgres')
describeStoreConformance('postgres', openPostgresTestStore, { skip })
