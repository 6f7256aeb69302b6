import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

/** `pnpm demo` end to end at a small size: the same script, the same real registerbro processes. */

const REPO = fileURLToPath(new URL('../../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'registerbro-demo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('demo', () => {
  it('runs the sandbox, a full sync, changes and an incremental sync, and says how to look at conflicts', async () => {
    const child = spawn(
      process.execPath,
      [
        '--conditions=@registerbro/source',
        '--import',
        pathToFileURL(join(REPO, 'node_modules/tsx/dist/loader.mjs')).href,
        join(REPO, 'apps/sandbox/src/demo.ts'),
        '--people',
        '400',
        '--changes',
        '60',
        '--dir',
        join(dir, 'demo'),
      ],
      { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    // An operation the archive cannot do is quarantined with an error line; nothing else may fail.
    expect(stderr).not.toMatch(/^(fatal|error)(?! archive apply failed for good: quarantined)/m);
    expect(code).toBe(0);
    expect(stdout).toMatch(/registerbro sync full — municipality 1806/);
    expect(stdout).toMatch(/registerbro sync incremental — municipality 1806/);
    expect(stdout).toMatch(/^ {2}total\s+\d+\.\d s$/m);
    expect(stdout).toContain('conflicts list');
    expect(existsSync(join(dir, 'demo', 'registerbro.sqlite'))).toBe(true);
    expect(`${stdout}${stderr}`).not.toMatch(/(?<!\d)\d{11}(?!\d)/);
  });
});
