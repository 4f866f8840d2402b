import argon2 from 'argon2'

/**
 * argon2id verifies per second with the service's parameters, `concurrency` at a time (libuv's
 * default pool is 4 threads): the ceiling login throughput is read against. Prints one JSON line.
 * argv: seconds memoryKiB iterations parallelism concurrency
 */
const [seconds = 10, memoryCost = 19456, timeCost = 2, parallelism = 1, concurrency = 4] = process.argv
  .slice(2)
  .map(Number)
const hash = await argon2.hash('correct horse battery', { type: argon2.argon2id, memoryCost, timeCost, parallelism })
await argon2.verify(hash, 'correct horse battery') // warm-up

const latencies: number[] = []
const deadline = performance.now() + seconds * 1000
const worker = async () => {
  while (performance.now() < deadline) {
    const started = performance.now()
    if (!await argon2.verify(hash, 'correct horse battery')) throw new Error('verify failed')
    latencies.push(performance.now() - started)
  }
}
const started = performance.now()
await Promise.all(Array.from({ length: concurrency }, worker))
const elapsed = (performance.now() - started) / 1000
process.stdout.write(JSON.stringify({ verifies: latencies.length, seconds: elapsed, latencies }) + '\n')
