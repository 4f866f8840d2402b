import { randomUUID } from 'node:crypto'
import type { IdGenerator } from '../../application/ports/system/id-generator.js'

export const randomIds: IdGenerator = { newId: () => randomUUID() }
