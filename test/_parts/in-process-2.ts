import t from 'tap'
import { IN_PROCESS_SUITES, runPart } from './parts.js'

// Part 2 of 2 of the domain, application and HTTP suites under `npm test`, in one process (see parts.ts).
t.setTimeout(600_000)
await runPart(IN_PROCESS_SUITES, 1, 2)
