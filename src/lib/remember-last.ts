/**
 * A function that remembers its last argument and result: for values asked for in runs
 * (the date of the events of one millisecond, the `User-Agent` of one client's requests).
 *
 * @internal
 * @module
 */
export function rememberLast<K, V>(compute: (key: K) => V): (key: K) => V {
  let known = false;
  let lastKey: K | undefined;
  let lastValue: V | undefined;
  return (key) => {
    if (!known || key !== lastKey) {
      lastValue = compute(key);
      lastKey = key;
      known = true;
    }
    return lastValue as V;
  };
}
