/**
 * KS Fiks Arkiv V1 message types and which replies each may get, from the protocol's
 * `meldingstyper.json` (https://github.com/ks-no/fiks-arkiv-specification, Schema/V1).
 */

/** Prefix of every Fiks Arkiv V1 message type. */
const P = 'no.ks.fiks.arkiv.v1';

/** The message types Registerbro sends or answers. */
export const FiksArkivMessageTypes = {
  arkivmeldingOpprett: `${P}.arkivering.arkivmelding.opprett`,
  arkivmeldingOpprettMottatt: `${P}.arkivering.arkivmelding.opprett.mottatt`,
  arkivmeldingOpprettKvittering: `${P}.arkivering.arkivmelding.opprett.kvittering`,
  arkivmeldingOppdater: `${P}.arkivering.arkivmelding.oppdater`,
  arkivmeldingOppdaterMottatt: `${P}.arkivering.arkivmelding.oppdater.mottatt`,
  arkivmeldingOppdaterKvittering: `${P}.arkivering.arkivmelding.oppdater.kvittering`,
  avskrivningOpprett: `${P}.arkivering.avskrivning.opprett`,
  dokumentobjektOpprett: `${P}.arkivering.dokumentobjekt.opprett`,
  sok: `${P}.innsyn.sok`,
  sokResultatUtvidet: `${P}.innsyn.sok.resultat.utvidet`,
  sokResultatNoekler: `${P}.innsyn.sok.resultat.noekler`,
  mappeHent: `${P}.innsyn.mappe.hent`,
  mappeHentResultat: `${P}.innsyn.mappe.hent.resultat`,
  registreringHent: `${P}.innsyn.registrering.hent`,
  registreringHentResultat: `${P}.innsyn.registrering.hent.resultat`,
  ugyldigforespoersel: `${P}.feilmelding.ugyldigforespoersel`,
  ikkefunnet: `${P}.feilmelding.ikkefunnet`,
  serverfeil: `${P}.feilmelding.serverfeil`,
} as const;

/** One of the message types in {@link FiksArkivMessageTypes}. */
export type FiksArkivMessageType = (typeof FiksArkivMessageTypes)[keyof typeof FiksArkivMessageTypes];

const T = FiksArkivMessageTypes;
const FEIL = [T.ugyldigforespoersel, T.serverfeil] as const;

/**
 * Replies each request may get. `meldingstyper.json` misspells the ugyldigforespoersel id as
 * `no.ks.fik.arkiv…` in every `kanSvareMed`; we use the id the message itself declares.
 */
export const FIKS_ARKIV_REPLIES: Readonly<Record<string, readonly FiksArkivMessageType[]>> = {
  [T.arkivmeldingOpprett]: [T.arkivmeldingOpprettMottatt, T.arkivmeldingOpprettKvittering, ...FEIL],
  [T.arkivmeldingOppdater]: [
    T.arkivmeldingOppdaterMottatt,
    T.arkivmeldingOppdaterKvittering,
    ...FEIL,
    T.ikkefunnet,
  ],
  [T.sok]: [T.sokResultatUtvidet, T.sokResultatNoekler, ...FEIL, T.ikkefunnet],
  [T.mappeHent]: [T.mappeHentResultat, ...FEIL, T.ikkefunnet],
  [T.registreringHent]: [T.registreringHentResultat, ...FEIL, T.ikkefunnet],
};

/** Replies that only acknowledge receipt: the final answer comes later. */
export const FIKS_ARKIV_ACK_TYPES: ReadonlySet<string> = new Set([
  T.arkivmeldingOpprettMottatt,
  T.arkivmeldingOppdaterMottatt,
]);

/** Replies that report an error. */
export const FIKS_ARKIV_ERROR_TYPES: ReadonlySet<string> = new Set([
  T.ugyldigforespoersel,
  T.ikkefunnet,
  T.serverfeil,
]);

/** The XSD file (under `schema/V1/`) a message type's payload validates against. */
export function fiksArkivXsdFile(type: string): string {
  return `${type}.xsd`;
}
