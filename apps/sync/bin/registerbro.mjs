#!/usr/bin/env node
// The command runs its TypeScript sources directly (see tooling/scripts/run-source.mjs).
import { runSource } from '../../../tooling/scripts/run-source.mjs';

runSource(new URL('../src/cli.ts', import.meta.url));
