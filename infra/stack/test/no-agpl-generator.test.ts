import { spawnSync } from 'node:child_process';
import { repoRoot } from '../src/chaos/stack-process';

/**
 * Surge builds and bundles no AGPL code, tools included. Its load runs once used an AGPL
 * generator; nothing may lead a user back to it except the one sentence in
 * docs/load-testing.md that says why Surge does not use it. (The name is spelt in two
 * pieces here so that this file is not itself a hit.)
 */
const GENERATOR = ['k', '6'].join('');

describe('the AGPL load generator is gone', () => {
  it('is named only where docs/load-testing.md says why Surge does not use it', () => {
    const grep = spawnSync('git', ['grep', '-n', '-i', '-w', GENERATOR], {
      cwd: repoRoot,
      encoding: 'utf8',
    });
    // Binary files count too ("Binary file … matches"): a re-compressed image once held
    // the two bytes. git grep exits 1 when nothing matches, 0 when something does; anything else is an error.
    if (grep.status !== 0 && grep.status !== 1) throw new Error(`git grep failed: ${grep.stderr}`);
    const hits = grep.stdout.split('\n').filter(Boolean);
    const elsewhere = hits.filter((hit) => !hit.startsWith('docs/load-testing.md:'));
    expect(elsewhere).toEqual([]);
    expect(hits.length).toBeGreaterThanOrEqual(1);
  });
});
