/**
 * "Full jitter" exponential backoff: a random wait between 0 and min(max, base * 2^attempt), so a fleet that lost its
 * server at the same moment does not come back at the same moment.
 */
export function backoffDelayMs(attempt: number, baseMs: number, maxMs: number, random = Math.random): number {
  return Math.round(random() * Math.min(maxMs, baseMs * 2 ** attempt));
}
