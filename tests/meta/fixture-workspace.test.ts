import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Finding,
  checkDependencyDirection,
  checkNoExportStar,
  checkNoRealFodselsnummer,
  checkPackageShape,
  findConformanceTests,
  listPackages,
} from './conventions.js';

/**
 * The convention checks run against a small throw-away workspace with one good package and
 * deliberately bad ones, so each rule is shown to fail where it should and pass where it should.
 */

const K1 = [3, 7, 6, 1, 8, 9, 4, 5, 2];
const K2 = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];
const control = (digits: string, weights: number[]) => {
  const k = 11 - (weights.reduce((sum, w, i) => sum + w * Number(digits[i]), 0) % 11);
  return k === 11 ? 0 : k;
};
/** A number with a real-looking birth date and valid control digits, built at run time only. */
function realLooking(): string {
  for (let n = 100; n < 500; n++) {
    const nine = `${['21', '04', '68'].join('')}${n}`;
    const k1 = control(nine, K1);
    const k2 = control(`${nine}${k1}`, K2);
    if (k1 < 10 && k2 < 10) return `${nine}${k1}${k2}`;
  }
  throw new Error('unreachable');
}

const good = (name: string, extra: Record<string, unknown> = {}) => ({
  name: `@registerbro/${name}`,
  version: '0.0.0',
  type: 'module',
  sideEffects: false,
  files: ['dist'],
  exports: {
    '.': {
      '@registerbro/source': './src/index.ts',
      import: { types: './dist/index.d.ts', default: './dist/index.js' },
      require: { types: './dist/index.d.cts', default: './dist/index.cjs' },
    },
    './package.json': './package.json',
  },
  ...extra,
});

let root: string;
const write = (path: string, content: string | object) => {
  const abs = join(root, path);
  mkdirSync(dirname(abs), { recursive: true });
  writeFileSync(abs, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
};

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'registerbro-meta-'));
  execFileSync('git', ['init', '-q'], { cwd: root });
  // model: fine except it imports something besides zod.
  write('packages/model/package.json', good('model', { dependencies: { zod: '^4' } }));
  write('packages/model/README.md', '# model');
  write('packages/model/src/index.ts', "export { a } from './a.js';\n");
  write(
    'packages/model/src/a.ts',
    "import { z } from 'zod';\nimport lodash from 'lodash';\nexport const a = z.string();\n",
  );
  // matrikkel: an adapter importing another adapter, no README, export *, no conformance test.
  write(
    'packages/matrikkel/package.json',
    good('matrikkel', { dependencies: { '@registerbro/noark': 'workspace:^' } }),
  );
  write('packages/matrikkel/src/index.ts', "export * from './client.js';\n");
  write(
    'packages/matrikkel/src/client.ts',
    "import { x } from '@registerbro/noark/simulator';\nexport const c = x;\n",
  );
  // noark: bad package.json shape and a fixture with a real-looking number; has a conformance test.
  write('packages/noark/package.json', {
    name: '@registerbro/noark',
    exports: {
      '.': {
        import: { default: './dist/index.js', types: './dist/index.d.ts' },
        '@registerbro/source': './src/missing.ts',
      },
      './client': './dist/client.js',
    },
  });
  write('packages/noark/README.md', '# noark');
  write('packages/noark/src/index.ts', "export { n } from './n.js';\n");
  write('packages/noark/test/fixtures/case.json', `{"part": "${realLooking()}"}\n`);
  write('packages/noark/test/conformance.test.ts', "describeAdapterConformance({ name: 'noark' });\n");
  // Ignored output is not scanned.
  write('.gitignore', 'dist/\n');
  write('packages/noark/dist/leak.js', `"${realLooking()}"`);
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

const subjects = (findings: Finding[]) => findings.map((f) => `${f.rule} ${f.subject} ${f.detail}`);

describe('convention checks on a fixture workspace', () => {
  it('checks package shape and the exports map', () => {
    const packages = listPackages(root);
    expect(packages.map((pkg) => pkg.short)).toEqual(['matrikkel', 'model', 'noark']);
    const findings = packages.flatMap((pkg) => checkPackageShape(pkg, root));
    const text = subjects(findings).join('\n');
    expect(findings.filter((f) => f.subject === 'packages/model')).toEqual([]);
    expect(text).toContain('readme packages/matrikkel');
    expect(text).toContain('type-module packages/noark');
    expect(text).toContain('side-effects packages/noark');
    expect(text).toContain('files-dist packages/noark');
    expect(text).toMatch(/exports-map packages\/noark \.: "@registerbro\/source" must be the first/);
    expect(text).toMatch(
      /exports-map packages\/noark \.: "@registerbro\/source" points at \.\/src\/missing\.ts/,
    );
    expect(text).toMatch(/exports-map packages\/noark \.\.import: "types" must come first/);
    expect(text).toMatch(/exports-map packages\/noark \.\/client: needs conditions/);
  });

  it('finds export * and the conformance test', () => {
    const packages = listPackages(root);
    expect(subjects(packages.flatMap((pkg) => checkNoExportStar(pkg, root)))).toEqual([
      'no-export-star packages/matrikkel/src/index.ts line 1: `export *`; re-export each name explicitly',
    ]);
    const byName = Object.fromEntries(packages.map((pkg) => [pkg.short, findConformanceTests(pkg, root)]));
    expect(byName.noark).toEqual(['packages/noark/test/conformance.test.ts']);
    expect(byName.matrikkel).toEqual([]);
  });

  it('finds real-looking numbers in untracked files, masked, and skips ignored output', () => {
    const findings = checkNoRealFodselsnummer(root);
    expect(findings.map((f) => f.subject)).toEqual(['packages/noark/test/fixtures/case.json']);
    expect(JSON.stringify(findings)).not.toContain(realLooking());
  });

  it('finds dependencies pointing the wrong way', () => {
    const findings = listPackages(root).flatMap((pkg) => checkDependencyDirection(pkg, root));
    expect(subjects(findings).sort()).toEqual(
      [
        'dependency-direction packages/matrikkel/package.json depends on @registerbro/noark: adapters never import each other',
        'dependency-direction packages/matrikkel/src/client.ts imports @registerbro/noark: adapters never import each other',
        'dependency-direction packages/model/src/a.ts imports lodash: the model may import only zod',
      ].sort(),
    );
  });
});
