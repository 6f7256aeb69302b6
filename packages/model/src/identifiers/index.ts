export { parseAdressekode, isAdressekode } from './adressekode.js';
export { parseBygningsnummer, isBygningsnummer } from './bygningsnummer.js';
export { parseFodselsnummer, isFodselsnummer, makeFodselsnummer } from './fodselsnummer.js';
export type {
  Fodselsnummer,
  FodselsnummerControlRule,
  FodselsnummerKind,
  MakeFodselsnummerOptions,
} from './fodselsnummer.js';
export {
  parseKommunenummer,
  isKommunenummer,
  kommuneInfo,
  currentKommunenummer,
  listKommunenummer,
} from './kommunenummer.js';
export type { KommuneInfo } from './kommunenummer.js';
export { parseMatrikkelnummer, formatMatrikkelnummer, isMatrikkelnummer } from './matrikkelnummer.js';
export type {
  Matrikkelnummer,
  ParseMatrikkelnummerOptions,
  FormatMatrikkelnummerOptions,
} from './matrikkelnummer.js';
export {
  parseOrganisasjonsnummer,
  isOrganisasjonsnummer,
  makeOrganisasjonsnummer,
} from './organisasjonsnummer.js';
export { parsePostnummer, isPostnummer } from './postnummer.js';
export { parseProdusentnummer, isProdusentnummer, produsentnummerPassesLuhn } from './produsentnummer.js';
export {
  parseSaksnummer,
  isSaksnummer,
  formatSaksnummer,
  parseJournalpostnummer,
  isJournalpostnummer,
  formatJournalpostnummer,
} from './saksnummer.js';
export type { Saksnummer, Journalpostnummer } from './saksnummer.js';
