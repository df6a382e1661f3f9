/**
 * Mongoose schemas of the registry part: sealed registrants, travel reports, the trip index.
 * Index ↔ query map:
 *   registrants _id                       get, replace, erase
 *   registrants {blindIndexes}            search ($all over the multikey index)
 *   registrants {externalReference} (unique, partial: present)   create / import look-up
 *   registrants {registrationEnd} / {reviewDue} (partial: live rows)   retention candidates
 *   travel_reports {registrantId, createdAt}   reports of one registrant; shred on erasure
 *   trip_index _id (= trip key)           claim (insert, duplicate key = already claimed), addSource
 * Statistics use the outbound/inbound indexes plus ix {messageType, createdAt, partner} declared here
 * on those collections by `statsIndexes` (./stats-pipelines.ts).
 */
import { Schema } from 'mongoose';

const opts = { versionKey: false, minimize: false, strict: 'throw', id: false } as const;

export const registrantSchema = new Schema(
  {
    _id: { type: String, required: true },
    format: { type: Number, enum: [1, 2], required: true },
    externalReference: { type: String, default: null },
    contentDigest: { type: String },
    status: { type: String, enum: ['active', 'suspended', 'ended'], required: true },
    registrationStart: { type: String, required: true },
    registrationEnd: { type: String, default: null },
    reviewDue: { type: String, required: true },
    reviewFlaggedAt: { type: Number, default: null },
    createdAt: { type: Number, required: true },
    updatedAt: { type: Number, required: true },
    erasedAt: { type: Number, default: null },
    dek: { type: Schema.Types.Mixed, default: null },
    fields: { type: Schema.Types.Mixed, default: {} },
    blindIndexes: { type: [String], default: [] },
  },
  { ...opts, collection: 'registrants' },
);
registrantSchema.index({ blindIndexes: 1 });
// The registry's own reference: unique where present (a tombstone drops it).
registrantSchema.index(
  { externalReference: 1 },
  { unique: true, partialFilterExpression: { externalReference: { $type: 'string' } } },
);
registrantSchema.index({ registrationEnd: 1 }, { partialFilterExpression: { erasedAt: { $eq: null } } });
registrantSchema.index(
  { reviewDue: 1 },
  { partialFilterExpression: { erasedAt: { $eq: null }, reviewFlaggedAt: { $eq: null } } },
);

export const travelReportSchema = new Schema(
  {
    _id: { type: String, required: true },
    registrantId: { type: String, required: true },
    state: { type: String, enum: ['active', 'cancelled'], required: true },
    sealedReport: { type: String, default: null },
    destinations: { type: [String], required: true },
    notificationIds: { type: Schema.Types.Mixed, required: true },
    departureAt: { type: Number, required: true },
    late: { type: Boolean, required: true },
    daysOfNotice: { type: Number, required: true },
    emergency: { type: Boolean, required: true },
    tripKey: { type: String, required: true },
    enteredBy: { type: String, required: true },
    enteredAt: { type: Number, required: true },
    createdAt: { type: Number, required: true },
    updatedAt: { type: Number, required: true },
    version: { type: Number, min: 1, required: true },
  },
  { ...opts, collection: 'travel_reports' },
);
travelReportSchema.index({ registrantId: 1, createdAt: 1 });
// The recovery job's pages, in (createdAt, _id) order; cancelled reports are never asked for.
travelReportSchema.index({ createdAt: 1, _id: 1 }, { partialFilterExpression: { state: { $eq: 'active' } } });

export const tripSchema = new Schema(
  {
    _id: { type: String, required: true },
    registrantId: { type: String, required: true },
    notificationIds: { type: [String], required: true },
    firstSource: { type: String, required: true },
    alsoFoundBy: { type: [String], default: [] },
    createdAt: { type: Number, required: true },
  },
  { ...opts, collection: 'trip_index' },
);
