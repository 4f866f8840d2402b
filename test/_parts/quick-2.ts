import t from 'tap'
import { QUICK_SUITES, runPart } from './parts.js'

// Part 2 of 2 of `npm run test:quick`, in one process (see parts.ts).
t.setTimeout(600_000)
await runPart(QUICK_SUITES, 1, 2)
