/**
 * The one way a PAXLST problem becomes an error. The message and detail name the segment tag, its
 * position in the interchange and the element — never the content, which may be a passenger's name,
 * date of birth or document number.
 */
import { tnxError, type TnxError } from '../../../core/errors.js';

export function malformed(given: string, position: number, element: number, reason: string): TnxError {
  // A tag that is not three capitals is content, not a tag: it is not repeated.
  const tag = /^([A-Z]{3}|\?{1,3})$/.test(given) ? given : 'segment';
  const where = element > 0 ? `${tag} segment ${position}, element ${element}` : `${tag} segment ${position}`;
  return tnxError('malformed_manifest', `PAXLST ${where}: ${reason}`, {
    pointer: where,
    detail: { format: 'PAXLST', segment: tag, position, element },
  });
}
