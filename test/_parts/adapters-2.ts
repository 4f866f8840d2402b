import t from 'tap'
import { ADAPTER_SUITES, runPart } from './parts.js'

// Part 2 of 3 of the adapters' suites under `npm test`, in one process (see parts.ts).
t.setTimeout(600_000)
await runPart(ADAPTER_SUITES, 1, 3)
