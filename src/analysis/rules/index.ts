// The explicit rule registry (ids are a public contract: CLI flags, config, SARIF, docs URLs).
import type { Rule } from './support/types';
import { nPlusOne } from './n-plus-one';
import { missingPagination } from './missing-pagination';
import { unboundedSelect } from './unbounded-select';
import { bulkWriteInLoop } from './bulk-write-in-loop';

export const RULE_LIST: readonly Rule[] = [nPlusOne, missingPagination, unboundedSelect, bulkWriteInLoop];

export type { Rule, RuleContext, RuleMeta } from './support/types';
