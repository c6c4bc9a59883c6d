// An empty Browse search that names a tag nobody has says which tag, and which tags there are.
import { describe, expect, it } from 'vitest';
import { missingTags, topLevelTags } from '../../shared/searchTags';

const starterTags = ['cert::pmi::pdu', 'cert::scrum-alliance::seu', 'pm::strategy', 'pm::tools', 'scrum::events::sprint', 'tpm::risk', 'leech'];

describe('tags a search names that no note has', () => {
  it('finds the unknown tag of a search, as search.ts matches tags', () => {
    expect(missingTags('tag:bootcamp', starterTags)).toEqual(['bootcamp']);
    expect(missingTags('sprint (tag:Scrum or tag:"boot camp")', starterTags)).toEqual(['boot camp']);
    // A parent tag, a child's full name, any case and wildcards all match tags that exist.
    expect(missingTags('tag:scrum tag:PM::Tools tag:cert::* tag:t_m::risk tag:pm*', starterTags)).toEqual([]);
    // Left out, none, or not a tag search: nothing to say.
    expect(missingTags('-tag:bootcamp tag:none bootcamp deck:tag:x', starterTags)).toEqual([]);
  });

  it('lists the first level of the tags there are', () => {
    expect(topLevelTags(starterTags)).toEqual(['cert', 'leech', 'pm', 'scrum', 'tpm']);
    expect(topLevelTags(['PM::a', 'pm::b'])).toEqual(['PM']);
  });
});
