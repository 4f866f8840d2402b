/** Where a browser fetches this bucket's objects from, as the presigned links name it. */
export function s3Origin (s3: {
  bucket: string | null
  region: string
  endpoint: string | null
  forcePathStyle: boolean
}): string | null {
  if (s3.bucket === null) return null
  if (s3.endpoint === null) return `https://${s3.bucket}.s3.${s3.region}.amazonaws.com`
  const endpoint = new URL(s3.endpoint)
  return s3.forcePathStyle ? endpoint.origin : `${endpoint.protocol}//${s3.bucket}.${endpoint.host}`
}
