/** The closest of `candidates` to `value` by edit distance, for "did you mean" in messages; undefined if none is close. */
export function closest(value: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(value.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  // A suggestion further than half the value away is noise, not help.
  return bestDistance <= Math.max(2, Math.ceil(value.length / 2)) ? best : undefined;
}

/** ", closest valid value: X" or nothing. */
export function suggestion(value: string, candidates: Iterable<string>): string {
  const match = closest(value, candidates);
  return match === undefined ? "" : `; closest valid value: ${match}`;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}
