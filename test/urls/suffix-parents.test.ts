import { describe, expect, it } from 'vitest';
import { SUFFIX_PARENTS } from '../../src/urls/suffix-parents.js';
import { suffixParentsFromTldts, suffixParentsModule } from './psl-trie.js';

describe('src/urls/suffix-parents.ts', () => {
  it('lists exactly the domains with public-suffix rules beneath them in the installed tldts, at every depth', async () => {
    const fromTldts = await suffixParentsFromTldts();
    if (JSON.stringify(fromTldts) !== JSON.stringify(SUFFIX_PARENTS)) {
      // Regenerate: write this text to src/urls/suffix-parents.ts and run prettier on it.
      console.log(suffixParentsModule(fromTldts));
    }
    expect(SUFFIX_PARENTS).toEqual(fromTldts);
    expect(Object.keys(SUFFIX_PARENTS).length).toBeGreaterThan(100);
    expect(SUFFIX_PARENTS['amazonaws.com']).toBe('s3');
    // Parents that are not registrable are listed too (S3's regional hosts, Azure's).
    expect(SUFFIX_PARENTS['eu-central-1.amazonaws.com']).toBe('s3');
    expect(SUFFIX_PARENTS['core.windows.net']).toBeDefined();
  });
});
