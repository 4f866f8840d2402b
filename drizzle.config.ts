import { defineConfig } from 'drizzle-kit'

// Used by `npm run db:generate` only; the service applies the generated SQL itself at start-up.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/adapters/drizzle/schema.ts',
  out: './drizzle'
})
