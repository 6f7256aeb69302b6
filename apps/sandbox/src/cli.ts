import { resolve } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { startSandbox, writeSandboxConfig } from './sandbox.js';

/**
 * `registerbro-sandbox [--people N] [--seed S] [--write-config file] [--env-file file]`: start the
 * simulators, print their URLs and credentials (or write a registerbro config pointing at them),
 * and serve until Ctrl-C / SIGTERM.
 */

const positiveInt = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive whole number');
  return n;
};

const program = new Command('registerbro-sandbox')
  .description('Run the Folkeregister, Matrikkel and Noark simulators over one synthetic municipality.')
  .option('--people <n>', 'people in the municipality', positiveInt, 2_000)
  .option('--seed <seed>', 'seed of the municipality', 'sandbox')
  .option('--kommunenummer <nnnn>', 'kommunenummer of the municipality', '1806')
  .option('--write-config <file>', 'write a registerbro config (YAML) pointing at the simulators')
  .option('--write-env <file>', 'write the credentials as `export NAME=value` lines to this file')
  .option('--data-dir <dir>', 'dataDir to put in the written config', './data')
  .action(
    async (opts: {
      people: number;
      seed: string;
      kommunenummer: string;
      writeConfig?: string;
      writeEnv?: string;
      dataDir: string;
    }) => {
      const started = Date.now();
      const sandbox = await startSandbox({
        people: opts.people,
        seed: opts.seed,
        kommunenummer: opts.kommunenummer,
        control: true,
      });
      const s = sandbox.summary();
      const out = process.stdout;
      out.write(
        `Sandbox municipality ${s.kommunenummer}: ${s.people} people (${s.protected} with protected address), ${s.properties} properties, ${s.cases} cases — ready in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
      );
      out.write(
        `  Folkeregisteret  ${sandbox.folkeregister.url}  (bearer token in $REGISTERBRO_FOLKEREGISTER_TOKEN)\n`,
      );
      out.write(`  Matrikkelen      ${sandbox.matrikkel.url}  (basic auth)\n`);
      out.write(`  Noark 5 TG       ${sandbox.noark.tgBaseURL}  Fiks Arkiv ${sandbox.noark.fiksBaseURL}\n`);
      out.write(`  control          ${sandbox.controlURL}  (POST /changes {"count":50}; GET /state)\n`);
      if (opts.writeConfig) {
        const file = resolve(opts.writeConfig);
        const envFile = opts.writeEnv ? resolve(opts.writeEnv) : undefined;
        writeSandboxConfig(sandbox, file, envFile, { dataDir: opts.dataDir });
        out.write(
          `Wrote ${file}${envFile ? ` and ${envFile} (source it before running registerbro)` : ''}\n`,
        );
      }
      if (!opts.writeEnv) {
        out.write('Credentials (synthetic, sandbox only):\n');
        for (const [k, v] of Object.entries(sandbox.env)) out.write(`  export ${k}=${v}\n`);
      }
      // A machine-readable line for scripts that start the sandbox as a child process.
      out.write(`SANDBOX_READY ${JSON.stringify({ control: sandbox.controlURL })}\n`);
      let closing = false;
      const stop = () => {
        if (closing) return;
        closing = true;
        void sandbox.close().then(() => process.exit(0));
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    },
  );

program.parseAsync(process.argv).catch((error: unknown) => {
  process.stderr.write(`registerbro-sandbox: ${(error as Error).message}\n`);
  process.exit(1);
});
