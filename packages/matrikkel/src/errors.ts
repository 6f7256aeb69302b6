import { SoapFaultError } from '@registerbro/transport';

/**
 * A SOAP Fault from a Matrikkel service, with the `ServiceException` detail read: the category
 * (`…:FinderException:` = not found, `…:ValidationException:`, `…:SystemException:…`), the subtype
 * from its `xsi:type` (`ObjectsNotFoundFaultInfo`, `LockedFaultInfo`, …) and, for
 * ObjectsNotFoundFaultInfo, the ids the service could not find (deleted objects).
 */
export class MatrikkelFaultError extends SoapFaultError {
  /** The ServiceException's `category`, e.g. `:ServiceException:ApplicationException:FinderException:`. */
  readonly category: string;
  /** Local name of the detail's `xsi:type`, e.g. `ObjectsNotFoundFaultInfo`; `ServiceFaultInfo` when none. */
  readonly subtype: string;
  /** For ObjectsNotFoundFaultInfo: the values of `idsNotFound`. */
  readonly idsNotFound: string[];

  constructor(
    fault: SoapFaultError,
    info: { category: string; subtype: string; idsNotFound: string[]; operation: string; record?: string },
  ) {
    const retryable = info.category.includes('SystemException') && info.subtype === 'ServiceFaultInfo';
    super(
      `matrikkel: ${info.operation} answered a SOAP Fault (${info.subtype}${info.category ? ` ${info.category}` : ''}): ${fault.faultString}`,
      {
        version: fault.version,
        faultCode: fault.faultCode,
        faultString: fault.faultString,
        detail: fault.detail,
      },
      {
        system: 'matrikkel',
        record: info.record,
        retryable,
        cause: fault,
        hint: info.category.includes('FinderException')
          ? 'The register does not know the object; check the key.'
          : info.category.includes('ValidationException')
            ? 'The request was refused as invalid; check the parameters and systemVersion in the MatrikkelContext.'
            : 'The register failed internally; the call is retried, and the record is quarantined if it keeps failing.',
        details: { category: info.category, subtype: info.subtype, operation: info.operation },
      },
    );
    this.name = 'MatrikkelFaultError';
    this.category = info.category;
    this.subtype = info.subtype;
    this.idsNotFound = info.idsNotFound;
  }

  /** True when the fault says the object does not exist (FinderException or ObjectsNotFound). */
  get notFound(): boolean {
    return this.subtype === 'ObjectsNotFoundFaultInfo' || this.category.includes('FinderException');
  }
}

/** Brand-safe check for {@link MatrikkelFaultError} (works across package copies). */
export function isMatrikkelFault(error: unknown): error is MatrikkelFaultError {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { name?: unknown }).name === 'MatrikkelFaultError' &&
    Array.isArray((error as { idsNotFound?: unknown }).idsNotFound)
  );
}
