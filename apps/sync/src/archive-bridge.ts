import {
  type ArchiveOperation,
  type ArchiveOperationOf,
  addressesEqual,
  formatLikeOriginal,
  namesEqual,
} from '@registerbro/engine';
import {
  type Adapter,
  type Address,
  type ApplyOptions,
  type ApplyResult,
  type ArchiveRecord,
  type CallOptions,
  type Case,
  ConflictError,
  type Party,
  type QuarantineEntry,
  UnsupportedError,
} from '@registerbro/model';
import { type NoarkAdapter, type NoarkOperation, toAddress, unreadableIsRetryable } from '@registerbro/noark';

/**
 * The archive as the engine sees it: an `Adapter<Case, ArchiveOperation>` over the Noark adapter.
 * The engine plans archive operations in its own vocabulary (`party.update`, `class.rekey`, …);
 * this bridge translates each into the Noark operation that does it, and refuses — with an
 * {@link UnsupportedError} naming the operation, which the engine quarantines — what Noark cannot do.
 *
 * Before an update it also checks the engine's compare-and-set expectation: when the party no
 * longer holds the values the plan was made against (an archivist edited it since), it throws a
 * {@link ConflictError} (`target_changed`) instead of overwriting the local edit. A party that
 * already holds the wanted values is "already applied", so a replay after a crash writes nothing.
 */

/** The engine's view of the archive, plus the journalposts F1 reads correspondence parties from. */
export interface ArchiveBridge extends Adapter<Case, ArchiveOperation> {
  /** The journalposts of a case (by saksnummer or systemID). */
  getRecords(
    caseKey: string,
    options?: CallOptions,
  ): Promise<{ records: ArchiveRecord[]; quarantined: QuarantineEntry[] } | null>;
  /** The Noark adapter underneath. */
  readonly noark: NoarkAdapter;
}

/** Options of {@link createArchiveBridge}. */
export interface ArchiveBridgeOptions {
  /**
   * Check `expected` (the values the plan was made against) before an update, and raise a conflict
   * when the party changed since. @default true
   */
  checkExpected?: boolean;
}

type PartyUpdate = ArchiveOperationOf<'party.update'>;
type PartyLocated = ArchiveOperationOf<'party.update' | 'party.remove_address' | 'party.rekey_identifier'>;

function partySystemIdOf(op: PartyLocated): string {
  const id = op.location.partySystemId;
  if (id === undefined) {
    // Without a systemID the party can only be found by position, which another write may shift.
    throw new ConflictError(
      `noark: ${op.type} on ${op.target}: the party has no systemID, so it cannot be updated safely`,
      { code: 'target_unaddressable', system: 'noark', record: op.target },
    );
  }
  return id;
}

/** True when the party holds every value `set` asks for (the engine's own equality rules). */
function holdsWanted(party: Pick<Party, 'name' | 'address' | 'deceased'>, set: PartyUpdate['set']): boolean {
  if (set.name !== undefined && !namesEqual(party.name, set.name)) return false;
  if (set.address !== undefined && !(party.address && addressesEqual(party.address, set.address)))
    return false;
  if (set.deceased !== undefined && (party.deceased ?? false) !== set.deceased) return false;
  return true;
}

/** The first field whose current value differs from what the plan expected, if any. */
function changedSincePlanned(
  party: Pick<Party, 'name' | 'address' | 'deceased'>,
  expected: PartyUpdate['expected'],
): string | undefined {
  if (expected.name !== undefined) {
    const was = expected.name;
    if (was === null ? party.name !== '' : !namesEqual(party.name, was)) return 'name';
  }
  if (expected.address !== undefined) {
    const was: Address | null = expected.address;
    const now = party.address ?? null;
    if (was === null ? now !== null : now === null || !addressesEqual(now, was)) return 'address';
  }
  if (expected.deceased !== undefined && expected.deceased !== null) {
    if ((party.deceased ?? false) !== expected.deceased) return 'deceased';
  }
  return undefined;
}

/** Map one engine operation to the Noark operation that carries it out (pure). */
export function toNoarkOperation(op: ArchiveOperation): NoarkOperation {
  switch (op.type) {
    case 'party.update': {
      const partySystemId = partySystemIdOf(op);
      if (op.location.container === 'journalpost') {
        if (op.set.name === undefined && op.set.address === undefined) {
          throw new UnsupportedError(
            `noark: ${op.type} on ${op.target}: a korrespondansepart has no deceased flag to set`,
            { system: 'noark', hint: 'Nothing is written; the operation is quarantined.' },
          );
        }
        return {
          type: 'update_correspondence_party',
          target: op.target,
          recordSystemId: op.location.containerId,
          partySystemId,
          set: {
            ...(op.set.name !== undefined ? { name: op.set.name } : {}),
            ...(op.set.address !== undefined ? { address: op.set.address } : {}),
          },
        };
      }
      return {
        type: 'update_party',
        target: op.location.containerId,
        partySystemId,
        set: {
          ...(op.set.name !== undefined ? { name: op.set.name } : {}),
          ...(op.set.address !== undefined ? { address: op.set.address } : {}),
          ...(op.set.deceased !== undefined ? { deceased: op.set.deceased } : {}),
        },
      };
    }
    case 'party.remove_address': {
      const partySystemId = partySystemIdOf(op);
      if (op.location.container === 'journalpost') {
        return {
          type: 'update_correspondence_party',
          target: op.target,
          recordSystemId: op.location.containerId,
          partySystemId,
          set: { address: null },
        };
      }
      return { type: 'remove_party_address', target: op.location.containerId, partySystemId };
    }
    case 'party.add':
      return {
        type: 'add_party',
        target: op.caseSystemId,
        party: {
          kind: op.party.kind,
          name: op.party.name,
          role: op.party.role,
          ...(op.party.identifier ? { identifier: op.party.identifier } : {}),
          ...(op.party.address ? { address: op.party.address } : {}),
          ...(op.party.deceased ? { deceased: true } : {}),
        },
      };
    case 'class.rekey':
      return {
        type: 'rekey_class',
        target: op.caseSystemId,
        // F2 re-keys only GBNR classes (the class target names the system otherwise).
        system: 'GBNR',
        from: op.from,
        to: op.to,
        title: op.to,
      };
    case 'case.create_followup':
      return {
        type: 'create_case',
        // The deterministic key is the new case's external key: looked up before creating.
        target: op.idempotencyKey,
        case: {
          title: op.title,
          caseType: op.followupType === 'konsesjon' ? 'konsesjon' : 'landbruk',
          classes: op.classes.map((c) => ({
            system: c.system,
            classId: c.classId,
            ...(c.title ? { title: c.title } : {}),
          })),
          parties: op.parties.map((p) => ({
            kind: p.kind,
            name: p.name,
            role: p.role,
            ...(p.identifier ? { identifier: p.identifier } : {}),
            ...(p.address ? { address: p.address } : {}),
          })),
        },
        note: { title: `Oppfølging (${op.followupType}) opprettet av Registerbro: ${op.reason}` },
      };
    case 'party.rekey_identifier': {
      const partySystemId = partySystemIdOf(op);
      const onRecord = op.location.container === 'journalpost';
      return {
        type: 'rekey_party_identifier',
        target: onRecord ? op.target : op.location.containerId,
        partySystemId,
        ...(onRecord ? { recordSystemId: op.location.containerId } : {}),
        from: op.from,
        to: op.to,
        toKind: op.toKind,
        ...(op.expectedVersion !== undefined ? { expectedVersion: op.expectedVersion } : {}),
      };
    }
    case 'class.remove':
      return {
        type: 'remove_class',
        target: op.caseSystemId,
        system: 'GBNR',
        classId: op.classId,
        ...(op.classSystemId !== undefined ? { classSystemId: op.classSystemId } : {}),
        // The class that stays, written the way the removed one is: if the archive no longer holds
        // it, nothing is removed and the engine gets a conflict instead of a case without the unit.
        keep: formatLikeOriginal(op.classId, op.keptKey),
      };
  }
}

/**
 * Wrap the Noark adapter as the engine's archive adapter.
 *
 * @example
 * const archive = createArchiveBridge(createNoarkAdapter({ baseURL: sim.tgBaseURL }));
 */
export function createArchiveBridge(noark: NoarkAdapter, options: ArchiveBridgeOptions = {}): ArchiveBridge {
  const checkExpected = options.checkExpected ?? true;
  const supported = [
    'party.update',
    'party.remove_address',
    'party.add',
    'class.rekey',
    'case.create_followup',
  ];

  /** Read the party the operation targets, as the planner saw it (same mapper). */
  async function readParty(op: PartyUpdate, signal?: AbortSignal): Promise<Party | null> {
    const id = partySystemIdOf(op);
    if (op.location.container === 'journalpost') {
      const got = await noark.client.tg.getJournalpost(op.location.containerId, signal);
      const wire = got?.wire.korrespondansepart?.find((k) => k.systemID === id);
      if (!wire) return null;
      const address = toAddress(wire.postadresse);
      return { kind: 'unknown', name: wire.navn, ...(address ? { address } : {}) };
    }
    const got = await noark.client.tg.getPart(id, signal);
    if (!got) return null;
    const address = toAddress(got.wire.postadresse);
    return {
      kind: 'unknown',
      name: got.wire.navn,
      ...(address ? { address } : {}),
      ...(got.wire.virksomhetsspesifikkeMetadata?.personstatus === 'doed' ? { deceased: true } : {}),
    };
  }

  return {
    system: 'noark',
    noark,
    capabilities: { ...noark.capabilities, apply: supported },
    check: (o) => noark.check(o),
    get: (key, o) => noark.get(key, o),
    getMany: (keys, o) => noark.getMany(keys, o),
    changes: (cursor, o) => noark.changes(cursor, o),
    head: (o) => noark.head(o),
    scan: (o) => noark.scan(o),
    getRecords: (key, o) => noark.getRecords(key, o),
    async apply(op: ArchiveOperation, o: ApplyOptions): Promise<ApplyResult> {
      const noarkOp = toNoarkOperation(op);
      if (op.type === 'party.update' && checkExpected) {
        const current = await readParty(op, o.signal).catch((error: unknown) => {
          throw unreadableIsRetryable(error);
        });
        if (current) {
          if (holdsWanted(current, op.set)) return { status: 'already_applied', ref: { id: op.target } };
          const field = changedSincePlanned(current, op.expected);
          if (field !== undefined) {
            throw new ConflictError(
              `noark: ${op.target}: ${field} was changed in the archive after the plan was made; nothing was written`,
              {
                code: 'target_changed',
                system: 'noark',
                record: op.target,
                hint: 'Run the flow again: the new archive value is compared with the master and the base.',
              },
            );
          }
        }
      }
      return noark.apply(noarkOp, o);
    },
    close: () => noark.close?.() ?? Promise.resolve(),
  };
}
