// The tags a Browse search names with tag: that no note carries (nor a tag below it), so an empty result
// can say which tag is unknown and which tags there are, instead of only "no cards match". Matching
// follows search.ts: case-insensitive, `*` any text, `_` one character, a tag's child tags included.

/** The `tag:` values of a search that are not left out with `-` (quoted or not), in order. */
function namedTags(search: string): string[] {
  const names: string[] = [];
  for (const m of search.matchAll(/(^|[\s(])(-?)tag:(?:"([^"]*)"|([^\s()"]+))/gi)) {
    const value = m[3] ?? m[4] ?? '';
    if (m[2] === '' && value !== '' && value.toLowerCase() !== 'none') names.push(value);
  }
  return names;
}

/** The tag names in `search` that match none of `tags`. */
export function missingTags(search: string, tags: readonly string[]): string[] {
  return namedTags(search).filter((name) => {
    const pattern = name.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/_/g, '.');
    const re = new RegExp(`^${pattern}(::.*)?$`, 'iu');
    return !tags.some((t) => re.test(t));
  });
}

/** The first level of each tag (cert, pm, scrum for cert::pmi, pm::tools, scrum), sorted, without repeats. */
export function topLevelTags(tags: readonly string[]): string[] {
  const tops = new Map<string, string>();
  for (const t of tags) {
    const top = t.split('::')[0]!;
    if (top && !tops.has(top.toLowerCase())) tops.set(top.toLowerCase(), top);
  }
  return [...tops.values()].sort((a, b) => a.localeCompare(b));
}
