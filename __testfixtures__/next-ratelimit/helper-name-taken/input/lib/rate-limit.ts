// Our own: formats the provider's rate-limit headers for the UI.
export function describeRateLimit(remaining: number): string {
  return `${remaining} requests left`;
}
