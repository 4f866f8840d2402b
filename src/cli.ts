#!/usr/bin/env node
import { report } from './adapters/cli/command-outcome.js'
import { runCli } from './adapters/cli/run-cli.js'

// `node dist/cli.js <group> <command> [options]` (the image's command-line tool, and the `bin`
// `mobile-auth`): staff accounts, signing keys, migrations. One JSON line, one sysexits code.
report(await runCli(process.argv.slice(2), process.env))
