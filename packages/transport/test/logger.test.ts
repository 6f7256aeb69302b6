import { Writable } from 'node:stream';
import { AuthError } from '@registerbro/model';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/index.js';

// Synthetic, Tenor-style (birth month + 80) and D-nummer-style (day + 40): never real people.
const FNR = '01818012345';
const DNR = '41818012345';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  return { lines, destination, parsed: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('createLogger', () => {
  it('masks an fnr in the message, in nested fields, in numbers and in errors', () => {
    const out = capture();
    const log = createLogger({ destination: out.destination, name: 'test' });
    const error = new Error(`lookup of ${FNR} failed`);
    log.info(
      { person: { ids: [FNR, { dnr: `D-nummer ${DNR}` }] }, asNumber: Number(DNR), err: error },
      `updated person ${FNR} (spaced ${FNR.slice(0, 6)} ${FNR.slice(6)})`,
    );
    log.error(new AuthError(`refused for ${DNR}`), 'auth');
    log.child({ record: FNR }).warn('child binding');
    const text = out.lines.join('');
    expect(text).not.toContain(FNR);
    expect(text).not.toContain(DNR);
    expect(text).not.toContain(`${FNR.slice(0, 6)} ${FNR.slice(6)}`);
    const [first, second, third] = out.parsed() as [
      Record<string, unknown>,
      Record<string, unknown>,
      Record<string, unknown>,
    ];
    expect(first.msg).toBe('updated person *********** (spaced ***********)');
    expect(first.person).toEqual({ ids: ['***********', { dnr: 'D-nummer ***********' }] });
    expect(first.asNumber).toBe('***********');
    expect((first.err as { message: string }).message).toBe('lookup of *********** failed');
    expect((first.err as { stack: string }).stack).toContain('lookup of ***********');
    expect((second.err as { code: string }).code).toBe('auth_failed');
    expect(third.record).toBe('***********');
  });

  it('never prints authorization, cookies, passwords, secrets or tokens', () => {
    const out = capture();
    const log = createLogger({ destination: out.destination });
    log.info(
      {
        headers: {
          Authorization: 'Bearer abc.def.ghi',
          'proxy-authorization': 'Basic eHh4',
          cookie: 'sid=s3cr3t',
          accept: 'x',
        },
        request: { config: { deep: { nested: { authorization: 'Bearer deep-one', password: 'hunter2' } } } },
        password: 'hunter2',
        passord: 'hemmelig',
        secret: 'sssh',
        token: 'tok-1',
        client_secret: 'cs-1',
      },
      'request sent',
    );
    const axiosLike = Object.assign(new Error('Request failed'), {
      config: { headers: { Authorization: 'Bearer from-error' } },
    });
    log.error({ err: axiosLike }, 'failed');
    const text = out.lines.join('');
    for (const secret of [
      'abc.def.ghi',
      'eHh4',
      's3cr3t',
      'deep-one',
      'hunter2',
      'hemmelig',
      'sssh',
      'tok-1',
      'cs-1',
      'from-error',
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(text.toLowerCase()).not.toContain('authorization');
    const [first] = out.parsed() as [Record<string, unknown>];
    expect(first.headers).toEqual({ accept: 'x' });
    expect(first.msg).toBe('request sent');
  });

  it('honours the level', () => {
    const out = capture();
    const log = createLogger({ destination: out.destination, level: 'warn' });
    log.info('hidden');
    log.warn('shown');
    expect(out.parsed().map((l) => l.msg)).toEqual(['shown']);
  });
});

describe('createLogger base fields', () => {
  it('keeps pino defaults and masks custom base fields', () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    });
    createLogger({ destination }).info('a');
    createLogger({ destination, base: { service: 'sync', owner: FNR } }).info('b');
    const [a, b] = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(a?.pid).toBe(process.pid);
    expect(b).toMatchObject({ service: 'sync', owner: '***********', msg: 'b' });
  });
});
