/**
 * Where a request comes from, as the abuse limits count it. Two granularities, each for a reason:
 *
 * - **The client** (`clientKey`): an IPv4 address as it is, an IPv6 address by its /64. A
 *   subscriber is handed a whole /64 (RFC 6177), so counting IPv6 per address would give one host
 *   2^64 fresh budgets; IPv4 is counted per address because Korean mobile carriers put thousands
 *   of members behind one NAT range, and a /24 limit would let one of them stop the rest.
 * - **The network** (`networkKey`): an IPv4 /24, an IPv6 /64. A one-time code belongs to the
 *   network that asked for it: a phone behind carrier NAT may leave through another address of
 *   the range between asking for a code and typing it, never through another range.
 *
 * An IPv4-mapped IPv6 address (`::ffff:1.2.3.4`) is its IPv4 address. Anything that parses as
 * neither (a Unix socket, a test's made-up name) is its own key, unchanged.
 */
export function clientKey (address: string): string {
  const ipv4 = asIpv4(address)
  if (ipv4 !== null) return ipv4.join('.')
  const ipv6 = parseIpv6(address)
  return ipv6 === null ? address : `${prefix64(ipv6)}::/64`
}

/** The network a code belongs to: an IPv4 /24 or an IPv6 /64 (see clientKey). */
export function networkKey (address: string): string {
  const ipv4 = asIpv4(address)
  if (ipv4 !== null) return `${ipv4.slice(0, 3).join('.')}.0/24`
  const ipv6 = parseIpv6(address)
  return ipv6 === null ? address : `${prefix64(ipv6)}::/64`
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/

/** The four octets of an IPv4 address, bare or IPv4-mapped in IPv6; null otherwise. */
function asIpv4 (address: string): number[] | null {
  const mapped = /^::ffff:(.+)$/i.exec(address)?.[1] ?? address
  const match = IPV4.exec(mapped)
  if (match === null) return null
  const octets = match.slice(1).map(Number)
  return octets.every((octet) => octet <= 255) ? octets : null
}

/** The eight 16-bit groups of an IPv6 address (a zone index dropped), or null. */
function parseIpv6 (address: string): number[] | null {
  const bare = address.split('%')[0] ?? ''
  if (!bare.includes(':')) return null
  const halves = bare.split('::')
  if (halves.length > 2) return null
  const groups = (part: string | undefined) => part === undefined || part === '' ? [] : part.split(':')
  const head = groups(halves[0])
  const tail = groups(halves[1])
  // A trailing dotted quad (`64:ff9b::1.2.3.4`) is the last two groups.
  const last = tail.length > 0 ? tail : head
  const quad = last.length > 0 ? asIpv4(last[last.length - 1] ?? '') : null
  if (quad !== null) {
    last.splice(-1, 1, ((quad[0]! << 8) | quad[1]!).toString(16), ((quad[2]! << 8) | quad[3]!).toString(16))
  }
  const missing = 8 - head.length - tail.length
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null
  const all = [...head, ...Array<string>(halves.length === 1 ? 0 : missing).fill('0'), ...tail]
  if (!all.every((group) => /^[0-9a-f]{1,4}$/i.test(group))) return null
  return all.map((group) => parseInt(group, 16))
}

const prefix64 = (groups: number[]) => groups.slice(0, 4).map((group) => group.toString(16)).join(':')
