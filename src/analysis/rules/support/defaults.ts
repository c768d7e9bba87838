// Default severities, kept apart from the rules so config can load without the engine.
import type { RuleId, Severity } from '../../types';

export const RULE_DEFAULTS: Record<RuleId, Severity> = {
  'n-plus-one': 'warning',
  'missing-pagination': 'warning',
  'unbounded-select': 'info',
  'bulk-write-in-loop': 'warning',
};
