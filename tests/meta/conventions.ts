import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The convention checks behind `conventions.test.ts`, as plain functions that return findings, so
 * the test can compare them with the known-violation list and the detectors can be tested alone.
 */

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The adapter packages the design names; those that exist must run the conformance suite. */
export const ADAPTER_NAMES = ['folkeregister', 'matrikkel', 'noark', 'landbruk', 'kart'] as const;

/** The rules; each finding names one. */
export type Rule =
  | 'readme'
  | 'type-module'
  | 'side-effects'
  | 'files-dist'
  | 'exports-map'
  | 'conformance-test'
  | 'no-export-star'
  | 'no-real-fnr'
  | 'dependency-direction';

/** One convention violation: the rule, the package or file it concerns, and what is wrong. */
export interface Finding {
  rule: Rule;
  /** Package directory or file path, relative to the repository root. */
  subject: string;
  detail: string;
}

export interface WorkspacePackage {
  /** e.g. `packages/model` */
  dir: string;
  /** Last path segment, e.g. `model` */
  short: string;
  manifest: Record<string, unknown> & { name?: string; private?: boolean };
}

const SKIP_DIRS = new Set(['node_modules', 'dist', '.turbo', 'coverage', '.git']);

/** Every `packages/*` and `apps/*` directory with a package.json. */
export function listPackages(root = ROOT): WorkspacePackage[] {
  const out: WorkspacePackage[] = [];
  for (const group of ['packages', 'apps']) {
    const base = join(root, group);
    if (!existsSync(base)) continue;
    for (const name of readdirSync(base).sort()) {
      const manifestPath = join(base, name, 'package.json');
      if (!existsSync(manifestPath)) continue;
      out.push({
        dir: `${group}/${name}`,
        short: name,
        manifest: JSON.parse(readFileSync(manifestPath, 'utf8')) as WorkspacePackage['manifest'],
      });
    }
  }
  return out;
}

/** Files under `dir` (relative to root), skipping build output and dependencies. */
export function walk(dir: string, root = ROOT): string[] {
  const out: string[] = [];
  const visit = (rel: string) => {
    const abs = join(root, rel);
    if (!existsSync(abs)) return;
    for (const entry of readdirSync(abs, { withFileTypes: true })) {
      if (SKIP_DIRS.has(entry.name)) continue;
      const child = `${rel}/${entry.name}`;
      if (entry.isDirectory()) visit(child);
      else if (entry.isFile()) out.push(child);
    }
  };
  visit(dir);
  return out.sort();
}

const read = (rel: string, root = ROOT) => readFileSync(join(root, rel), 'utf8');

// ---------------------------------------------------------------------------------------------
// Package shape
// ---------------------------------------------------------------------------------------------

/** README, `type: module`, `sideEffects: false` / `files: [dist]` (publishable), exports map shape. */
export function checkPackageShape(pkg: WorkspacePackage, root = ROOT): Finding[] {
  const findings: Finding[] = [];
  const add = (rule: Rule, detail: string) => findings.push({ rule, subject: pkg.dir, detail });
  const m = pkg.manifest;
  if (!existsSync(join(root, pkg.dir, 'README.md'))) add('readme', 'has no README.md');
  if (m.type !== 'module') add('type-module', 'package.json must say "type": "module"');
  const publishable = m.private !== true;
  if (publishable) {
    if (m.sideEffects !== false) add('side-effects', 'a publishable package must say "sideEffects": false');
    if (!Array.isArray(m.files) || !m.files.includes('dist'))
      add('files-dist', '"files" must contain "dist"');
    if (m.exports === undefined) add('exports-map', 'a publishable package needs an "exports" map');
  }
  if (m.exports !== undefined) findings.push(...checkExportsMap(pkg, root));
  return findings;
}

/**
 * Every subpath: the `@registerbro/source` condition comes first and points at an existing file;
 * under `import` and `require`, `types` is the first key and a `default` follows.
 */
export function checkExportsMap(pkg: WorkspacePackage, root = ROOT): Finding[] {
  const findings: Finding[] = [];
  const add = (detail: string) => findings.push({ rule: 'exports-map', subject: pkg.dir, detail });
  const exportsField = pkg.manifest.exports;
  if (typeof exportsField !== 'object' || exportsField === null || Array.isArray(exportsField)) {
    add('"exports" must be an object of subpaths');
    return findings;
  }
  for (const [subpath, target] of Object.entries(exportsField as Record<string, unknown>)) {
    if (typeof target === 'string') {
      if (subpath !== './package.json')
        add(`${subpath}: needs conditions (@registerbro/source, import, require), not a bare path`);
      continue;
    }
    if (typeof target !== 'object' || target === null) {
      add(`${subpath}: must be an object of conditions`);
      continue;
    }
    const conditions = target as Record<string, unknown>;
    const keys = Object.keys(conditions);
    const source = conditions['@registerbro/source'];
    if (typeof source !== 'string') add(`${subpath}: no "@registerbro/source" condition`);
    else {
      if (keys[0] !== '@registerbro/source')
        add(`${subpath}: "@registerbro/source" must be the first condition`);
      if (!existsSync(join(root, pkg.dir, source)))
        add(`${subpath}: "@registerbro/source" points at ${source}, which does not exist`);
    }
    for (const mode of ['import', 'require'] as const) {
      const entry = conditions[mode];
      if (entry === undefined) continue;
      if (typeof entry !== 'object' || entry === null) {
        add(`${subpath}.${mode}: must be { types, default }`);
        continue;
      }
      const modeKeys = Object.keys(entry);
      if (modeKeys[0] !== 'types')
        add(`${subpath}.${mode}: "types" must come first (got ${modeKeys.join(', ')})`);
      if (!modeKeys.includes('default')) add(`${subpath}.${mode}: needs a "default"`);
    }
  }
  return findings;
}

/** `export *` (and `export * as ns`) in any `index.ts` under `src/`: index files re-export by name. */
export function checkNoExportStar(pkg: WorkspacePackage, root = ROOT): Finding[] {
  return walk(`${pkg.dir}/src`, root)
    .filter((file) => file.endsWith('/index.ts'))
    .flatMap((file) =>
      findExportStars(read(file, root)).map((line) => ({
        rule: 'no-export-star' as const,
        subject: file,
        detail: `line ${line}: \`export *\`; re-export each name explicitly`,
      })),
    );
}

/** Line numbers (1-based) of `export *` statements. */
export function findExportStars(text: string): number[] {
  return text
    .split('\n')
    .flatMap((line, index) => (/^\s*export\s+(type\s+)?\*/.test(line) ? [index + 1] : []));
}

/** Test files in the package or in tests/conformance that run the suite for this adapter. */
export function findConformanceTests(pkg: WorkspacePackage, root = ROOT): string[] {
  const own = walk(pkg.dir, root).filter((file) => file.endsWith('.test.ts'));
  const shared = walk('tests/conformance', root).filter(
    (file) =>
      file.endsWith('.test.ts') &&
      pkg.manifest.name !== undefined &&
      read(file, root).includes(`'${pkg.manifest.name}`),
  );
  return [...own, ...shared].filter((file) =>
    /\bdescribeAdapterConformance\s*(<[^()]*>)?\s*\(/.test(read(file, root)),
  );
}

// ---------------------------------------------------------------------------------------------
// Real-looking fødselsnummer
// ---------------------------------------------------------------------------------------------

const K1 = [3, 7, 6, 1, 8, 9, 4, 5, 2];
const K2 = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];

function weighted(digits: number[], weights: number[]): number {
  return weights.reduce((sum, weight, i) => sum + weight * digits[i]!, 0);
}

/**
 * True when eleven digits could be a real person's number: birth month 01–12 (so not Tenor's
 * month + 80, and not an H-nummer), day 01–31 (fnr) or 41–71 (D-nummer), and valid control digits
 * under the classic rule or the 2032 rule (control digit 1 leaves remainder 0–3).
 */
export function isRealLookingFodselsnummer(value: string): boolean {
  if (!/^\d{11}$/.test(value)) return false;
  const d = [...value].map(Number);
  const day = d[0]! * 10 + d[1]!;
  const month = d[2]! * 10 + d[3]!;
  if (month < 1 || month > 12) return false;
  if (!((day >= 1 && day <= 31) || (day >= 41 && day <= 71))) return false;
  if ((weighted(d, K1) + d[9]!) % 11 > 3) return false;
  return (weighted(d, K2) + d[10]!) % 11 === 0;
}

/** Eleven-digit runs (also written `DDMMYY NNNNN`) in `text` that look like real numbers, with line numbers. */
export function findRealLookingNumbers(text: string): { line: number; masked: string }[] {
  const out: { line: number; masked: string }[] = [];
  const pattern = /(?<![0-9])([0-9]{6})[ ]?([0-9]{5})(?![0-9])/g;
  for (const match of text.matchAll(pattern)) {
    const digits = `${match[1]}${match[2]}`;
    if (!isRealLookingFodselsnummer(digits)) continue;
    const line = text.slice(0, match.index).split('\n').length;
    // Never print the number itself: the birth date part alone is personal data if it is real.
    out.push({ line, masked: `***********` });
  }
  return out;
}

/** Tracked and untracked (not ignored) files under the scanned folders. */
export function filesToScan(root = ROOT): string[] {
  const folders = ['packages', 'apps', 'tests', 'tooling'].filter((folder) => existsSync(join(root, folder)));
  const git = (...args: string[]) =>
    execFileSync('git', [...args, '--', ...folders], {
      cwd: root,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    })
      .split('\n')
      .filter(Boolean);
  const files = new Set([...git('ls-files'), ...git('ls-files', '--others', '--exclude-standard')]);
  return [...files]
    .filter((file) => !file.split('/').some((segment) => SKIP_DIRS.has(segment)))
    .filter((file) => existsSync(join(root, file)) && statSync(join(root, file)).isFile())
    .sort();
}

/** Every real-looking fødselsnummer in the scanned files (binary and very large files are skipped). */
export function checkNoRealFodselsnummer(root = ROOT): Finding[] {
  const findings: Finding[] = [];
  for (const file of filesToScan(root)) {
    const abs = join(root, file);
    if (statSync(abs).size > 20 * 1024 * 1024) continue;
    const buffer = readFileSync(abs);
    if (buffer.includes(0)) continue;
    for (const hit of findRealLookingNumbers(buffer.toString('utf8'))) {
      findings.push({
        rule: 'no-real-fnr',
        subject: file,
        detail: `line ${hit.line}: a real-looking fødselsnummer (valid control digits, month 01–12); use a Tenor-style number (month + 80)`,
      });
    }
  }
  return findings;
}

// ---------------------------------------------------------------------------------------------
// Dependency direction
// ---------------------------------------------------------------------------------------------

/** Bare module specifiers a source text imports (static, dynamic, re-exports, require). */
export function importsOf(text: string): string[] {
  const specs = new Set<string>();
  const patterns = [
    /\b(?:import|export)\s+(?:type\s+)?[^'";]*?\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const pattern of patterns) for (const match of text.matchAll(pattern)) specs.add(match[1]!);
  return [...specs].filter((spec) => !spec.startsWith('.') && !spec.startsWith('/'));
}

/** `@scope/name/sub` → `@scope/name`; `name/sub` → `name`; `node:fs` stays. */
export function packageNameOf(specifier: string): string {
  if (specifier.startsWith('node:')) return specifier;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

function runtimeSourceFiles(pkg: WorkspacePackage, root: string): string[] {
  return walk(`${pkg.dir}/src`, root).filter(
    (file) =>
      /\.(ts|tsx|js|mjs|cjs|mts|cts)$/.test(file) && !/\.test\.[a-z]+$/.test(file) && !file.endsWith('.d.ts'),
  );
}

/**
 * Dependencies point one way: the model imports only zod; adapters never import each other; the
 * transport imports no adapter. Checked in runtime source (`src/`, tests excluded) and in every
 * dependency list of package.json.
 */
export function checkDependencyDirection(pkg: WorkspacePackage, root = ROOT): Finding[] {
  const findings: Finding[] = [];
  const adapterPackages = new Set(ADAPTER_NAMES.map((name) => `@registerbro/${name}`));
  const own = pkg.manifest.name;
  const manifestDeps = (field: string) =>
    Object.keys((pkg.manifest[field] as Record<string, string> | undefined) ?? {});
  const runtimeDeps = [
    ...manifestDeps('dependencies'),
    ...manifestDeps('peerDependencies'),
    ...manifestDeps('optionalDependencies'),
  ];
  const allDeps = [...runtimeDeps, ...manifestDeps('devDependencies')];

  const forbidden = (name: string): string | undefined => {
    if (pkg.short === 'model' && name !== 'zod') return 'the model may import only zod';
    if (
      ADAPTER_NAMES.includes(pkg.short as (typeof ADAPTER_NAMES)[number]) &&
      adapterPackages.has(name) &&
      name !== own
    ) {
      return 'adapters never import each other';
    }
    if (pkg.short === 'transport' && adapterPackages.has(name))
      return 'the transport never imports an adapter';
    return undefined;
  };

  for (const file of runtimeSourceFiles(pkg, root)) {
    for (const name of new Set(importsOf(read(file, root)).map(packageNameOf))) {
      const why = forbidden(name);
      if (why)
        findings.push({ rule: 'dependency-direction', subject: file, detail: `imports ${name}: ${why}` });
    }
  }
  for (const name of pkg.short === 'model' ? runtimeDeps : allDeps) {
    const why = forbidden(name);
    if (why)
      findings.push({
        rule: 'dependency-direction',
        subject: `${pkg.dir}/package.json`,
        detail: `depends on ${name}: ${why}`,
      });
  }
  return findings;
}

/** Root-relative path helper for messages. */
export function rel(path: string, root = ROOT): string {
  return relative(root, path);
}
