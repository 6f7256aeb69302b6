// Identifier parsers live here (fodselsnummer.ts, organisasjonsnummer.ts, kommunenummer.ts, …),
// each re-exported by name.
export {};
