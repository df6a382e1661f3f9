/**
 * A travel report holds personal data (addresses abroad, flights), so it is sealed under its
 * registrant's data key, bound to the report id: erasing the registrant shreds its travel too.
 */
import { TnxError } from '../../core/errors.js';
import { unwrapDek } from '../../domain/registry/data-keys.js';
import { decryptField, encryptField } from '../../domain/registry/field-crypto.js';
import type { RegistryKeys } from '../../domain/registry/registry-keys.js';
import type { SealedRegistrant } from '../../domain/registry/sealed-registrant.js';
import type { TravelReport } from '../../domain/travel-reports/travel-report.js';

const field = (reportId: string) => `travelReport:${reportId}`;

function dekOf(sealed: SealedRegistrant, keys: RegistryKeys) {
  if (!sealed.dek) throw new TnxError('registrant_erased', 'the registrant has been erased');
  return unwrapDek(sealed.dek, sealed.id, keys.kek);
}

export function sealReport(report: TravelReport, sealed: SealedRegistrant, keys: RegistryKeys): string {
  const dek = dekOf(sealed, keys);
  try {
    return encryptField(report, dek, sealed.id, field(report.id));
  } finally {
    dek.secret.fill(0);
  }
}

export function openReport(
  token: string | null,
  reportId: string,
  sealed: SealedRegistrant,
  keys: RegistryKeys,
): TravelReport {
  if (token === null) throw new TnxError('registrant_erased', 'the travel report has been erased');
  const dek = dekOf(sealed, keys);
  try {
    return decryptField(token, dek, sealed.id, field(reportId)) as TravelReport;
  } finally {
    dek.secret.fill(0);
  }
}
