/**
 * A `CommitGate` as script arguments: the commit script's ARGV 6..15 and the map keys it names,
 * and, for a restore, the map writes a logged gate made (a restore replays them in seq order, so
 * the maps end as they were).
 */
import type { CommitGate } from '../talk/log.ts';
import type { TalkKeys } from './keys.ts';

export interface GateArgs {
  /** Map keys, to follow meta, log and keys in KEYS (so they are KEYS[4..]). */
  keys: string[];
  /** ARGV 6..15 of the commit script. */
  args: string[];
}

export function gateArgs(talk: TalkKeys, gate: CommitGate | undefined): GateArgs {
  const keys: string[] = [];
  const index = (map: string): string => {
    const key = talk.map(map);
    let i = keys.indexOf(key);
    if (i < 0) i = keys.push(key) - 1;
    return String(4 + i);
  };
  const r = gate?.requires;
  const u = gate?.unique;
  const s = gate?.sets;
  const args = [
    ...(r ? [index(r.map), r.field, r.equals, r.code] : ['0', '', '', '']),
    ...(u ? [index(u.map), u.field, u.value] : ['0', '', '']),
    ...(s ? [index(s.map), s.field, s.value] : ['0', '', '']),
  ];
  return { keys, args };
}

export interface MapWrite {
  map: string;
  field: string;
  value: string;
}

/** The map writes a committed event's gate made (`unique` and `sets`; `requires` only reads). */
export function gateWrites(gateJson: string | null): MapWrite[] {
  if (!gateJson) return [];
  const gate = JSON.parse(gateJson) as CommitGate;
  const writes: MapWrite[] = [];
  if (gate.unique) writes.push(gate.unique);
  if (gate.sets) writes.push(gate.sets);
  return writes.map(({ map, field, value }) => ({ map, field, value }));
}
