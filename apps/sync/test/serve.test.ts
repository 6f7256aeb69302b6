import { type Sandbox, startSandbox } from '@registerbro/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, removeTempDirs, runCli, spawnCli, writeConfig } from './helpers.js';

/** `registerbro serve` as a real process: health, readiness, metrics, schedules and a graceful stop. */

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ people: 300, seed: 'serve' });
});
afterAll(async () => {
  await sandbox?.close();
  removeTempDirs();
});

async function waitFor<T>(
  what: string,
  fn: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('registerbro serve', () => {
  it('answers /healthz, /readyz and /metrics, runs the flows, and stops gracefully on SIGTERM', async () => {
    const { dir, config } = writeConfig(sandbox);
    const child = spawnCli(['--config', config, 'serve', '--port', '0', '--run-now'], {
      cwd: dir,
      env: sandbox.env,
    });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const exited = collect(child, 60_000);
    try {
      const url = await waitFor(
        'the listening address',
        () => /"url":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(stderr)?.[1],
      );
      const health = await fetch(`${url}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok' });
      const ready = await fetch(`${url}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ status: 'ready', tenant: '1806' });
      // --run-now ran F1, F2 and F6 once; the metrics show it.
      const metrics = await waitFor('three finished runs in /metrics', async () => {
        const text = await (await fetch(`${url}/metrics`)).text();
        const runs = [
          ...text.matchAll(/^registerbro_runs_total\{[^}]*flow="(F\d)"[^}]*status="ok"[^}]*\} (\d+)/gm),
        ];
        return runs.length >= 3 ? text : undefined;
      });
      expect(metrics).toMatch(/^# TYPE registerbro_open_conflicts gauge/m);
      expect(metrics).toMatch(/^registerbro_flow_running\{flow="F1",tenant="1806"\} 0/m);
      expect(metrics).toMatch(/^registerbro_process_cpu_user_seconds_total/m);
      // Sample values may be large byte counts; no label may ever carry an identifier.
      expect(metrics).not.toMatch(/\{[^}]*(?<!\d)\d{11}(?!\d)[^}]*\}/);
      expect(sandbox.noark.server.requests.length).toBeGreaterThan(0);
    } finally {
      child.kill('SIGTERM');
    }
    const result = await exited;
    expect(result.signal).toBeNull();
    expect(result.code, result.stderr).toBe(0);
    expect(stderr).toMatch(/"msg":"shutting down: finishing the page in hand"/);
    expect(stderr).toMatch(/"msg":"stopped"/);
    expect(stderr).not.toMatch(/"level":50/);
    // Privacy: the service's log never holds an identifier.
    expect(stderr).not.toMatch(/(?<!\d)\d{11}(?!\d)/);
  });

  it('on SIGTERM in the middle of a run, finishes or hands back the page in hand and exits 0; the next sync completes', async () => {
    const { dir, config } = writeConfig(sandbox);
    // Slow archive: the run is surely in progress when the signal comes.
    sandbox.faults.noark.set({ latencyMs: 150 });
    const requestsBefore = sandbox.noark.server.requests.length;
    const child = spawnCli(['--config', config, 'serve', '--port', '0', '--run-now'], {
      cwd: dir,
      env: sandbox.env,
    });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const exited = collect(child, 60_000);
    try {
      // The run has reached the archive: it is in the middle of its first page.
      await waitFor('the run to reach the archive', () =>
        sandbox.noark.server.requests.length > requestsBefore ? true : undefined,
      );
    } finally {
      child.kill('SIGTERM');
    }
    const result = await exited;
    sandbox.faults.noark.clear();
    expect(result.code, result.stderr).toBe(0);
    expect(stderr).toMatch(/"msg":"flow F1 incremental run starting"/);
    expect(stderr).toMatch(/"msg":"stopped"/);
    const after = await runCli(['--config', config, '--json', 'sync'], { cwd: dir, env: sandbox.env });
    expect(after.code, after.stderr).toBe(0);
    const runs = JSON.parse(
      (await runCli(['--config', config, '--json', 'runs'], { cwd: dir, env: sandbox.env })).stdout,
    ) as {
      status: string;
    }[];
    expect(runs.every((r) => r.status !== 'running')).toBe(true);
  });
});
