/**
 * Whether the screen's chat wall is on, per talk. Kept apart from the wall's handler so the
 * chat feature can ask it without importing the live feature (which imports chat).
 */
import type { SlideKey } from '../../../protocol/live.ts';
import type { Role } from '../../../protocol/messages.ts';
import type { Talk } from '../../talk/talk.ts';

export interface WallState {
  on: boolean;
  /** The one slide it shows on, or null for the whole talk. */
  slide: SlideKey | null;
}

export const WALL_EVENT = 'wall.state';

const walls = new WeakMap<Talk, WallState>();

export function wallOf(talk: Talk): WallState {
  return walls.get(talk) ?? { on: false, slide: null };
}

export function setWall(talk: Talk, state: WallState): void {
  walls.set(talk, { on: state.on, slide: state.on && state.slide ? { ...state.slide } : null });
}

const AUDIENCE: readonly Role[] = ['audience'];
const AUDIENCE_AND_SCREEN: readonly Role[] = ['audience', 'screen'];

/** Who besides staff hears chat lines: the screen too while its wall is on (it shows nothing of the chat otherwise). */
export function chatRoles(talk: Talk): readonly Role[] {
  return wallOf(talk).on ? AUDIENCE_AND_SCREEN : AUDIENCE;
}
