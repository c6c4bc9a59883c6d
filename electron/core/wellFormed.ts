// Text from the renderer is JavaScript's UTF-16, which can hold half of a surrogate pair on its own (a
// broken emoji cut in two, a crafted request). SQLite stores text as UTF-8, where such a half has no
// encoding: it would be written as invalid bytes and read back as "���". Every request's text is made
// well-formed before the contract parses it: a lone half becomes U+FFFD, the replacement character,
// visible as one "�" where the broken character was, and nothing else changes.

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const ANY_SURROGATE = /[\uD800-\uDFFF]/;

export function wellFormedText(text: string): string {
  // Most text has no surrogate at all (no emoji): one quick test, no copy.
  return ANY_SURROGATE.test(text) ? text.replace(LONE_SURROGATE, '\uFFFD') : text;
}

/** `value` with every string in it (keys too) well-formed; a new object only where something changed. */
export function wellFormed<T>(value: T): T {
  if (typeof value === 'string') return wellFormedText(value) as T;
  if (Array.isArray(value)) {
    let changed = false;
    const out = value.map((v) => {
      const w = wellFormed(v);
      if (w !== v) changed = true;
      return w;
    });
    return (changed ? out : value) as T;
  }
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    let changed = false;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const key = wellFormedText(k);
      const w = wellFormed(v);
      if (w !== v || key !== k) changed = true;
      out[key] = w;
    }
    return (changed ? out : value) as T;
  }
  return value;
}
