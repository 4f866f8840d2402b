import t from 'tap'
import { runPart } from './parts.js'

// The other half of `npm run test:quick` in one process (see parts.ts): a part runs for tens of seconds.
t.setTimeout(600_000)
await runPart(1, 2)
