import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../src/chaos/stack-process';

/**
 * A reader who follows a link or a comment's "see X.md" lands on a file of this
 * repository. Twenty-five comments once cited a CONTRACT.md that existed only outside it,
 * and docs/gateway.md linked to a folder next to the clone; a fresh clone had neither.
 */
function trackedFiles(pattern: RegExp): string[] {
  const listed = spawnSync('git', ['ls-files'], { cwd: repoRoot, encoding: 'utf8' });
  if (listed.status !== 0) throw new Error(`git ls-files failed: ${listed.stderr}`);
  return listed.stdout
    .split('\n')
    .filter((file) => pattern.test(file))
    .filter((file) => fs.existsSync(path.join(repoRoot, file)));
}

/** Relative targets of Markdown links `[text](target)`, without anchors or queries. */
function markdownTargets(text: string): string[] {
  const targets: string[] = [];
  for (const match of text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
    const target = match[1]!;
    if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('#')) continue;
    targets.push(target.split('#')[0]!.split('?')[0]!);
  }
  return targets.filter(Boolean);
}

describe('links and file references stay inside the repository', () => {
  it('every relative Markdown link resolves to a file or folder of the clone', () => {
    const broken: string[] = [];
    for (const file of trackedFiles(/\.md$/)) {
      const text = fs.readFileSync(path.join(repoRoot, file), 'utf8');
      for (const target of markdownTargets(text)) {
        const resolved = path.resolve(repoRoot, path.dirname(file), decodeURIComponent(target));
        const inside = resolved === repoRoot || resolved.startsWith(repoRoot + path.sep);
        if (!inside || !fs.existsSync(resolved)) broken.push(`${file}: ${target}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('every docs/*.md a source comment cites exists', () => {
    const missing: string[] = [];
    for (const file of trackedFiles(/\.(ts|cjs|mjs|sh|py|ya?ml)$/)) {
      const text = fs.readFileSync(path.join(repoRoot, file), 'utf8');
      for (const match of text.matchAll(/\bdocs\/[\w./-]+\.md\b/g)) {
        if (!fs.existsSync(path.join(repoRoot, match[0]))) missing.push(`${file}: ${match[0]}`);
      }
      // This file names the old document on purpose.
      if (file !== 'infra/stack/test/doc-links.test.ts' && /\bCONTRACT\.md\b/.test(text))
        missing.push(`${file}: CONTRACT.md (now docs/api-contract.md)`);
    }
    expect(missing).toEqual([]);
  });
});
