/**
 * Everything a listing yields, in order.
 * @module
 */

/** Every item of an async iterable (a listing's every page), in order. */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const found: T[] = [];
  for await (const item of items) found.push(item);
  return found;
}
