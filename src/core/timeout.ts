/**
 * A promise with a deadline: settles as `p` does, or rejects with `Error(message)` after `ms`. The
 * timer never keeps the process alive, and `p` is not cancelled (the caller decides what a late
 * settlement means).
 */
export function withTimeout<T>(p: Promise<T>, ms: number, message = `timed out after ${ms} ms`): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(message)), ms);
    t.unref();
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(t);
        reject(e);
      },
    );
  });
}
