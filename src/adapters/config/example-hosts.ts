/**
 * Host names that never reach a real service: the example domains and the special-use top-level
 * names of RFC 2606 and RFC 6761, and this machine. In a mail sender or a URL the apps follow they
 * are a setting copied from an example and never filled in: mail and links that go nowhere, silently.
 */
export function isExampleHost (host: string): boolean {
  const name = host.toLowerCase().replace(/\.$/, '').replace(/^\[|\]$/g, '')
  if (EXAMPLE_DOMAINS.some((domain) => name === domain || name.endsWith(`.${domain}`))) return true
  if (RESERVED_TOP_LEVEL.includes(name.split('.').at(-1)!)) return true
  return name === 'localhost' || name === '::1' || name === '0.0.0.0' || /^127(\.\d{1,3}){3}$/.test(name)
}

/** The domain of `address` or of `Name <address>`, as MAIL_FROM holds it. */
export function mailDomain (from: string): string {
  const address = /<([^<>]+)>\s*$/.exec(from)?.[1] ?? from
  return address.slice(address.lastIndexOf('@') + 1)
}

/** The host of an absolute http(s) URL (`//host/` counts), or null for a path such as `/media/`. */
export function urlHost (value: string): string | null {
  const url = URL.parse(value.startsWith('//') ? `https:${value}` : value)
  return url !== null && (url.protocol === 'https:' || url.protocol === 'http:') ? url.hostname : null
}

const EXAMPLE_DOMAINS = ['example.com', 'example.org', 'example.net']
const RESERVED_TOP_LEVEL = ['example', 'invalid', 'test', 'localhost']
