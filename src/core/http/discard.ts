/** Releases a response body that will not be read, so that its connection can be reused. */
export async function discard(response: Response): Promise<void> {
  await response.body?.cancel().catch(() => undefined);
}
