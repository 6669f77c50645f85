import fs from 'node:fs';
import { renderLogLine } from './log-lines';

/**
 * Streams what is appended to each log file to the terminal, prefixed with the
 * service name. Polling (not fs.watch) because it behaves the same on every
 * filesystem, and a quarter second is quick enough for a human.
 */
export function followLogs(
  files: Record<string, string>,
  write: (line: string) => void,
  options: { raw?: boolean; fromStart?: boolean } = {},
): () => void {
  const width = Math.max(...Object.keys(files).map((name) => name.length));
  const offsets = new Map<string, number>();
  const partial = new Map<string, string>();
  for (const [name, file] of Object.entries(files)) {
    offsets.set(name, options.fromStart || !fs.existsSync(file) ? 0 : fs.statSync(file).size);
  }
  const timer = setInterval(() => {
    for (const [name, file] of Object.entries(files)) {
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
