/** The promise, or a rejection with `message` after `ms` (and then `onTimeout`, to cancel the work). */
export async function withDeadline<T>(
  promise: Promise<T>,
  ms: number,
  message: string,
  onTimeout: () => unknown = () => undefined,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      promise.catch(() => undefined); // it may still fail later; nobody waits for it any more
      Promise.resolve()
        .then(onTimeout)
        .catch(() => undefined);
      reject(new Error(message));
    }, ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
