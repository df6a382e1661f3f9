/**
 * Mongoose schemas of the manifest-screening collections (src/features/screening), with their indexes:
 *   manifests _id                                   get, decide (candidates are embedded: a manifest
 *                                                   and its result are one document, so inserting
 *                                                   them is atomic without a transaction)
 *   manifests {purgedAt, purgeAfter, _id}           listDue (retention: purgedAt null, due first)
 *   manifests {receivedAt}                          stats by time range
 *   manifests {receivedAt:-1, _id:-1}               list, newest first
 *   manifests {candidates.decidedAt}                decision counts by time range
 *   manifests {candidates.id}                       setOutcome (a candidate by its id)
 *   screening_cases {tripKey} unique                one case per trip (de-duplication)
 *   screening_cases {openedAt:-1,_id:-1}, {registrantId, openedAt:-1, _id:-1}   case list, count
 */
import { Schema } from 'mongoose';

const opts = { versionKey: false, minimize: false, strict: 'throw', id: false } as const;
const epochMs = {
  type: Number,
  validate: { validator: (v: unknown) => v === null || Number.isSafeInteger(v), message: 'must be integer epoch ms' },
};

const flight = new Schema(
  {
    carrier: { type: String, required: true },
    flightNumber: { type: String, required: true },
    departureAirport: { type: String, required: true },
    arrivalAirport: { type: String, required: true },
    scheduledDeparture: { type: String, default: null },
    scheduledArrival: { type: String, default: null },
  },
  { ...opts, _id: false },
);

const candidate = new Schema(
  {
    id: { type: String, required: true },
    passengerIndex: { type: Number, min: 0, required: true },
    role: { type: String, enum: ['passenger', 'crew'], required: true },
    registrantId: { type: String, required: true },
    score: { type: Number, min: 0, max: 1, required: true },
    features: { type: [Schema.Types.Mixed], default: [] },
    decision: { type: String, enum: ['pending', 'confirmed', 'rejected'], required: true },
    decidedBy: { type: String, default: null },
    decidedAt: { ...epochMs, default: null },
    reason: { type: String, default: null },
    outcome: { type: String, enum: ['case_opened', 'case_exists', 'already_notified', null], default: null },
    caseId: { type: String, default: null },
    createdAt: { ...epochMs, required: true },
  },
  { ...opts, _id: false },
);

export const manifestSchema = new Schema(
  {
    _id: { type: String, required: true },
    format: { type: String, enum: ['paxlst', 'json'], required: true },
    submittedBy: { type: String, required: true },
    receivedAt: { ...epochMs, required: true },
    flight: { type: flight, required: true },
    passengerCount: { type: Number, min: 0, required: true },
    crewCount: { type: Number, min: 0, required: true },
    sealedPeople: { type: String, default: null },
    wrappedKey: { type: String, default: null },
    purgeAfter: { ...epochMs, required: true },
    purgedAt: { ...epochMs, default: null },
    threshold: { type: Number, required: true },
    screeningMs: { type: Number, min: 0, required: true },
    candidateCount: { type: Number, min: 0, required: true },
    candidates: { type: [candidate], default: [] },
  },
  { ...opts, collection: 'manifests' },
);
manifestSchema.index({ purgedAt: 1, purgeAfter: 1, _id: 1 }, { name: 'ix_manifests_due' });
manifestSchema.index({ receivedAt: 1 }, { name: 'ix_manifests_received' });
manifestSchema.index({ receivedAt: -1, _id: -1 }, { name: 'ix_manifests_newest' });
manifestSchema.index({ 'candidates.decidedAt': 1 }, { name: 'ix_manifests_decided' });
manifestSchema.index({ 'candidates.id': 1 }, { name: 'ix_manifests_candidate' });

export const caseSchema = new Schema(
  {
    _id: { type: String, required: true },
    kind: { type: String, enum: ['unreported_travel'], required: true },
    registrantId: { type: String, required: true },
    manifestId: { type: String, required: true },
    candidateId: { type: String, required: true },
    tripKey: { type: String, required: true },
    flight: { type: flight, required: true },
    destination: { type: String, match: /^[A-Z]{3}$/, default: null },
    openedBy: { type: String, required: true },
    openedAt: { ...epochMs, required: true },
    notificationId: { type: String, default: null },
    notification: {
      type: String,
      enum: ['submitted', 'disabled', 'own_state', 'not_notifiable', 'already_notified'],
      required: true,
    },
  },
  { ...opts, collection: 'screening_cases' },
);
caseSchema.index({ tripKey: 1 }, { unique: true, name: 'ux_cases_trip' });
caseSchema.index({ openedAt: -1, _id: -1 }, { name: 'ix_cases_opened' });
caseSchema.index({ registrantId: 1, openedAt: -1, _id: -1 }, { name: 'ix_cases_registrant' });
