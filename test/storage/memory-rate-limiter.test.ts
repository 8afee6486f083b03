import { MemoryRateLimiter } from '../../src/storage/memory/rate-limiter.ts'
import { describeRateLimiterConformance } from './rate-limiter-conformance.ts'

describeRateLimiterConformance('memory', async () => new MemoryRateLimiter())
