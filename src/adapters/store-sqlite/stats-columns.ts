/**
 * The statistics columns of an outbound or inbound row, derived from its message when the row is
 * inserted (migration 41): the same values `json_extract` gave the triggers before — report.late as
 * 1 / 0 / NULL, the follow-up action and the source kind as text or NULL — without the triggers
 * parsing the stored JSON and rewriting the row they had just inserted.
 */
import type { TnxMessage } from '../../domain/protocol/types.js';

export interface StatsColumns {
  reportLate: 0 | 1 | null;
  followupAction: string | null;
  sourceKind: string | null;
}

export function statsColumns(messageType: string, message: TnxMessage): StatsColumns {
  const m = message as unknown as { report?: { late?: unknown }; action?: unknown; source?: { kind?: unknown } };
  const tn = messageType === 'TravelNotification';
  const late = tn ? m.report?.late : undefined;
  return {
    reportLate: late === true ? 1 : late === false ? 0 : null,
    followupAction: messageType === 'FollowUpReport' && typeof m.action === 'string' ? m.action : null,
    sourceKind: tn && typeof m.source?.kind === 'string' ? m.source.kind : null,
  };
}
