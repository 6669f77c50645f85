import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { SurgePaths } from '../native/paths';

/**
 * `.surge/run/upstreams/<service>`: the addresses of a service's instances, one URL a
 * line. Every native service and the gateway get `<NAME>_SERVICE_URL=file://…` of it
 * and re-read it every 5 s (packages/http-client AddressSource), so `scale` changes who
 * is called without restarting anyone. It lists the instances that should run: a
 * crash does not remove one (health checks and ejection notice that), scaling does.
 */
export function upstreamsFile(paths: SurgePaths, service: string): string {
  return path.join(paths.runDir, 'upstreams', service);
}

export function upstreamsFileUrl(paths: SurgePaths, service: string): string {
  return pathToFileURL(upstreamsFile(paths, service)).href;
}

/**
 * Replaces the file at once (write aside, rename), so a reader sees the old list or the
 * new one, never half of it.
 */
export function writeUpstreams(paths: SurgePaths, service: string, urls: readonly string[]): void {
  const file = upstreamsFile(paths, service);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const text = `# instances of ${service}, written by npm run stack (up, scale)\n${urls.map((url) => `${url}\n`).join('')}`;
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, text);
  fs.renameSync(temporary, file);
}

/** How many instances the file lists, or undefined when there is no file yet. */
export function listedInstanceCount(paths: SurgePaths, service: string): number | undefined {
  const file = upstreamsFile(paths, service);
  if (!fs.existsSync(file)) return undefined;
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() && !line.trim().startsWith('#')).length;
}

export function removeUpstreamsFiles(paths: SurgePaths): void {
  fs.rmSync(path.join(paths.runDir, 'upstreams'), { recursive: true, force: true });
}

const cpusFile = (paths: SurgePaths, service: string) => `${upstreamsFile(paths, service)}.cpus`;

/** `scale --cpus` is remembered per service, so `start product/2` after a crash gets the same quota. */
export function saveScaledCpus(paths: SurgePaths, service: string, cpus: number): void {
  fs.mkdirSync(path.dirname(cpusFile(paths, service)), { recursive: true });
  fs.writeFileSync(cpusFile(paths, service), `${cpus}\n`);
}

export function scaledCpus(paths: SurgePaths, service: string): number | undefined {
  const file = cpusFile(paths, service);
  if (!fs.existsSync(file)) return undefined;
  const cpus = Number(fs.readFileSync(file, 'utf8').trim());
  return Number.isFinite(cpus) && cpus > 0 ? cpus : undefined;
}
