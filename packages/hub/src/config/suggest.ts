/**
 * "Did you mean": the known name nearest to a mistyped one, so a typo such as
 * SPOUT_JWT_KYE is named with its fix instead of passing unnoticed.
 */

/** Edit distance counting a swap of two neighbours as one edit (optimal string alignment). */
export function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, rows[i - 2]![j - 2]! + 1);
      }
      rows[i]![j] = best;
    }
  }
  return rows[a.length]![b.length]!;
}

/**
 * The candidate nearest to `name` (case-insensitive), when it is near enough to be a typo of it:
 * at most 2 edits, or a third of the name's length for long names. Undefined otherwise.
 */
export function nearest(name: string, candidates: Iterable<string>): string | undefined {
  const wanted = name.toLowerCase();
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(wanted, candidate.toLowerCase());
    if (best === undefined || distance < best.distance) best = { candidate, distance };
  }
  const allowed = Math.max(2, Math.floor(wanted.length / 3));
  return best !== undefined && best.distance <= allowed ? best.candidate : undefined;
}

/** `; did you mean X?` when a candidate is near, else the given fallback. */
export function didYouMean(name: string, candidates: Iterable<string>, fallback: string): string {
  const suggestion = nearest(name, candidates);
  return suggestion === undefined ? fallback : `did you mean ${suggestion}?`;
}
