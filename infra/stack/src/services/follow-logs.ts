import fs from 'node:fs';
import { renderLogLine } from './log-lines';

/**
 * Streams what is appended to each log file to the terminal, prefixed with its name.
 * `files` may be a function: it is asked again every tick, so instances that start later
 * (`npm run stack -- scale` from another terminal) join in; a new file is followed from its
 * start. Polling (not fs.watch) because it behaves the same on every filesystem, and a
 * quarter second is quick enough for a human.
 */
export function followLogs(
  files: Record<string, string> | (() => Record<string, string>),
  write: (line: string) => void,
  options: { raw?: boolean; fromStart?: boolean } = {},
): () => void {
  const current = typeof files === 'function' ? files : () => files;
  const followed = new Map<string, string>();
  const offsets = new Map<string, number>();
  const partial = new Map<string, string>();
  let width = 0;
  const adopt = (initial: boolean) => {
    for (const [name, file] of Object.entries(current())) {
      if (followed.has(name)) continue;
      followed.set(name, file);
      width = Math.max(width, name.length);
      const skipExisting = initial && !options.fromStart && fs.existsSync(file);
      offsets.set(name, skipExisting ? fs.statSync(file).size : 0);
    }
  };
  adopt(true);
  const timer = setInterval(() => {
    adopt(false);
    for (const [name, file] of followed) {
      if (!fs.existsSync(file)) continue;
      const size = fs.statSync(file).size;
      const from = offsets.get(name) ?? 0;
      if (size <= from) continue;
      const fd = fs.openSync(file, 'r');
      const buffer = Buffer.alloc(size - from);
      fs.readSync(fd, buffer, 0, buffer.length, from);
      fs.closeSync(fd);
      offsets.set(name, size);
      const text = (partial.get(name) ?? '') + buffer.toString('utf8');
      const lines = text.split('\n');
      partial.set(name, lines.pop() ?? '');
      for (const line of lines) {
        if (line.trim()) write(`${name.padEnd(width)} | ${options.raw ? line : renderLogLine(line)}`);
      }
    }
  }, 250);
  return () => clearInterval(timer);
}
