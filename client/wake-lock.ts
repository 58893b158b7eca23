/**
 * Keeps a following phone's screen on for the length of a talk (people watch the room, not the
 * phone, and a dimmed phone misses the next poll). The browser drops the lock whenever the page is
 * hidden, so it is taken again when the page is back; a browser that refuses it (no support, a
 * power saver, no tap yet) is asked again at the next tap.
 */
export interface ScreenAwake {
  /** The talk is over for this phone: let the screen sleep again. */
  release(): void;
}

export function keepScreenAwake(): ScreenAwake {
  let sentinel: WakeLockSentinel | null = null;
  let asking = false;
  let wanted = true;

  const take = async (): Promise<void> => {
    if (!wanted || sentinel || asking || document.visibilityState !== 'visible' || !('wakeLock' in navigator)) return;
    asking = true;
    try {
      const lock = await navigator.wakeLock.request('screen');
      if (!wanted) {
        void lock.release();
        return;
      }
      sentinel = lock;
      lock.addEventListener('release', () => {
        if (sentinel === lock) sentinel = null;
      });
    } catch (error) {
      console.info('livedeck: the screen may sleep; the browser refused a wake lock:', error);
    } finally {
      asking = false;
    }
  };

  document.addEventListener('visibilitychange', () => void take());
  document.addEventListener('pointerdown', () => void take());
  void take();
  return {
    release() {
      wanted = false;
      void sentinel?.release();
      sentinel = null;
    },
  };
}
