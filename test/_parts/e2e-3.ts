import t from 'tap'
import { E2E_SUITES, PART_BUDGET_MS, runPart } from './parts.js'

// Part 3 of 4 of the end-to-end suites under `npm test`, in one process (see parts.ts).
t.setTimeout(PART_BUDGET_MS)
await runPart(E2E_SUITES, 2, 4)
