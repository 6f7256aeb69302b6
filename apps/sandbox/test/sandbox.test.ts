import { createFolkeregisterAdapter } from '@registerbro/folkeregister';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../src/index.js';

/** The sandbox: three simulators over one world, its config for registerbro, and its control endpoint. */

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ people: 300, seed: 'sandbox-test', control: true });
});
afterAll(async () => {
  await sandbox?.close();
});

describe('startSandbox', () => {
  it('serves one shared municipality from all three simulators, behind their credentials', async () => {
    expect(sandbox.folkeregister.world).toBe(sandbox.world);
    expect(sandbox.matrikkel.world).toBe(sandbox.world);
    expect(sandbox.noark.world).toBe(sandbox.world);
    const auth = `Basic ${Buffer.from(`${sandbox.env.REGISTERBRO_NOARK_USERNAME}:${sandbox.env.REGISTERBRO_NOARK_PASSWORD}`).toString('base64')}`;
    expect((await fetch(`${sandbox.noark.tgBaseURL}/sakarkiv/saksmappe?$top=1`)).status).toBe(401);
    expect(
      (
        await fetch(`${sandbox.noark.tgBaseURL}/sakarkiv/saksmappe?$top=1`, {
          headers: { authorization: auth },
        })
      ).status,
    ).toBe(200);
    const freg = createFolkeregisterAdapter({
      baseURL: sandbox.folkeregister.url,
      auth: {
        headers: async () => ({ authorization: `Bearer ${sandbox.env.REGISTERBRO_FOLKEREGISTER_TOKEN}` }),
      },
    });
    const someone = [...sandbox.world.people.values()][0];
    expect((await freg.get(someone?.fnr ?? ''))?.identifiers[0]?.value).toBe(someone?.fnr);
    await freg.close?.();
  });

  it('writes a registerbro config with every URL and no secret in it', () => {
    const yaml = sandbox.configYaml({ dataDir: './state' });
    const config = parseYaml(yaml) as Record<string, Record<string, unknown>>;
    expect(config.tenant).toBe('1806');
    expect(config.folkeregister?.baseURL).toBe(sandbox.folkeregister.url);
    expect(config.matrikkel?.baseURL).toBe(sandbox.matrikkel.url);
    expect(config.noark?.baseURL).toBe(sandbox.noark.tgBaseURL);
    expect(config.noark?.fiksURL).toBe(sandbox.noark.fiksBaseURL);
    for (const secret of Object.values(sandbox.env))
      if (secret !== 'registerbro') expect(yaml).not.toContain(secret);
    const pg = parseYaml(
      sandbox.configYaml({ store: { postgresUrlEnv: 'PG_URL', schema: 'demo' } }),
    ) as Record<string, unknown>;
    expect(pg.store).toEqual({ kind: 'postgres', urlEnv: 'PG_URL', schema: 'demo' });
  });

  it('applies generated changes that every register sees (also through the control endpoint)', async () => {
    const seqBefore = sandbox.folkeregister.lastSeq();
    const made = sandbox.applyChanges({ count: 20, seed: 'x', kinds: ['move', 'rename'] });
    expect(made).toHaveLength(20);
    expect(sandbox.folkeregister.lastSeq()).toBeGreaterThan(seqBefore);
    const res = await fetch(`${sandbox.controlURL}/changes`, {
      method: 'POST',
      body: JSON.stringify({ count: 5 }),
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { applied: number }).applied).toBe(5);
    expect((await fetch(`${sandbox.controlURL}/changes`, { method: 'POST', body: '{}' })).status).toBe(400);
    const state = (await (await fetch(`${sandbox.controlURL}/state`)).json()) as { changes: number };
    expect(state.changes).toBe(25);
  });
});
