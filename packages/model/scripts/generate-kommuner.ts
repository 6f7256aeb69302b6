/**
 * Generates `src/identifiers/kommuner-data.ts`, the kommunenummer table, from:
 * - SSB's classification 131 change list 2019→2020 (`shared/specs/kommuner/kommuneendringer-2019-2020.csv`,
 *   via gardenberg/kommunekoder; columns `kommuner_2019;kommuner_2020;splittes`), and
 * - `kommuner-2024.txt` beside this script: every number valid from 2024-01-01 (SSB classification 131,
 *   "Kommuneinndeling 2024"). The 2024 reform gave new numbers to every municipality in the former
 *   Viken (→ 31 Østfold, 32 Akershus, 33 Buskerud), Vestfold og Telemark (→ 39, 40) and Troms og
 *   Finnmark (→ 55, 56), and split 1507 Ålesund into 1508 Ålesund and 1580 Haram (SSB, "Hvordan
 *   ivareta historikken med ny kommune- og fylkesstruktur": 7 counties and 115 municipalities renumbered).
 *   The 2020→2024 pairs are matched by name here and checked by count.
 *
 * Run: `pnpm tsx packages/model/scripts/generate-kommuner.ts` (from the repository root), then
 * `npx biome check --write packages/model`.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

function specsDir(): string {
  if (process.env.REGISTERBRO_SPECS) return process.env.REGISTERBRO_SPECS;
  let dir = here;
  for (;;) {
    const candidate = path.join(dir, 'shared', 'specs');
    if (existsSync(path.join(candidate, 'README.md'))) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('shared/specs not found; set REGISTERBRO_SPECS');
    dir = parent;
  }
}

interface Row {
  nummer: string;
  navn: string;
  validFrom?: string;
  validTo?: string;
  successors: string[];
}

// The CSV was converted from cp1252, which has no ŋ: restore the official name.
const NAME_FIXES: Record<string, string> = {
  'Porsanger - Porsá?gu - Porsanki': 'Porsanger - Porsáŋgu - Porsanki',
};
// 2020 names that differ from their 2024 successor's name.
const RENAMED_2024: Record<string, string> = {
  'Våler (Viken)': 'Våler (Østfold)',
};
const SPLITS_2024: Record<string, string[]> = { '1507': ['1508', '1580'] };
const NEW_2024 = /^(3[123]|39|40|5[56])[0-9]{2}$|^1508$|^1580$/;
const REFORMED_2020 = /^(30|38|54)[0-9]{2}$|^1507$/;

const parseCell = (cell: string): { nummer: string; navn: string } => {
  const m = /^([0-9]{4}) - (.+)$/.exec(cell.trim());
  if (!m) throw new Error(`bad cell ${cell}`);
  const navn = m[2]!.trim();
  return { nummer: m[1]!, navn: NAME_FIXES[navn] ?? navn };
};

const csv = readFileSync(path.join(specsDir(), 'kommuner', 'kommuneendringer-2019-2020.csv'), 'utf8');
const rows = new Map<string, Row>();
const names2020 = new Map<string, string>();

for (const line of csv.split(/\r?\n/).slice(1)) {
  if (!line.trim()) continue;
  const [from, to] = line.split(';');
  const a = parseCell(from!);
  const b = parseCell(to!);
  names2020.set(b.nummer, b.navn);
  if (a.nummer === b.nummer) continue; // a rename only (1826 Hattfjelldal): the number lives on
  const row = rows.get(a.nummer) ?? { nummer: a.nummer, navn: a.navn, validTo: '2019-12-31', successors: [] };
  if (!row.successors.includes(b.nummer)) row.successors.push(b.nummer);
  rows.set(a.nummer, row);
}

const current = new Map<string, string>();
for (const line of readFileSync(path.join(here, 'kommuner-2024.txt'), 'utf8').split(/\r?\n/)) {
  if (!line.trim() || line.startsWith('#')) continue;
  const [nummer, navn] = line.split(';');
  current.set(nummer!, navn!);
}
if (current.size !== 357) throw new Error(`expected 357 current municipalities, got ${current.size}`);

const byName2024 = new Map<string, string>();
for (const [nummer, navn] of current) {
  if (!NEW_2024.test(nummer)) continue;
  if (byName2024.has(navn)) throw new Error(`duplicate 2024 name ${navn}`);
  byName2024.set(navn, nummer);
}

const used2024 = new Set<string>();
let renumbered = 0;
for (const [nummer, navn] of names2020) {
  const isCurrent = current.has(nummer);
  const row: Row = { nummer, navn: isCurrent ? current.get(nummer)! : navn, successors: [] };
  if (!rows.has(nummer) || rows.get(nummer)!.validTo === undefined) {
    // New in 2020 unless the same number existed in 2019 (the 1826 rename).
    if (nummer !== '1826') row.validFrom = '2020-01-01';
  }
  if (REFORMED_2020.test(nummer)) {
    if (isCurrent) throw new Error(`${nummer} should have been renumbered in 2024`);
    const successors = SPLITS_2024[nummer] ?? [byName2024.get(RENAMED_2024[navn] ?? navn) ?? ''];
    for (const s of successors) {
      if (!current.has(s)) throw new Error(`no 2024 successor for ${nummer} ${navn}`);
      used2024.add(s);
    }
    row.validTo = '2023-12-31';
    row.successors = successors;
    renumbered++;
  } else if (!isCurrent) {
    throw new Error(`${nummer} ${navn} is neither current nor renumbered in 2024`);
  }
  if (rows.has(nummer)) throw new Error(`number ${nummer} reused between 2019 and 2020`);
  rows.set(nummer, row);
}
// 113 renumbered + Ålesund split in two = 115 new numbers (SSB's count).
if (used2024.size !== 115 || renumbered !== 114) {
  throw new Error(`expected 115 new 2024 numbers from 114 old ones, got ${used2024.size} from ${renumbered}`);
}
for (const [nummer, navn] of current) {
  const existing = rows.get(nummer);
  if (existing) {
    if (existing.validTo !== undefined && existing.validTo !== '2019-12-31')
      throw new Error(`${nummer} clash`);
    if (existing.validTo === '2019-12-31') throw new Error(`${nummer} ended in 2019 but is current`);
    continue;
  }
  rows.set(nummer, {
    nummer,
    navn,
    ...(NEW_2024.test(nummer) ? { validFrom: '2024-01-01' } : {}),
    successors: [],
  });
}

const sorted = [...rows.values()].sort((a, b) => a.nummer.localeCompare(b.nummer));
const lines = sorted.map((r) =>
  [r.nummer, r.navn, r.validFrom ?? '', r.validTo ?? '', r.successors.join(',')].join('|'),
);
const out = `// GENERATED by packages/model/scripts/generate-kommuner.ts — do not edit by hand.
// Sources: SSB classification 131 (https://www.ssb.no/klass/klassifikasjoner/131): the 2019→2020 change
// list in shared/specs/kommuner/ and the 2024 municipality list in scripts/kommuner-2024.txt.
// ${sorted.length} numbers: ${current.size} current (2024), the rest historic since 2020 or 2024.

/** One line per kommunenummer: \`nummer|navn|validFrom|validTo|successor,successor\` (dates inclusive). */
export const KOMMUNE_TABLE = \`${lines.join('\n')}\`;
`;
writeFileSync(path.join(here, '..', 'src', 'identifiers', 'kommuner-data.ts'), out);
console.log(`wrote ${sorted.length} kommunenummer rows (${current.size} current)`);
