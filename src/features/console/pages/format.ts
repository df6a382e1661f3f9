/** Formatting shared by the auditor's pages: times, lead times, state and timeliness tags. */
import type { Interpolation } from '../html.js';
import { tag, type TagColour } from '../components.js';

export function when(iso: string | null | undefined): string {
  if (!iso) return '—';
  return iso
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z')
    .replace(/Z$/, ' UTC');
}

export function hours(h: number | null | undefined): string {
  if (h === null || h === undefined) return '—';
  return `${h.toFixed(1)} h`;
}

const STATE_COLOUR: Readonly<Record<string, TagColour>> = {
  delivered: 'green',
  failed: 'red',
  retrying: 'orange',
  delivering: 'blue',
  queued: 'light-blue',
  accepted: 'grey',
  cancelled: 'grey',
  no_channel: 'purple',
};

export function stateTag(state: string): Interpolation {
  return tag(state.replace(/_/g, ' '), STATE_COLOUR[state]);
}

const TIMELINESS: Readonly<Record<string, [string, TagColour]>> = {
  on_time: ['on time', 'green'],
  late: ['late', 'orange'],
  after_departure: ['after departure', 'red'],
};

export function timelinessTag(t: string | null): Interpolation {
  if (!t) return tag('pending', 'grey');
  const [label, colour] = TIMELINESS[t] ?? [t, 'grey'];
  return tag(label, colour);
}
