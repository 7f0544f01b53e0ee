import { create } from 'zustand';
import type { TriggerView } from '../../../src-shared/domain/triggers';
import type { WebhookView } from '../../../src-shared/domain/webhooks';
import { fetchOrReport } from '../../shell/request';

/** HTTP triggers (never their tokens) and webhooks (never their secrets) with their last delivery. */
interface HooksState {
  triggers: TriggerView[];
  webhooks: WebhookView[];
  /** Flow ids a trigger may start. */
  flows: string[];
  loadTriggers(): Promise<void>;
  loadWebhooks(): Promise<void>;
  loadFlows(): Promise<void>;
}

export const useHooks = create<HooksState>((set) => ({
  triggers: [],
  webhooks: [],
  flows: [],
  loadTriggers: async () => {
    const value = await fetchOrReport('triggers/list', {}, 'Loading triggers');
    if (value) set({ triggers: value });
  },
  loadWebhooks: async () => {
    const value = await fetchOrReport('webhooks/list', {}, 'Loading webhooks');
    if (value) set({ webhooks: value });
  },
  loadFlows: async () => {
    const value = await fetchOrReport('flows/list', {}, 'Loading flows');
    if (value) set({ flows: value.map((f) => f.id) });
  },
}));
