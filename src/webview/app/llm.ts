// LLM panel: latency and throughput per provider, and the cache (hit rate split exact vs
// semantic, entry count, share of keys without a TTL, memory).
import type { KpiReport } from '../../metrics/types';
import { cacheSplit, formatMs, formatNumber, formatPct } from '../view-model';
import { bar, h, section } from './dom';

export function renderLlm(report: KpiReport): HTMLElement {
  const { providers, cache } = report.llm;
  const table = providers.length
    ? h('table', { class: 'grid', 'aria-label': 'LLM latency and throughput per provider' }, [
        h('thead', {}, [h('tr', {}, [h('th', { scope: 'col' }, ['Provider']), ...['p95', 'Avg', 'Tokens/s'].map((c) => h('th', { scope: 'col', class: 'num' }, [c]))])]),
        h('tbody', {}, providers.map((p) => h('tr', {}, [
          h('td', {}, [p.provider]),
          h('td', { class: 'num' }, [formatMs(p.p95Ms)]),
          h('td', { class: 'num' }, [formatMs(p.avgMs)]),
          h('td', { class: 'num' }, [formatNumber(p.tokensPerSec)]),
        ]))),
      ])
    : h('p', { class: 'muted' }, ['No LLM provider metrics.']);
  let cacheEl: HTMLElement = h('p', { class: 'muted' }, ['LLM cache: no data (Redis or the gateway metrics not available).']);
  if (cache) {
    const split = cacheSplit(cache.exactHits, cache.semanticHits);
    const hitRate = cache.hitRatePct;
    cacheEl = h('div', {}, [
      h('h3', {}, ['Cache']),
      h('dl', { class: 'facts' }, [
        h('dt', {}, ['Hit rate']),
        h('dd', {}, [formatPct(hitRate)]),
        h('dt', {}, ['Exact / semantic hits']),
        h('dd', {}, [
          split && hitRate !== null
            ? h('span', { class: 'split', role: 'img', 'aria-label': `exact ${formatNumber(cache.exactHits)}, semantic ${formatNumber(cache.semanticHits)}` }, [
                splitPart(split.exactPct * (hitRate / 100), 'exact'),
                splitPart(split.semanticPct * (hitRate / 100), 'semantic'),
              ])
            : null,
          ` ${formatNumber(cache.exactHits)} / ${formatNumber(cache.semanticHits)}`,
        ]),
        h('dt', {}, ['Entries']),
        h('dd', {}, [formatNumber(cache.entries)]),
        h('dt', {}, ['Without TTL']),
        h('dd', { class: cache.withoutTtlPct ? 'warn-text' : '' }, [formatPct(cache.withoutTtlPct)]),
        h('dt', {}, ['Memory']),
        h('dd', {}, [cache.memoryMb === null ? '—' : `${formatNumber(cache.memoryMb)} MB`]),
      ]),
    ]);
  }
  return section('llm', 'LLM', [table, cacheEl]);
}

function splitPart(pct: number, cls: string): HTMLElement {
  return bar(pct, cls, '').firstElementChild as HTMLElement;
}
