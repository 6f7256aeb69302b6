import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Locating the public specifications (`../shared/specs/` next to the repository) and validating
 * XML against their XSDs with `xmllint`. Test-only helpers: nothing here is used at run time.
 */

let cached: string | undefined;

/**
 * Absolute path of the shared specs folder. `REGISTERBRO_SPECS` overrides; otherwise the first
 * `shared/specs` found walking up from the working directory and from this file.
 */
export function specsDir(): string {
  if (cached) return cached;
  const fromEnv = process.env.REGISTERBRO_SPECS;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`REGISTERBRO_SPECS=${fromEnv} does not exist`);
    cached = path.resolve(fromEnv);
    return cached;
  }
  const starts = [process.cwd(), path.dirname(fileURLToPath(import.meta.url))];
  for (const start of starts) {
    let dir = start;
    for (;;) {
      const candidate = path.join(dir, 'shared', 'specs');
      if (existsSync(path.join(candidate, 'README.md'))) {
        cached = candidate;
        return candidate;
      }
      const parent = path.dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  throw new Error(
    'Cannot find the shared specs folder (shared/specs next to the repository). Set REGISTERBRO_SPECS to its path.',
  );
}

/** Path of a file under the specs folder, e.g. `specPath('folkeregister', 'examples', 'x.json')`. */
export function specPath(...segments: string[]): string {
  return path.join(specsDir(), ...segments);
}

export interface XsdResult {
  valid: boolean;
  /** xmllint's messages (file names replaced by `<input>`). */
  errors: string;
}

/**
 * Validate an XML document against an XSD with `xmllint --noout --schema`. Runs xmllint without
 * network access (`--nonet`); pass `catalog` for schemas that import by absolute URL.
 */
export function validateXml(
  xml: string,
  xsdPath: string,
  options: { catalog?: string } = {},
): Promise<XsdResult> {
  const dir = mkdtempSync(path.join(tmpdir(), 'registerbro-xsd-'));
  const file = path.join(dir, 'input.xml');
  writeFileSync(file, xml);
  const env = { ...process.env, ...(options.catalog ? { XML_CATALOG_FILES: options.catalog } : {}) };
  return new Promise((resolve, reject) => {
    execFile(
      'xmllint',
      ['--noout', '--nonet', '--schema', xsdPath, file],
      { env, maxBuffer: 16 * 1024 * 1024 },
      (error, _stdout, stderr) => {
        rmSync(dir, { recursive: true, force: true });
        if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') {
          reject(new Error('xmllint is not installed (Debian package libxml2-utils)'));
          return;
        }
        resolve({ valid: !error, errors: stderr.split(file).join('<input>') });
      },
    );
  });
}
