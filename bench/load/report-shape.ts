/** What a load run's report holds (the JSON file, whole; the HTML page shows it). */
import type { LoadOptions } from './load.options.js';
import type { LoadSummary } from './load.stats.js';

export interface LoadReport {
  tool: 'rentlog-load';
  target: string;
  startedAt: string;
  finishedAt: string;
  options: Omit<LoadOptions, 'adminPassword' | 'adminEmail' | 'url'>;
  machine: { cpus: number; node: string; platform: string };
  setup: { seconds: number; products: number; customers: number; tag: string };
  summary: LoadSummary;
}
