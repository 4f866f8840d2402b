import t from 'tap'
import { runPart } from './parts.js'

// Half of `npm run test:quick` in one process (see parts.ts): a part runs for tens of seconds.
t.setTimeout(600_000)
await runPart(0, 2)
