// Runs an app's TypeScript entry with tsx and the @registerbro/source condition, so no build is
// needed, and passes signals and the exit status through. Used by the apps' bin scripts.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Run `entry` (a file URL) with the process's arguments; exits the way the child exits. */
export function runSource(entry) {
  // Resolved from this file, so the command works from any working directory.
  const tsx = import.meta.resolve('tsx');
  const child = spawn(
    process.execPath,
    ['--conditions=@registerbro/source', '--import', tsx, fileURLToPath(entry), ...process.argv.slice(2)],
    { stdio: 'inherit' },
  );
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => {
    if (signal) process.kill(process.pid, signal);
    else process.exit(code ?? 1);
  });
}
