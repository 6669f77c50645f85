import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { isRoot, versionOf, which } from './exec';

/** Debian 12's server package; the one we install when no server binaries are found. */
export const PG_PACKAGE = 'postgresql-15';
export const PG_PREFERRED_MAJOR = 15;
export const PG_MIN_MAJOR = 14;

export interface PgBinaries {
  dir: string;
  major: number;
}

/**
 * Finds server binaries: Debian keeps them off PATH in /usr/lib/postgresql/<major>/bin.
 * Prefers 15 (what the project is tested on), else the newest >= 14, else PATH.
 * With `major`, only that version will do (an existing data dir fixes it).
 */
export function findPgBinaries(major?: number): PgBinaries | null {
  const found: PgBinaries[] = [];
  const debianRoot = '/usr/lib/postgresql';
  for (const entry of safeReaddir(debianRoot)) {
    const dir = path.join(debianRoot, entry, 'bin');
    const m = Number(entry);
    if (Number.isInteger(m) && hasServer(dir)) found.push({ dir, major: m });
  }
  const onPath = which('initdb');
  if (onPath && hasServer(path.dirname(onPath))) {
    const m = /\(PostgreSQL\)\s+(\d+)/.exec(versionOf(path.join(path.dirname(onPath), 'postgres')) ?? '');
    if (m?.[1]) found.push({ dir: path.dirname(onPath), major: Number(m[1]) });
  }
  if (major !== undefined) return found.find((b) => b.major === major) ?? null;
  const usable = found.filter((b) => b.major >= PG_MIN_MAJOR);
  return (
    usable.find((b) => b.major === PG_PREFERRED_MAJOR) ?? usable.sort((a, b) => b.major - a.major)[0] ?? null
  );
}

function hasServer(dir: string): boolean {
  return ['postgres', 'initdb', 'pg_ctl'].every((b) => fs.existsSync(path.join(dir, b)));
}

function safeReaddir(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}

/**
 * PostgreSQL refuses to run as root. As root we run initdb and postgres as the `postgres`
 * system user (created by the Debian package) through setpriv, which execs in place, so
 * the pid we get is the postmaster's own. As anyone else we run them as ourselves.
 */
export interface PgUser {
  /** Prefix for the command line: [] or ['setpriv', '--reuid=…', …, '--']. */
  wrap: string[];
  uid: number;
  gid: number;
  name: string;
}

export function pgRunAs(): PgUser | { error: string } {
  if (!isRoot()) {
    return { wrap: [], uid: process.getuid?.() ?? -1, gid: process.getgid?.() ?? -1, name: 'current user' };
  }
  const ids = lookupUser('postgres');
  if (!ids) return { error: 'running as root, but there is no `postgres` system user to run PostgreSQL as' };
  if (which('setpriv')) {
    return {
      wrap: ['setpriv', `--reuid=${ids.uid}`, `--regid=${ids.gid}`, '--init-groups', '--'],
      ...ids,
      name: 'postgres',
    };
  }
  return { wrap: ['runuser', '-u', 'postgres', '--'], ...ids, name: 'postgres' };
}

function lookupUser(name: string): { uid: number; gid: number } | null {
  const uid = spawnSync('id', ['-u', name], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', name], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) return null;
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/** Can `user` create files in dir? (Fails when an ancestor such as /root is not searchable.) */
export function userCanWrite(user: PgUser, dir: string): boolean {
  if (user.wrap.length === 0) return true;
  const [cmd, ...rest] = user.wrap;
  const res = spawnSync(cmd!, [...rest, 'test', '-w', dir, '-a', '-x', dir], { stdio: 'ignore' });
  return res.status === 0;
}
