import type { QueueName } from '../../application/shared/job.js';

/** Who in this process wants to know a job became due (a worker waiting on its queue). */
export class EnqueueListeners {
  private readonly listeners = new Set<(queue: QueueName) => void>();

  add(listener: (queue: QueueName) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(queue: QueueName): void {
    for (const listener of this.listeners) listener(queue);
  }
}
