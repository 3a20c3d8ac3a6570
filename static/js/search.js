// The one binary search of the pages. `items` is split in two by `before`: true for a
// prefix of the array, false for the rest; the answer is the length of that prefix (the
// index where an item that `before` rejects would be inserted to keep the order).
export function partitionPoint(items, before) {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (before(items[mid])) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
