/**
 * "Did you mean" hints for unknown property names: the known name within edit distance 2.
 */

/** Names longer than this get no hint (no known field is anywhere near that long). */
const MAX_HINTED_LENGTH = 100;

/**
 * The candidate within edit distance 2 of `name` (compared in lower case), skipping those
 * `skip` rejects; `undefined` when none is that close.
 *
 * @internal
 */
export function closestName(
  name: string,
  candidates: readonly string[],
  skip: (candidate: string) => boolean = () => false,
): string | undefined {
  if (name.length > MAX_HINTED_LENGTH) return undefined;
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of candidates) {
    if (skip(candidate)) continue;
    const distance = editDistance(name.toLowerCase(), candidate, bestDistance);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** Levenshtein distance, giving up (returning `limit`) once it cannot be below `limit`. */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) >= limit) return limit;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const next = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + cost,
      );
      current.push(next);
      rowMin = Math.min(rowMin, next);
    }
    if (rowMin >= limit) return limit;
    previous = current;
  }
  return Math.min(previous[b.length] ?? limit, limit);
}
